#!/usr/bin/env python3
"""Generates crates/stix/tests/reference/cases.json: for each JSON-schema rule and each
MUST/SHOULD check of the OASIS reference validator (STIX 2.1), at least one valid and one
invalid instance (a valid base object and a mutation of it), and STIX patterns for the
reference pattern validator's rules.

usage: generate.py [--reference]   (--reference: fill in the reference verdicts; run it
with the peers venv's python, which has stix2-validator and stix2-patterns)
"""
import copy, json, os, sys

T = "2016-04-06T20:03:48.000Z"
U4 = "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
U5 = "ff1e0780-358c-5808-a8c7-d0fca4ef6ef4"
U1 = "f1e0780a-358c-1808-a8c7-d0fca4ef6ef4"

def sdo(t, **p):
    o = {"type": t, "spec_version": "2.1", "id": f"{t}--{U4}", "created": T, "modified": T}
    o.update(p); return o

def sco(t, **p):
    o = {"type": t, "spec_version": "2.1", "id": f"{t}--{U5}"}
    o.update(p); return o

IDENT = f"identity--{U4}"
BASE = {
    "attack-pattern": sdo("attack-pattern", name="Spear Phishing"),
    "campaign": sdo("campaign", name="Green Group Attacks", first_seen=T, last_seen=T),
    "course-of-action": sdo("course-of-action", name="Add TCP port 80 filter"),
    "grouping": sdo("grouping", name="g", context="suspicious-activity", object_refs=[IDENT]),
    "identity": sdo("identity", name="ACME", identity_class="organization", sectors=["technology"]),
    "incident": sdo("incident", name="incident"),
    "indicator": sdo("indicator", name="i", description="d", indicator_types=["malicious-activity"], pattern_type="stix",
                     pattern="[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4']", valid_from=T),
    "infrastructure": sdo("infrastructure", name="infra", infrastructure_types=["botnet"]),
    "intrusion-set": sdo("intrusion-set", name="Bobcat Breakin", resource_level="government", primary_motivation="ideology"),
    "location": sdo("location", name="l", region="northern-europe", country="EE"),
    "malware": sdo("malware", name="Cryptolocker", is_family=True, malware_types=["ransomware"]),
    "malware-analysis": sdo("malware-analysis", product="microsoft", result="malicious"),
    "note": sdo("note", content="c", object_refs=[IDENT]),
    "observed-data": sdo("observed-data", first_observed=T, last_observed=T, number_observed=1, object_refs=[f"file--{U5}"]),
    "opinion": sdo("opinion", opinion="agree", object_refs=[IDENT]),
    "report": sdo("report", name="r", report_types=["campaign"], published=T, object_refs=[IDENT]),
    "threat-actor": sdo("threat-actor", name="Evil Org", threat_actor_types=["crime-syndicate"], sophistication="expert"),
    "tool": sdo("tool", name="VNC", tool_types=["remote-access"]),
    "vulnerability": sdo("vulnerability", name="CVE-2016-1234", external_references=[{"source_name": "cve", "external_id": "CVE-2016-1234"}]),
    "relationship": sdo("relationship", relationship_type="uses", source_ref=f"malware--{U4}", target_ref=f"attack-pattern--{U4}"),
    "sighting": sdo("sighting", sighting_of_ref=f"indicator--{U4}", count=1),
    "marking-definition": {"type": "marking-definition", "spec_version": "2.1", "id": f"marking-definition--{U4}", "created": T,
                           "definition_type": "statement", "definition": {"statement": "Copyright"}},
    "language-content": sdo("language-content", object_ref=f"campaign--{U4}", object_modified=T, contents={"de": {"name": "Bank Angriff"}}),
    "extension-definition": sdo("extension-definition", created_by_ref=IDENT, name="e", description="d", schema="https://example.com/s.json",
                                version="1.0", extension_types=["property-extension"]),
    "artifact": sco("artifact", mime_type="application/zip", payload_bin="VBORw0KGgo="),
    "autonomous-system": sco("autonomous-system", number=15139, name="Slime Industries", rir="ARIN"),
    "directory": sco("directory", path="C:\\Windows\\System32", path_enc="UTF-8", ctime=T),
    "domain-name": sco("domain-name", value="example.com"),
    "email-addr": sco("email-addr", value="john@example.com", display_name="John Doe"),
    "email-message": sco("email-message", is_multipart=False, subject="s", body="b", date=T),
    "file": sco("file", name="foo.dll", hashes={"SHA-256": "fe90a7e910cb3a4739bed9180e807e93fa70c90f25a8915476f5e4bfbac681db"}, size=25536, mime_type="application/zip"),
    "ipv4-addr": sco("ipv4-addr", value="198.51.100.3"),
    "ipv6-addr": sco("ipv6-addr", value="2001:0db8:85a3:0000:0000:8a2e:0370:7334"),
    "mac-addr": sco("mac-addr", value="d2:fb:49:24:37:18"),
    "mutex": sco("mutex", name="__CLEANSWEEP__"),
    "network-traffic": sco("network-traffic", src_ref=f"ipv4-addr--{U5}", dst_ref=f"ipv4-addr--{U5}", src_port=223, dst_port=80, protocols=["ipv4", "tcp"], start=T, end=T),
    "process": {"type": "process", "spec_version": "2.1", "id": f"process--{U4}", "pid": 1221, "command_line": "./gedit-bin --new-window"},
    "software": sco("software", name="Word", cpe="cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*", languages=["en"], vendor="Microsoft"),
    "url": sco("url", value="https://example.com/research/index.html"),
    "user-account": sco("user-account", user_id="1001", account_login="jdoe", account_type="unix", display_name="John Doe"),
    "windows-registry-key": sco("windows-registry-key", key="HKEY_LOCAL_MACHINE\\System\\Foo\\Bar", values=[{"name": "Foo", "data": "qwerty", "data_type": "REG_SZ"}]),
    "x509-certificate": sco("x509-certificate", issuer="C=ZA, ST=Western Cape", serial_number="36:f7:d4:32:f4:ab:70:ea:d3:ce:98:6e:ea:99:93:49:32:0a:b7:06"),
}

cases = []
def add(name, rule, inst, options=None):
    cases.append({"name": name, "rule": rule, "instance": inst, "options": options or {}})

def mut(t, name, rule, f, options=None):
    o = copy.deepcopy(BASE[t]); r = f(o)
    add(f"{t}.{name}", rule, o if r is None else r, options)

def setp(**kv):
    def f(o): o.update(kv)
    return f
def delp(*ks):
    def f(o):
        for k in ks: o.pop(k, None)
    return f
def ext(name, body):
    def f(o): o.setdefault("extensions", {})[name] = body
    return f

# every base object is valid (schema + checks), also inside a bundle
for t, o in BASE.items():
    add(f"{t}.valid", f"schema {t}: a complete object", copy.deepcopy(o))
add("bundle.valid", "schema bundle", {"type": "bundle", "id": f"bundle--{U4}", "objects": [copy.deepcopy(o) for o in BASE.values()]})
add("bundle.uuid5-id", "{103} uuid-check on the bundle id", {"type": "bundle", "id": f"bundle--{U5}", "objects": [copy.deepcopy(BASE["identity"])]})
add("bundle.duplicate-ids", "{203} duplicate-ids", {"type": "bundle", "id": f"bundle--{U4}", "objects": [copy.deepcopy(BASE["identity"]), copy.deepcopy(BASE["identity"])]})

# required properties of every type (schema `required`)
REQ = {"attack-pattern": ["name"], "campaign": ["name"], "course-of-action": ["name"], "grouping": ["context", "object_refs"],
       "identity": ["name"], "incident": ["name"], "indicator": ["pattern", "pattern_type", "valid_from"], "infrastructure": ["name"],
       "intrusion-set": ["name"], "malware": ["is_family"], "malware-analysis": ["product"], "note": ["content", "object_refs"],
       "observed-data": ["first_observed", "last_observed", "number_observed"], "opinion": ["opinion", "object_refs"],
       "report": ["name", "published", "object_refs"], "threat-actor": ["name"], "tool": ["name"], "vulnerability": ["name"],
       "relationship": ["relationship_type", "source_ref", "target_ref"], "sighting": ["sighting_of_ref"],
       "language-content": ["object_ref", "contents"], "extension-definition": ["name", "schema", "version", "extension_types", "created_by_ref"],
       "autonomous-system": ["number"], "directory": ["path"], "domain-name": ["value"], "email-addr": ["value"], "email-message": ["is_multipart"],
       "ipv4-addr": ["value"], "ipv6-addr": ["value"], "mac-addr": ["value"], "mutex": ["name"], "network-traffic": ["protocols"],
       "software": ["name"], "url": ["value"]}
for t, ps in REQ.items():
    for p in ps:
        mut(t, f"missing-{p}", f"schema {t}: required {p}", delp(p))
for t in ["indicator", "identity", "marking-definition"]:
    for p in ["id", "created"] + (["modified"] if t != "marking-definition" else []):
        mut(t, f"missing-{p}", f"schema core: required {p}", delp(p))
for t in ["identity", "file"]:
    mut(t, "missing-spec_version", "schema core: spec_version", delp("spec_version"))
    mut(t, "spec_version-2.2", "schema core: spec_version enum", setp(spec_version="2.2"))

# core properties
C = "identity"
for name, kv, rule in [
    ("type-uppercase", {"type": "Identity"}, "schema core: type pattern"),
    ("id-not-uuid", {"id": "identity--123"}, "schema identifier"),
    ("id-wrong-prefix", {"id": f"campaign--{U4}"}, "schema identity: id prefix"),
    ("id-uuid1", {"id": f"identity--{U1}"}, "{103} uuid-check (SDO: UUIDv4)"),
    ("created-no-millis", {"created": "2016-04-06T20:03:48Z", "modified": "2016-04-06T20:03:48Z"}, "schema core: created/modified precise to the millisecond"),
    ("created-day-31-april", {"created": "2016-04-31T20:03:48.000Z", "modified": "2016-05-01T20:03:48.000Z"}, "MUST timestamp (calendar)"),
    ("created-second-60", {"created": "2016-04-06T20:03:60.000Z", "modified": "2016-04-07T20:03:48.000Z"}, "MUST timestamp (second 60)"),
    ("created-month-13", {"created": "2016-13-06T20:03:48.000Z"}, "schema timestamp pattern"),
    ("modified-before-created", {"modified": "2016-04-06T20:03:47.999Z"}, "MUST timestamp_compare modified >= created"),
    ("created_by_ref-bad", {"created_by_ref": "identity"}, "schema core: created_by_ref identifier"),
    ("labels-empty", {"labels": []}, "schema core: labels minItems"),
    ("labels-not-strings", {"labels": [1]}, "schema core: labels items string"),
    ("confidence-101", {"confidence": 101}, "schema core: confidence maximum"),
    ("confidence-0", {"confidence": 0}, "schema core: confidence minimum (valid)"),
    ("revoked-string", {"revoked": "yes"}, "schema core: revoked boolean"),
    ("lang-en", {"lang": "en"}, "MUST language (valid)"),
    ("lang-bad", {"lang": "foo"}, "MUST language"),
    ("lang-en-us-lower", {"lang": "en-us"}, "MUST language (case)"),
    ("object_marking_refs-tlp", {"object_marking_refs": ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]}, "schema core: object_marking_refs (valid)"),
    ("object_marking_refs-bad", {"object_marking_refs": ["tlp-green"]}, "schema core: object_marking_refs identifier"),
    ("reserved-severity", {"severity": "high"}, "schema core: reserved property"),
    ("property-name-short", {"xy": "v"}, "schema properties: name pattern"),
    ("property-name-upper", {"x_Foo": "v"}, "schema properties: name pattern"),
    ("property-name-long", {"x_" + "a" * 260: "v"}, "schema properties: searched pattern (long names pass)"),
    ("custom-property-prefix", {"x_acme_foo": "v"}, "{401} extensions-use: custom property"),
    ("custom-property-null", {"x_acme_foo": None}, "schema properties: value types"),
    ("custom-property-empty-list", {"x_acme_foo": []}, "schema properties: minItems"),
    ("custom-bin-bad", {"x_acme_bin": "not base64!"}, "schema properties: _bin is binary"),
    ("custom-hex-bad", {"x_acme_hex": "abc"}, "schema properties: _hex is hex"),
    ("custom-hex-empty", {"x_acme_hex": ""}, "schema hex: at least one byte"),
]:
    mut(C, name, rule, setp(**kv))
mut(C, "custom-property-prefix-disabled-401", "{101} custom-prefix when 401 is disabled", setp(foo_bar="v"), {"disabled": ["401"]})
mut(C, "custom-property-lax-disabled-101", "{102} custom-prefix-lax", setp(foo_bar="v"), {"disabled": ["401", "101"]})
mut(C, "custom-property-x_prefix-disabled-401", "{101} custom-prefix (valid)", setp(x_acme_bar="v"), {"disabled": ["401"]})
mut(C, "strict-properties", "--strict-properties (a SHOULD-level finding)", setp(x_acme_foo="v"), {"strict_properties": True})

# external references
for name, er, rule in [
    ("cve-ok", {"source_name": "cve", "external_id": "CVE-2016-1234"}, "schema external-reference (valid)"),
    ("cve-bad", {"source_name": "cve", "external_id": "CVE-16-1234"}, "schema external-reference: CVE id"),
    ("cve-leading-zero", {"source_name": "cve", "external_id": "CVE-2016-01234"}, "schema external-reference: CVE id"),
    ("capec-ok", {"source_name": "capec", "external_id": "CAPEC-163"}, "schema external-reference (valid)"),
    ("capec-bad", {"source_name": "capec", "external_id": "163"}, "schema external-reference: CAPEC id"),
    ("no-id-url-description", {"source_name": "foo"}, "schema external-reference: one of"),
    ("url-no-hashes", {"source_name": "foo", "url": "https://example.com/a"}, "{302} extref-hashes"),
    ("url-with-hashes", {"source_name": "foo", "url": "https://example.com/a", "hashes": {"MD5": "79054025255fb1a26e4bc422aef54eb4"}}, "{302} (valid)"),
    ("url-bad", {"source_name": "foo", "url": "not a uri"}, "schema url-regex: format uri"),
    ("hash-md5-short", {"source_name": "foo", "description": "d", "hashes": {"MD5": "7905"}}, "schema hashes-type: MD5"),
    ("hash-custom-name", {"source_name": "foo", "description": "d", "hashes": {"x_foo": "abc"}}, "schema external-reference: hash names"),
    ("external_id-number", {"source_name": "foo", "external_id": 1}, "schema external-reference: external_id string"),
]:
    mut("campaign", f"extref-{name}", rule, setp(external_references=[er]))

# granular markings
GM = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
for name, gm, rule in [
    ("ok", {"selectors": ["name"], "marking_ref": GM}, "schema granular-marking (valid)"),
    ("lang", {"selectors": ["name"], "lang": "en"}, "schema granular-marking: marking_ref required"),
    ("no-selectors", {"marking_ref": GM}, "schema granular-marking: selectors"),
    ("selector-missing-property", {"selectors": ["description"], "marking_ref": GM}, "MUST marking_selector_syntax"),
    ("selector-bad-index", {"selectors": ["external_references.[5]"], "marking_ref": GM}, "MUST marking_selector_syntax"),
    ("selector-pattern", {"selectors": ["Name"], "marking_ref": GM}, "schema granular-marking: selector pattern"),
    ("marking_ref-bad", {"selectors": ["name"], "marking_ref": f"identity--{U4}"}, "schema granular-marking: marking_ref prefix"),
]:
    mut("campaign", f"granular-{name}", rule, setp(granular_markings=[gm]))

# kill chain phases
for t in ["attack-pattern", "incident"]:
    mut(t, "kill-chain-ok", "schema kill-chain-phase (valid)", setp(kill_chain_phases=[{"kill_chain_name": "lockheed-martin-cyber-kill-chain", "phase_name": "reconnaissance"}]))
    mut(t, "kill-chain-upper", "{121} kill-chain-names", setp(kill_chain_phases=[{"kill_chain_name": "Lockheed", "phase_name": "recon"}]))
    mut(t, "kill-chain-missing-phase", "schema kill-chain-phase: required", setp(kill_chain_phases=[{"kill_chain_name": "x"}]))
mut("attack-pattern", "kill-chain-dot", "{121} (Python islower: dots allowed)", setp(kill_chain_phases=[{"kill_chain_name": "mitre.attack", "phase_name": "x"}]))

# vocabularies (membership and format)
V = [("identity", "identity_class", "individual", "wizard", "Individual"), ("identity", "sectors", ["defense"], ["wizardry"], ["Defense"]),
     ("indicator", "indicator_types", ["anomalous-activity"], ["weird"], ["Weird Activity"]), ("infrastructure", "infrastructure_types", ["hosting-malware"], ["x"], ["X_Y"]),
     ("intrusion-set", "resource_level", "club", "galaxy", "Club"), ("intrusion-set", "primary_motivation", "coercion", "boredom", "Boredom"),
     ("location", "region", "europe", "atlantis", "Europe"), ("malware", "malware_types", ["worm"], ["blob"], ["Blob"]),
     ("malware", "architecture_execution_envs", ["x86"], ["abacus"], ["X86"]), ("malware", "implementation_languages", ["rust"], ["cobol2"], ["COBOL"]),
     ("malware", "capabilities", ["exfiltrates-data"], ["sings"], ["Sings"]), ("malware-analysis", "result", "benign", "odd", "Odd"),
     ("report", "report_types", ["threat-actor"], ["gossip"], ["Gossip"]), ("threat-actor", "threat_actor_types", ["spy"], ["ghost"], ["Ghost"]),
     ("threat-actor", "roles", ["agent"], ["boss"], ["Boss"]), ("threat-actor", "sophistication", "minimal", "godlike", "Godlike"),
     ("threat-actor", "personal_motivations", ["revenge"], ["fun"], ["Fun"]), ("tool", "tool_types", ["exploitation"], ["hammer"], ["Hammer"]),
     ("grouping", "context", "malware-analysis", "party", "Party"), ("indicator", "pattern_type", "snort", "regexp", "SNORT"),
     ("user-account", "account_type", "windows-domain", "gamer", "Gamer")]
for t, p, good, bad, fmt in V:
    mut(t, f"vocab-{p}-ok", f"open vocabulary {p} (valid)", setp(**{p: good}))
    mut(t, f"vocab-{p}-outside", f"open vocabulary {p}: SHOULD value from the vocabulary", setp(**{p: bad}))
    mut(t, f"vocab-{p}-format", f"{{111}} open-vocab-format on {p}", setp(**{p: fmt}))
mut("tool", "vocab-disabled", "--disable all-vocabs", setp(tool_types=["hammer"]), {"disabled": ["all-vocabs"]})

# type-specific schema and MUST rules
for t, name, f, rule in [
    ("indicator", "valid_until-equal", setp(valid_until="2016-04-06T20:03:48Z"), "MUST timestamp_compare valid_until > valid_from"),
    ("indicator", "valid_until-later", setp(valid_until="2016-04-07T20:03:48Z"), "MUST timestamp_compare (valid)"),
    ("indicator", "no-name", delp("name"), "{303} indicator-properties"),
    ("indicator", "pattern-bad-syntax", setp(pattern="[file:name = 'x'"), "MUST patterns (grammar)"),
    ("indicator", "pattern-hash-wrong-length", setp(pattern="[file:hashes.'SHA-256' = 'aec07064']"), "MUST patterns (hash value per algorithm)"),
    ("indicator", "pattern-duplicate-qualifier", setp(pattern="[file:name = 'x'] WITHIN 5 SECONDS WITHIN 6 SECONDS"), "MUST patterns (qualifier repeated)"),
    ("indicator", "pattern-bad-type", setp(pattern="[Foo_Bar:name = 'x']"), "MUST patterns (object type name)"),
    ("indicator", "pattern-bad-property", setp(pattern="[file:Name = 'x']"), "MUST patterns (property name)"),
    ("indicator", "pattern-custom-type", setp(pattern="[x-acme-thing:name = 'x']"), "MUST patterns (custom type, valid)"),
    ("indicator", "pattern-not-stix", setp(pattern_type="snort", pattern="alert tcp any"), "MUST patterns only for pattern_type stix"),
    ("indicator", "pattern-exists-bad-type", setp(pattern="[file:name = 'x' AND EXISTS Bad_Type:x]"), "MUST patterns (EXISTS is not inspected)"),
    ("campaign", "last_seen-before", setp(last_seen="2016-04-05T20:03:48.000Z"), "MUST timestamp_compare last_seen >= first_seen"),
    ("relationship", "stop-equal-start", setp(start_time=T, stop_time=T), "MUST timestamp_compare stop_time > start_time"),
    ("relationship", "type-bad-chars", setp(relationship_type="Uses"), "schema relationship: relationship_type pattern"),
    ("relationship", "not-suggested", setp(relationship_type="targets"), "{202} relationship-types"),
    ("relationship", "source-relationship", setp(source_ref=f"relationship--{U4}"), "schema relationship: source_ref not an SRO"),
    ("relationship", "custom-target", setp(target_ref=f"x-acme-thing--{U4}"), "{202} (custom types are not checked)"),
    ("sighting", "of-relationship", setp(sighting_of_ref=f"relationship--{U4}"), "schema sighting: sighting_of_ref"),
    ("sighting", "where-sighted-bad", setp(where_sighted_refs=[f"malware--{U4}"]), "schema sighting: where_sighted_refs"),
    ("sighting", "count-negative", setp(count=-1), "schema sighting: count minimum"),
    ("sighting", "observed-data-refs-bad", setp(observed_data_refs=[f"identity--{U4}"]), "schema sighting: observed_data_refs"),
    ("observed-data", "number-zero", setp(number_observed=0), "schema observed-data: number_observed minimum"),
    ("observed-data", "refs-sdo", setp(object_refs=[f"identity--{U4}"]), "schema observed-data: object_refs are SCOs or SROs"),
    ("observed-data", "objects-deprecated", lambda o: (o.pop("object_refs"), o.update(objects={"0": {"type": "file", "name": "x"}}))[-1], "{304} deprecated-properties"),
    ("observed-data", "both-objects-and-refs", setp(objects={"0": {"type": "file", "name": "x"}}), "schema observed-data: objects xor object_refs"),
    ("observed-data", "last-before-first", setp(last_observed="2016-04-05T20:03:48.000Z"), "MUST timestamp_compare"),
    ("location", "latitude-only", setp(latitude=10.0), "schema location: latitude with longitude"),
    ("location", "latitude-range", setp(latitude=91.0, longitude=1.0), "schema location: latitude maximum"),
    ("location", "precision-without-coords", setp(precision=10.0), "schema location: precision needs coordinates"),
    ("location", "nothing", delp("region", "country"), "schema location: one of region, country, coordinates"),
    ("location", "country-bad", setp(country="XQ"), "{277} countries"),
    ("location", "country-lower", setp(country="ee"), "{277} (compared upper-cased)"),
    ("malware", "family-without-name", delp("name"), "schema malware: name when is_family"),
    ("malware", "not-family-without-name", lambda o: (o.pop("name"), o.update(is_family=False))[-1], "schema malware (valid)"),
    ("malware", "first-after-last", setp(first_seen="2016-04-07T20:03:48.000Z", last_seen=T), "MUST timestamp_compare"),
    ("malware", "sample_refs-bad", setp(sample_refs=[f"identity--{U4}"]), "schema malware: sample_refs"),
    ("malware-analysis", "no-result", delp("result"), "schema malware-analysis: result or analysis_sco_refs"),
    ("malware-analysis", "product-upper", setp(product="Microsoft Defender"), "{143} malware-analysis-product"),
    ("malware-analysis", "host_vm_ref-bad", setp(host_vm_ref=f"file--{U5}"), "schema malware-analysis: host_vm_ref software"),
    ("opinion", "opinion-enum", setp(opinion="maybe"), "schema opinion: opinion enum"),
    ("report", "published-bad", setp(published="yesterday"), "schema report: published timestamp"),
    ("marking-definition", "definition_type-custom", setp(definition_type="acme", definition={"x": 1}), "{201} marking-definition-type, {401}"),
    ("marking-definition", "statement-missing", setp(definition={"text": "x"}), "schema marking-definition: statement"),
    ("marking-definition", "tlp-wrong", lambda o: {"type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "created": "2017-01-20T00:00:00.000Z", "definition_type": "tlp", "name": "TLP:WHITE", "definition": {"tlp": "red"}}, "schema marking-definition: TLP"),
    ("marking-definition", "tlp-white", lambda o: {"type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "created": "2017-01-20T00:00:00.000Z", "definition_type": "tlp", "name": "TLP:WHITE", "definition": {"tlp": "white"}}, "schema marking-definition: TLP (valid)"),
    ("marking-definition", "circular", lambda o: o.update(object_marking_refs=[o["id"]]), "MUST object_marking_circular_refs"),
    ("marking-definition", "type-format", setp(definition_type="Statement"), "{111} on definition_type"),
    ("language-content", "key-not-lang", setp(contents={"xx": {"name": "n"}}), "MUST language_contents"),
    ("language-content", "subkey-bad", setp(contents={"de": {"Name": "n"}}), "MUST language_contents"),
    ("language-content", "object_ref-bundle", setp(object_ref=f"bundle--{U4}"), "schema language-content: object_ref"),
    ("extension-definition", "no-description", delp("description"), "{305} extension-description"),
    ("extension-definition", "types-bad", setp(extension_types=["new-thing"]), "schema extension-definition: extension_types enum"),
    ("extension-definition", "properties-without-toplevel", setp(extension_properties=["x_a"]), "schema extension-definition: extension_properties"),
    ("extension-definition", "toplevel-without-properties", setp(extension_types=["toplevel-property-extension"]), "{306} extension-properties"),
    ("identity", "extension-ok", ext("extension-definition--" + U4, {"extension_type": "property-extension", "rank": 5}), "schema extension (valid)"),
    ("identity", "extension-no-type", ext("extension-definition--" + U4, {"rank": 5}), "schema extension: extension_type"),
    ("identity", "extension-type-bad", ext("extension-definition--" + U4, {"extension_type": "x"}), "schema extension: extension_type enum"),
    ("identity", "extension-name-bad", ext("acme", {"a_b": 1}), "schema core: extension names"),
    ("identity", "extensions-empty", setp(extensions={}), "schema core: extensions minProperties"),
    ("identity", "toplevel-extension", lambda o: (o.update(rank=5), o.setdefault("extensions", {}).update({"extension-definition--" + U4: {"extension_type": "toplevel-property-extension"}}))[-1], "{401} toplevel-property-extension"),
]:
    mut(t, name, rule, f)

# custom objects
X = {"type": "x-acme-widget", "spec_version": "2.1", "id": f"x-acme-widget--{U4}", "created": T, "modified": T, "name": "w"}
add("custom.object", "{401} custom object type", copy.deepcopy(X))
add("custom.object-new-sdo", "{401} (new-sdo extension: valid)", dict(copy.deepcopy(X), extensions={"extension-definition--" + U4: {"extension_type": "new-sdo"}}))
add("custom.object-no-prefix", "{101} custom-prefix", dict(copy.deepcopy(X), type="widget", id=f"widget--{U4}"), {"disabled": ["extensions-use"]})
add("custom.object-strict-types", "--strict-types (SHOULD level)", copy.deepcopy(X), {"strict_types": True})
add("custom.object-reserved", "schema core: type not 'action'", dict(copy.deepcopy(X), type="action", id=f"action--{U4}"))

# observables: formats, extensions, identifiers
for t, name, f, rule in [
    ("ipv4-addr", "cidr", setp(value="198.51.100.0/24"), "schema ipv4-addr value (valid)"),
    ("ipv4-addr", "octet-256", setp(value="198.51.100.256"), "schema ipv4-addr value pattern"),
    ("ipv4-addr", "cidr-33", setp(value="198.51.100.0/33"), "schema ipv4-addr value pattern"),
    ("ipv4-addr", "leading-zero", setp(value="198.051.100.1"), "schema ipv4-addr value pattern"),
    ("ipv6-addr", "short", setp(value="fe80::1"), "schema ipv6-addr value (valid)"),
    ("ipv6-addr", "cidr-leading-zero", setp(value="fe80::1/064"), "schema ipv6-addr value pattern"),
    ("ipv6-addr", "zone", setp(value="fe80::1%eth0"), "schema ipv6-addr value pattern (zone allowed)"),
    ("ipv6-addr", "v4-mapped", setp(value="::ffff:192.0.2.1"), "schema ipv6-addr value pattern (its lost backslashes)"),
    ("ipv6-addr", "garbage", setp(value="fe80:::1"), "schema ipv6-addr value pattern"),
    ("mac-addr", "upper", setp(value="D2:FB:49:24:37:18"), "schema mac-addr value pattern"),
    ("mac-addr", "dashes", setp(value="d2-fb-49-24-37-18"), "schema mac-addr value pattern"),
    ("email-addr", "display-form", setp(value="John Doe <john@example.com>"), "schema email-addr value format email"),
    ("email-addr", "no-dot", setp(value="john@localhost"), "schema email-addr value format email"),
    ("domain-name", "underscore", setp(value="_dmarc.example.com"), "schema domain-name value format idn-hostname"),
    ("domain-name", "idn", setp(value="münchen.de"), "schema domain-name value format idn-hostname (valid)"),
    ("domain-name", "leading-hyphen", setp(value="-example.com"), "schema domain-name value format idn-hostname"),
    ("domain-name", "resolves-to-file", setp(resolves_to_refs=[f"file--{U5}"]), "schema domain-name: SCO refs are strings"),
    ("url", "not-uri", setp(value="example dot com"), "schema url value format uri"),
    ("url", "bad-percent", setp(value="http://example.com/%zz"), "schema url value format uri"),
    ("software", "cpe-bad", setp(cpe="microsoft word"), "schema software cpe pattern, MUST cpe_check"),
    ("software", "language-iso639-2", setp(languages=["eng"]), "MUST software_language (ISO 639-2 accepted)"),
    ("software", "language-bad", setp(languages=["english"]), "schema software languages pattern"),
    ("software", "language-unknown", setp(languages=["xx"]), "MUST software_language"),
    ("windows-registry-key", "abbreviated-hive", setp(key="HKLM\\System\\Foo"), "schema windows-registry-key key not abbreviated"),
    ("windows-registry-key", "no-contributing-uuid5", delp("key", "values"), "MUST uuid_version_check (UUIDv4 without contributing properties)"),
    ("windows-registry-key", "values-custom", setp(values=[{"name": "a", "x_foo": 1}]), "{401} custom property in values"),
    ("x509-certificate", "empty", delp("issuer", "serial_number"), "schema x509-certificate: anyOf properties"),
    ("x509-certificate", "v3-ext-bad-day", setp(x509_v3_extensions={"private_key_usage_period_not_before": "2016-11-31T08:17:27Z"}), "MUST timestamp (embedded in x509_v3_extensions)"),
    ("x509-certificate", "v3-ext-ok", setp(x509_v3_extensions={"private_key_usage_period_not_before": "2016-11-30T08:17:27Z", "basic_constraints": "critical,CA:TRUE"}), "schema x509 v3 extensions (valid)"),
    ("x509-certificate", "hashes-sha1-bad", setp(hashes={"SHA-1": "abc"}), "schema hashes-type SHA-1"),
    ("file", "id-uuid4", setp(id=f"file--{U4}"), "{103} uuid-check (SCO: UUIDv5)"),
    ("file", "no-name-no-hashes", delp("name", "hashes"), "schema file: hashes or name"),
    ("file", "hash-tlsh-bad", setp(hashes={"TLSH": "abc"}), "schema hashes-type TLSH"),
    ("file", "hash-custom", setp(hashes={"x_acme": "abc"}), "{241} hash-algo (x_ custom: valid)"),
    ("file", "hash-unknown", setp(hashes={"SHA-999": "abc"}), "{241} hash-algo"),
    ("file", "hash-name-long", setp(hashes={"x_" + "a" * 40: "abc"}), "{150} hash-length"),
    ("file", "size-negative", setp(size=-1), "schema file size minimum"),
    ("file", "ctime-feb-30", setp(ctime="2016-02-30T00:00:00Z"), "MUST timestamp (observable property)"),
    ("file", "ctime-leap-day", setp(ctime="2016-02-29T00:00:00Z"), "MUST timestamp (valid)"),
    ("file", "magic-odd", setp(magic_number_hex="abc"), "schema file magic_number_hex hex"),
    ("file", "name_enc-bad", setp(name_enc="UTF 8"), "schema file name_enc pattern"),
    ("file", "mime-bad", setp(mime_type="bla/blabla"), "{271} mime-type"),
    ("file", "dict-key-upper", setp(extensions={"x-acme-ext": {"Foo": 1}}), "{142} observable-dictionary-keys"),
    ("file", "pe-ok", ext("windows-pebinary-ext", {"pe_type": "exe", "time_date_stamp": "2016-01-20T14:11:25Z"}), "schema file windows-pebinary-ext (valid)"),
    ("file", "pe-type-outside", ext("windows-pebinary-ext", {"pe_type": "elf"}), "{243} windows-pebinary-type"),
    ("file", "pe-no-type", ext("windows-pebinary-ext", {"imphash": "x"}), "schema windows-pebinary-ext pe_type required"),
    ("file", "pe-timestamp-fraction", ext("windows-pebinary-ext", {"pe_type": "exe", "time_date_stamp": "2016-01-20T14:11:25.000Z"}), "schema windows-pebinary-ext time_date_stamp without fraction"),
    ("file", "pe-timestamp-day", ext("windows-pebinary-ext", {"pe_type": "exe", "time_date_stamp": "2016-02-30T14:11:25Z"}), "MUST timestamp (embedded in extensions)"),
    ("file", "pdf-key", ext("pdf-ext", {"document_info_dict": {"Title": "t", "Colour": "x"}}), "{276} pdf-doc-info"),
    ("file", "ntfs-custom", ext("ntfs-ext", {"sid": "1", "x_acme_foo": 1}), "{401} custom property in a predefined extension"),
    ("file", "archive-no-refs", ext("archive-ext", {"comment": "c"}), "schema archive-ext contains_refs required"),
    ("file", "custom-extension", ext("x-acme-ext", {"foo": 1}), "{401} custom observable extension"),
    ("network-traffic", "no-src-dst", delp("src_ref", "dst_ref"), "schema network-traffic: src_ref or dst_ref"),
    ("network-traffic", "port-70000", setp(dst_port=70000), "schema network-traffic port maximum"),
    ("network-traffic", "no-ports", delp("src_port", "dst_port"), "{301} network-traffic-ports"),
    ("network-traffic", "active-with-end", setp(is_active=True), "schema network-traffic: is_active excludes end"),
    ("network-traffic", "end-before-start", setp(end="2016-04-05T20:03:48.000Z"), "MUST observable_timestamp_compare"),
    ("network-traffic", "protocol-underscore", setp(protocols=["foo_bar"]), "{272} protocols"),
    ("network-traffic", "ipfix-bad", setp(ipfix={"Bad": 1}), "{273} ipfix"),
    ("network-traffic", "http-ok", ext("http-request-ext", {"request_method": "get", "request_value": "/", "request_header": {"Host": "example.com"}}), "schema http-request-ext (valid)"),
    ("network-traffic", "http-header", ext("http-request-ext", {"request_method": "get", "request_value": "/", "request_header": {"X-Thing": "1"}}), "{274} http-request-headers"),
    ("network-traffic", "http-no-method", ext("http-request-ext", {"request_value": "/"}), "schema http-request-ext required"),
    ("network-traffic", "socket-option", ext("socket-ext", {"address_family": "AF_INET", "options": {"SO_TEST": 1}}), "{275} socket-options"),
    ("network-traffic", "socket-option-ok", ext("socket-ext", {"address_family": "AF_INET", "options": {"IP_ADD_MEMBERSHIP": 1}}), "{275} (valid)"),
    ("network-traffic", "icmp-bad-hex", ext("icmp-ext", {"icmp_type_hex": "g0", "icmp_code_hex": "00"}), "schema icmp-ext hex"),
    ("process", "uuid5", setp(id=f"process--{U5}"), "MUST process (UUIDv4)"),
    ("process", "priority", ext("windows-process-ext", {"priority": "HIGH"}), "{149} windows-process-priority-format"),
    ("process", "integrity-bad", ext("windows-process-ext", {"integrity_level": "extreme"}), "schema windows-process-ext integrity_level enum"),
    ("artifact", "mime-bad", setp(mime_type="bla/blabla"), "schema artifact mime_type pattern, MUST artifact_mime_type"),
    ("artifact", "payload-and-url", setp(url="https://example.com/a", hashes={"MD5": "79054025255fb1a26e4bc422aef54eb4"}), "schema artifact: payload_bin xor url"),
    ("artifact", "url-without-hashes", lambda o: (o.pop("payload_bin"), o.update(url="https://example.com/a"))[-1], "schema artifact: url needs hashes"),
    ("artifact", "key-without-algorithm", setp(decryption_key="secret"), "schema artifact: decryption_key needs encryption_algorithm"),
    ("artifact", "payload-bad", setp(payload_bin="not base64"), "schema binary"),
    ("artifact", "no-contributing-uuid5", lambda o: (o.pop("payload_bin"), o.update(url="https://example.com/a"))[-1], "MUST uuid_version_check"),
    ("email-message", "multipart-with-body", setp(is_multipart=True), "schema email-message: body only when not multipart"),
    ("email-message", "date-bad", setp(date="2016-06-31T00:00:00Z"), "MUST timestamp (observable)"),
    ("email-message", "header-key-bad", setp(additional_header_fields={"Bad Key": "x"}), "schema dictionary keys"),
    ("directory", "path_enc-charset", setp(path_enc="UTF:8"), "MUST character_set"),
    ("user-account", "unix-ext", ext("unix-account-ext", {"gid": 1001, "groups": ["wheel"]}), "schema unix-account-ext (valid)"),
    ("user-account", "created-bad", setp(account_created="2016-02-30T00:00:00Z"), "MUST timestamp (observable)"),
    ("autonomous-system", "number-string", setp(number="15139"), "schema autonomous-system number integer"),
]:
    mut(t, name, rule, f)

# observed-data with embedded objects (STIX 2.0 style, deprecated in 2.1)
def od_objects(objs):
    o = copy.deepcopy(BASE["observed-data"]); o.pop("object_refs"); o["objects"] = objs; return o
add("observed-data.objects-ok", "{304} with observable objects", od_objects({"0": {"type": "file", "id": f"file--{U5}", "name": "x"}}))
add("observed-data.objects-key", "{141} observable-object-keys", od_objects({"a": {"type": "file", "id": f"file--{U5}", "name": "x"}}), {"disabled": ["deprecated-properties"]})

# spec_version on a bundle (a custom property of a STIX 2.1 bundle), 2.0 and 2.1 mixes
C20 = {k: v for k, v in BASE["campaign"].items() if k != "spec_version"}
for bname, b in [("sv21", {"type": "bundle", "id": f"bundle--{U4}", "spec_version": "2.1", "objects": [copy.deepcopy(BASE["campaign"])]}),
                 ("sv20-obj20", {"type": "bundle", "id": f"bundle--{U4}", "spec_version": "2.0", "objects": [copy.deepcopy(C20)]}),
                 ("sv20-obj21", {"type": "bundle", "id": f"bundle--{U4}", "spec_version": "2.0", "objects": [copy.deepcopy(BASE["campaign"])]})]:
    add(f"bundle.{bname}", "{401} on a bundle's spec_version; spec_version mismatch", b)
    for v in ["2.0", "2.1"]:
        add(f"bundle.{bname}-version-{v}", "version option; spec_version mismatch", b, {"version": v})

# --interop: the STIX 2.1 Interoperability profile (interop schemas, interop_created_by_ref)
IOP = {"interop": True}
TLP_W, TLP_G = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
TLP_R = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"
MD_OTHER = f"marking-definition--{U4}"
def with_producer(o):
    o = copy.deepcopy(o)
    if o["type"] != "identity" and "created" in o: o["created_by_ref"] = IDENT
    return o
for t, o in BASE.items():  # every base object as it is, and with a producer
    add(f"{t}.interop-base", "interop schema (as the base object is)", copy.deepcopy(o), IOP)
    if "created" in o and t != "identity":
        add(f"{t}.interop-producer", f"interop schema interop/{t}.json", with_producer(o), IOP)
def iop(t, name, f, rule):
    o = with_producer(BASE[t]); r = f(o)
    add(f"{t}.interop-{name}", rule, o if r is None else r, IOP)
iop("attack-pattern", "complete", setp(external_references=[{"source_name": "capec", "external_id": "CAPEC-163"}], kill_chain_phases=[{"kill_chain_name": "lockheed-martin-cyber-kill-chain", "phase_name": "delivery"}]), "interop attack-pattern (valid)")
iop("attack-pattern", "no-kill-chain", setp(external_references=[{"source_name": "capec", "external_id": "CAPEC-163"}]), "interop attack-pattern kill_chain_phases required")
iop("indicator", "no-name", delp("name"), "interop indicator name required")
iop("intrusion-set", "no-motivation", delp("primary_motivation"), "interop intrusion-set primary_motivation required")
iop("location", "no-region", delp("region"), "interop location region required")
iop("threat-actor", "complete", setp(roles=["agent"], resource_level="government", primary_motivation="ideology"), "interop threat-actor (valid)")
iop("malware", "spec-names", setp(first_seen=T, last_seen=T, architecture_execution_envs=["x86"], implementation_languages=["c"], capabilities=["exfiltrates-data"]), "interop malware: the schema's misspelt required names")
iop("sighting", "complete", setp(first_seen=T, last_seen=T), "interop sighting (valid)")
iop("observed-data", "objects", lambda o: (o.pop("object_refs"), o.update(objects={"0": {"type": "file", "id": f"file--{U5}", "name": "x"}}))[-1], "interop observed-data object_refs required")
iop("campaign", "one-tlp", setp(object_marking_refs=[TLP_W, MD_OTHER]), "interop core: one TLP marking (valid)")
iop("campaign", "two-tlp", setp(object_marking_refs=[TLP_W, TLP_G]), "interop core: maxContains 1 TLP marking")
iop("campaign", "same-tlp-twice", setp(object_marking_refs=[TLP_R, TLP_R]), "interop core: maxContains 1 TLP marking")
iop("identity", "two-tlp", setp(object_marking_refs=[TLP_W, TLP_R]), "interop core (fallback schema): maxContains 1")
md = dict(copy.deepcopy(BASE["marking-definition"]), modified=T)
add("marking-definition.interop-modified", "interop core on marking-definition (valid)", md, IOP)
add("marking-definition.interop-created-seconds", "interop core: created to the millisecond", dict(md, created="2016-04-06T20:03:48Z"), IOP)
add("marking-definition.interop-modified-seconds", "interop core: modified to the millisecond", dict(md, modified="2016-04-06T20:03:48Z"), IOP)
add("marking-definition.interop-modified-before", "MUST timestamp_compare on a marking definition", dict(md, modified="2016-04-05T20:03:48.000Z"), IOP)
add("marking-definition.interop-confidence", "interop core: confidence range", dict(md, confidence=200), IOP)
add("marking-definition.interop-labels", "interop core: labels type", dict(md, labels="x"), IOP)
add("marking-definition.interop-revoked", "interop core: revoked type", dict(md, revoked="yes"), IOP)
add("marking-definition.interop-severity", "interop core: reserved property", dict(md, severity="high"), IOP)
add("marking-definition.interop-two-tlp", "interop core: maxContains 1", dict(md, object_marking_refs=[TLP_W, TLP_G]), IOP)
add("file.interop-created", "interop core on an observable with created", dict(copy.deepcopy(BASE["file"]), created=T), IOP)
add("file.interop-created-modified", "interop core on an observable with created and modified", dict(copy.deepcopy(BASE["file"]), created=T, modified=T), IOP)
add("custom.interop-object", "interop core on a custom object", sdo("x-acme-thing", name="n"), IOP)
add("custom.interop-object-two-tlp", "interop core on a custom object: maxContains 1", sdo("x-acme-thing", name="n", object_marking_refs=[TLP_W, TLP_G]), IOP)
PRODUCER = sdo("identity", id="identity--11111111-17d4-4cbf-938f-98ee46b3cd3f", name="root", identity_class="organization")
AUTHOR = sdo("identity", name="ACME", identity_class="organization", created_by_ref=PRODUCER["id"])
def bundle(*objs, **kw):
    b = {"type": "bundle", "id": f"bundle--{U4}", "objects": [copy.deepcopy(o) for o in objs]}; b.update(kw); return b
CAMP = with_producer(BASE["campaign"])
add("bundle.interop-producer", "interop_created_by_ref (valid)", bundle(PRODUCER, AUTHOR, CAMP), IOP)
add("bundle.interop-producer-without-own", "interop_created_by_ref: the producer has no created_by_ref", bundle(PRODUCER, dict(CAMP, created_by_ref=PRODUCER["id"])), IOP)
add("bundle.interop-producer-absent", "interop_created_by_ref: the producer is not in the bundle", bundle(PRODUCER, CAMP), IOP)
add("bundle.interop-sco", "interop_created_by_ref: an observable without created_by_ref", bundle(AUTHOR, CAMP, BASE["file"]), IOP)
add("bundle.interop-sco-producer", "interop_created_by_ref: an observable with a producer", bundle(AUTHOR, CAMP, dict(BASE["file"], created_by_ref=IDENT)), IOP)
add("bundle.interop-marking", "interop_created_by_ref: a marking definition needs a producer too", bundle(AUTHOR, CAMP, md), IOP)
add("bundle.interop-marking-producer", "interop_created_by_ref and core on a marking definition", bundle(AUTHOR, CAMP, dict(md, created_by_ref=IDENT)), IOP)
add("bundle.interop-relationship", "interop: relationship with a producer", bundle(AUTHOR, CAMP, with_producer(BASE["relationship"])), IOP)
add("bundle.interop-all", "interop: every base object with a producer", bundle(AUTHOR, *[with_producer(o) for t, o in BASE.items() if t != "identity"]), IOP)
add("bundle.interop-2.0", "interop: not applied to a STIX 2.0 bundle", bundle(BASE["campaign"], spec_version="2.0"), IOP)
add("bundle.interop-no-spec-version", "interop: an object without spec_version but with created is STIX 2.0 to the reference", bundle(AUTHOR, {k: v for k, v in CAMP.items() if k != "spec_version"}), IOP)
add("bundle.interop-no-spec-version-no-producer", "interop_created_by_ref applies to it all the same", bundle(AUTHOR, {k: v for k, v in BASE["campaign"].items() if k != "spec_version"}), IOP)
add("bundle.interop-off", "no interop: the same bundle without producers is valid", bundle(PRODUCER, BASE["campaign"], BASE["file"]))

# STIX patterns for the reference pattern validator
P_OK = ["[file:name = 'x']", "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4']", "[file:hashes.'SHA-1' = 'e6a80b4cbb2e6b1dc6d7d3b3ee1e4cba5d5a0d6c']",
        "[file:hashes.SSDEEP = '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C']", "[file:hashes.TLSH = 'anything']", "[file:hashes.MD6 = '79054025255fb1a26e4bc422aef54eb4ffff']",
        "[a:b = 1] REPEATS 2 TIMES WITHIN 5 SECONDS", "([a:b = 1] WITHIN 5 SECONDS) WITHIN 6 SECONDS", "[a:b = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-06-02T00:00:00Z'",
        "[a:b IN ('x', 1, true)]", "[a:b NOT LIKE 'x%'] FOLLOWEDBY [c:d MATCHES '^x$']", "[a:b[*].c = 1 AND NOT EXISTS a:d]", "((([a:b = 1])))",
        "[a:b = b'AAAA'] OR [a:c = h'00ff']", "[a:b = +1.5]", "[a:'b-c' = 1]", "[a:b = 1] // comment", "[a:b = 1] /* c */",
        "[" + " AND ".join(["file:name = 'a'"] * 50) + "]", "[a:b = 99999999999999999999]", "[file:hashes[*] = 'x']"]
P_BAD = ["file:name = 'x'", "[file:name = 'x'", "[file:hashes.MD5 = '7905']", "[file:hashes.'SHA-256' = 'aec0706']", "[file:hashes.sha1 = 'zz']",
         "[file:hashes.MD5 IN ('79054025255fb1a26e4bc422aef54eb4')]", "[file:extensions.'windows-pebinary-ext'.sections[*].hashes.'SHA-256' = 'x']",
         "[a:b = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS", "[a:b = 1] REPEATS 2 TIMES REPEATS 3 TIMES",
         "[a:b = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-06-02T00:00:00Z' START t'2016-06-01T00:00:00Z' STOP t'2016-06-02T00:00:00Z'",
         "[a:b = 01]", "[a:b = t'2016-13-01T00:00:00Z']", "[a:b = b'AAA']", "[a:b = h'0']", "[a:b = 'x\\y']", "[a:b > true]", "[a:b LIKE 1]",
         "[a:b = 1] WITHIN -5 SECONDS", "[a:b = 1] REPEATS 1.5 TIMES", "[a:b-c = 1]", "/* c */ [a:b = 1]", "[a:b = 1] /* open", "[a:b = 1] AND", "[]",
         "[a:b = 1] START '2016-06-01T00:00:00Z' STOP '2016-06-02T00:00:00Z'", "[a:b = 1] FOLLOWEDBY", "[a:b ^ 1]", "[file:hashes[0] = 'x']", ""]
pcases = [{"name": f"pattern.ok.{i:02}", "pattern": p} for i, p in enumerate(P_OK)] + \
         [{"name": f"pattern.bad.{i:02}", "pattern": p} for i, p in enumerate(P_BAD)]

def reference():
    from stix2validator import validate_instance, ValidationOptions
    from stix2patterns.validator import run_validator
    def verdict(inst, **kw):
        try:
            return bool(validate_instance(copy.deepcopy(inst), ValidationOptions(**kw)).is_valid)
        except Exception:
            return False
    for c in cases:
        o = dict(c["options"])
        c["reference"] = {"default": verdict(c["instance"], **o), "strict": verdict(c["instance"], strict=True, **o)}
    for c in pcases:
        try:
            c["reference"] = not run_validator(c["pattern"], "2.1")
        except Exception:
            c["reference"] = False

if __name__ == "__main__":
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.json")
    if "--reference" in sys.argv:
        reference()
    elif os.path.exists(out):  # keep recorded verdicts of unchanged cases
        old = json.load(open(out))
        prev = {c["name"]: c for c in old["cases"] + old["patterns"]}
        for c in cases + pcases:
            if c["name"] in prev and "reference" in prev[c["name"]]:
                same = prev[c["name"]].get("instance", prev[c["name"]].get("pattern")) == c.get("instance", c.get("pattern"))
                if same and prev[c["name"]].get("options", {}) == c.get("options", {}):
                    c["reference"] = prev[c["name"]]["reference"]
    json.dump({"generator": "crates/stix/tests/reference/generate.py",
               "reference": "stix2-validator 3.2.1 (cti-stix-validator 9e4a1ea, schemas 3bf9e69), stix2-patterns 2.1.2",
               "modes": {"default": "the case's options", "strict": "the case's options and strict"},
               "cases": cases, "patterns": pcases}, open(out, "w"), indent=1, ensure_ascii=False)
    print(len(cases), "cases,", len(pcases), "patterns ->", out)
