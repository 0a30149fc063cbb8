"""Drive a concord server with the OASIS taxii2-client (v21) over every endpoint.

usage: python taxii2_client_check.py DISCOVERY_URL USER TOKEN
Prints a JSON summary; exits non-zero on the first failed expectation.
"""
import json
import sys

from taxii2client.v21 import Server, as_pages

url, user, token = sys.argv[1:4]
out = {}
server = Server(url, user=user, password=token)
out["title"] = server.title
roots = server.api_roots
assert len(roots) == 1, roots
root = roots[0]
out["api_root_versions"] = root.versions
collections = root.collections
assert collections, "no collections"
coll = collections[0]
out["collection"] = coll.id
assert coll.can_read and coll.can_write, (coll.can_read, coll.can_write)

objects = []
for n in range(5):
    objects.append({
        "type": "indicator", "spec_version": "2.1",
        "id": f"indicator--{n:08x}-7777-4333-8444-555555555555",
        "created": "2026-03-02T00:00:00.000Z", "modified": "2026-03-02T00:00:00.000Z",
        "pattern": f"[ipv4-addr:value = '198.51.100.{n}']", "pattern_type": "stix",
        "valid_from": "2026-03-02T00:00:00Z",
    })
objects.append({"type": "indicator", "id": "indicator--bad"})
status = coll.add_objects(json.dumps({"objects": objects}))
out["status"] = {"status": status.status, "success_count": status.success_count,
                 "failure_count": status.failure_count}
assert status.success_count == 5 and status.failure_count == 1, out["status"]
status.refresh()
assert status.status == "complete"

# pagination: pages of 2 until the end
seen = []
pages = 0
for env in as_pages(coll.get_objects, per_request=2):
    pages += 1
    seen.extend(o["id"] for o in env.get("objects", []))
out["paged_objects"] = len(seen)
out["pages"] = pages
assert len(seen) == len(set(seen)), "a page repeated objects"
assert all(o["id"] in seen for o in objects[:5])

one = coll.get_object(objects[0]["id"])
assert one["objects"][0]["id"] == objects[0]["id"]
versions = coll.object_versions(objects[0]["id"])
assert versions["versions"] == ["2026-03-02T00:00:00.000Z"], versions
manifest = coll.get_manifest()
assert any(m["id"] == objects[1]["id"] for m in manifest["objects"])
filtered = coll.get_objects(type="indicator")
assert all(o["type"] == "indicator" for o in filtered["objects"])
added = coll.get_objects(added_after="2000-01-01T00:00:00Z")
assert added.get("objects")
coll.delete_object(objects[4]["id"])
try:
    coll.get_object(objects[4]["id"])
    raise AssertionError("deleted object still served")
except Exception as e:  # taxii2client raises on 404
    assert "404" in str(e), e
out["ok"] = True
print(json.dumps(out))
