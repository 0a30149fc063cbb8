#!/usr/bin/env python3
"""Generate the built-in FICTIONAL demo scenario (crates/app/data/demo-scenario.json).

usage: python3 tools/gen_demo.py > crates/app/data/demo-scenario.json

Everything here is invented: the states (user-assigned ISO 3166 codes XRS and XKV), the
actors, the incidents, the addresses (documentation ranges) and the claims. Techniques are
named by real ATT&CK ids. Three campaigns with evidence arriving over time:
1. AMBER WOLF (GRU-style, sponsor XRS): energy and government networks of EST, LVA, LTU,
   POL over three weeks of March 2026; rated claims on days 4, 11 and 18.
2. PAPER OWL (espionage, sponsor XKV): ministries of FRA and DEU.
3. NOISE CHOIR (state-aligned hacktivists, XRS): a denial-of-service wave on ten members.
"""
import json
import uuid

NS = uuid.UUID("5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e50")
EXT = "extension-definition--5b7e1c2a-9d4f-4c1e-8a36-2f0d6c9b7e41"
CONCORD = "identity--8c1f4e0a-3b2d-4f6a-9e7c-5d1b2a3c4e5f"
GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"


def sid(kind, key):
    """A stable id that is a valid UUIDv4 (random-looking bits from a name hash)."""
    u = uuid.uuid5(NS, key)
    return f"{kind}--{uuid.UUID(bytes=u.bytes, version=4)}"


def ts(day, hour=9):
    return f"2026-03-{day:02d}T{hour:02d}:00:00.000Z"


objs = []
FICT = " (FICTIONAL demo)"


def add(o):
    o.setdefault("spec_version", "2.1")
    objs.append(o)
    return o["id"]


def ext(**kw):
    return {EXT: dict(extension_type="property-extension", **kw)}


# members' national CERTs
certs = {}
for code, name in [("EST", "CERT-EE"), ("LVA", "CERT.LV"), ("LTU", "NKSC"), ("POL", "CERT Polska"),
                   ("FRA", "CERT-FR"), ("DEU", "CERT-Bund"), ("NLD", "NCSC-NL"), ("ITA", "CSIRT Italia"),
                   ("ROU", "CERT-RO"), ("CZE", "NUKIB"), ("FIN", "NCSC-FI"), ("NOR", "NorCERT"),
                   ("SVK", "SK-CERT"), ("BEL", "CCB")]:
    certs[code] = add({"type": "identity", "id": sid("identity", code), "created": ts(1, 0), "modified": ts(1, 0),
                       "name": name + FICT, "identity_class": "organization", "extensions": ext(member=code)})

# fictional states and actors
states = {}
for code, name in [("XRS", "Republic of Xandria"), ("XKV", "Kingdom of Kovalia")]:
    states[code] = add({"type": "threat-actor", "id": sid("threat-actor", code), "created": ts(1, 0), "modified": ts(1, 0),
                        "name": name + FICT, "threat_actor_types": ["nation-state"]})

TECH = {
    "T1566.001": "Spearphishing Attachment", "T1059.001": "PowerShell", "T1071.001": "Web Protocols",
    "T1105": "Ingress Tool Transfer", "T1485": "Data Destruction", "T1561.002": "Disk Structure Wipe",
    "T1078": "Valid Accounts", "T1133": "External Remote Services", "T1021.001": "Remote Desktop Protocol",
    "T1114.002": "Remote Email Collection", "T1567.002": "Exfiltration to Cloud Storage", "T1027": "Obfuscated Files or Information",
    "T1498.001": "Direct Network Flood", "T1499.002": "Service Exhaustion Flood", "T1583.005": "Botnet",
    "T1190": "Exploit Public-Facing Application", "T1003.001": "LSASS Memory", "T1491.002": "External Defacement",
}
tech = {}
for t, name in TECH.items():
    tech[t] = add({"type": "attack-pattern", "id": sid("attack-pattern", t), "created": ts(1, 0), "modified": ts(1, 0),
                   "name": name, "external_references": [{"source_name": "mitre-attack", "external_id": t}]})

actors = {}
for key, name, motive, profile in [
    ("AMBER WOLF", "AMBER WOLF", None, ["T1566.001", "T1059.001", "T1071.001", "T1105", "T1485", "T1561.002", "T1078", "T1133", "T1003.001"]),
    ("PAPER OWL", "PAPER OWL", None, ["T1566.001", "T1114.002", "T1567.002", "T1027", "T1021.001", "T1078"]),
    ("NOISE CHOIR", "NOISE CHOIR", "ideology", ["T1498.001", "T1499.002", "T1583.005", "T1491.002"]),
]:
    o = {"type": "intrusion-set", "id": sid("intrusion-set", key), "created": ts(1, 0), "modified": ts(1, 0),
         "name": name + FICT, "aliases": [name]}
    if motive:
        o["primary_motivation"] = motive
    actors[key] = add(o)
    for t in profile:
        add({"type": "relationship", "id": sid("relationship", f"{key} uses {t}"), "created": ts(1, 0), "modified": ts(1, 0),
             "relationship_type": "uses", "source_ref": actors[key], "target_ref": tech[t]})
# the hub's background knowledge: who sponsors whom (context, rated C3)
for key, state in [("AMBER WOLF", "XRS"), ("PAPER OWL", "XKV"), ("NOISE CHOIR", "XRS")]:
    add({"type": "relationship", "id": sid("relationship", f"{key} sponsor"), "created": ts(1, 0), "modified": ts(1, 0),
         "relationship_type": "attributed-to", "source_ref": actors[key], "target_ref": states[state],
         "description": "Alliance background assessment" + FICT,
         "extensions": ext(sponsor=state, evidence_kind="context", reliability="C", credibility=3)})

wiper = add({"type": "malware", "id": sid("malware", "GLASSBREAK"), "created": ts(1, 0), "modified": ts(1, 0),
             "name": "GLASSBREAK wiper" + FICT, "is_family": True, "malware_types": ["wiper"]})
add({"type": "relationship", "id": sid("relationship", "AMBER WOLF uses GLASSBREAK"), "created": ts(1, 0), "modified": ts(1, 0),
     "relationship_type": "uses", "source_ref": actors["AMBER WOLF"], "target_ref": wiper})


def incident(key, day, victims, sectors, effects, fi, ii, rec, act, loc, name, techniques, infra, marking=GREEN, by=None):
    iid = sid("incident", key)
    o = {"type": "incident", "id": iid, "created": ts(day), "modified": ts(day), "name": name + FICT,
         "object_marking_refs": [marking],
         "extensions": ext(victims=victims, sectors=sectors, effects=effects, functional_impact=fi,
                           information_impact=ii, recoverability=rec, observed_activity=act, location=loc,
                           first_seen=ts(day))}
    if by:
        o["created_by_ref"] = certs[by]
    if marking == AMBER:
        o["extensions"][EXT]["recipients"] = ["EST", "LVA", "LTU", "POL"]
    add(o)
    for t in techniques:
        add({"type": "relationship", "id": sid("relationship", f"{key} uses {t}"), "created": ts(day), "modified": ts(day),
             "relationship_type": "uses", "source_ref": iid, "target_ref": tech[t], "object_marking_refs": [GREEN]})
    for x in infra:
        add({"type": "relationship", "id": sid("relationship", f"{key} related {x}"), "created": ts(day), "modified": ts(day),
             "relationship_type": "related-to", "source_ref": iid, "target_ref": x, "object_marking_refs": [GREEN]})
    return iid


def observable(kind, value):
    return add({"type": kind, "id": sid(kind, value), "value": value})


def claim(key, day, by, source, target, state, rel, cred, kind):
    add({"type": "relationship", "id": sid("relationship", f"claim {key}"), "created": ts(day, 15), "modified": ts(day, 15),
         "created_by_ref": certs[by], "relationship_type": "attributed-to", "source_ref": source, "target_ref": target,
         "object_marking_refs": [GREEN],
         "extensions": ext(sponsor=state, reliability=rel, credibility=cred, evidence_kind=kind)})


def campaign(key, name, day, incidents, desc):
    cid = sid("campaign", key)
    add({"type": "campaign", "id": cid, "created": ts(day), "modified": ts(day), "created_by_ref": CONCORD,
         "name": name + FICT, "description": desc, "first_seen": ts(day), "object_marking_refs": [GREEN]})
    for i in incidents:
        add({"type": "relationship", "id": sid("relationship", f"{key} has {i}"), "created": ts(day), "modified": ts(day),
             "created_by_ref": CONCORD, "relationship_type": "related-to", "source_ref": cid, "target_ref": i,
             "object_marking_refs": [GREEN]})
    return cid


# 1. AMBER WOLF against Baltic and Polish energy and government, 2-20 March
c2 = observable("ipv4-addr", "203.0.113.45")
dom = observable("domain-name", "update-grid.example")
w = [
    incident("aw1", 2, ["EST"], ["energy"], "espionage", "none", "suspected", "regular", "engage", "business",
             "Phishing wave against an Estonian grid operator", ["T1566.001", "T1059.001", "T1071.001"], [c2], by="EST"),
    incident("aw2", 6, ["LVA"], ["government"], "espionage", "degraded", "exfiltration", "supplemented", "presence", "business",
             "Intrusion at a Latvian ministry", ["T1078", "T1133", "T1003.001", "T1071.001"], [c2, dom], by="LVA"),
    incident("aw3", 12, ["LTU", "POL"], ["energy"], "disruption", "partial_loss", "alteration", "extended", "effect", "critical_systems",
             "Substation control outage in Lithuania and Poland", ["T1105", "T1059.001", "T1071.001", "T1133"], [dom], by="LTU"),
    incident("aw4", 19, ["EST", "LVA"], ["energy", "government"], "destruction", "complete_loss", "destruction", "not_recoverable",
             "effect", "critical_systems", "Wiper attack on grid control and government networks",
             ["T1485", "T1561.002", "T1105", "T1071.001"], [c2], marking=AMBER, by="EST"),
]
add({"type": "relationship", "id": sid("relationship", "aw4 uses wiper"), "created": ts(19), "modified": ts(19),
     "relationship_type": "uses", "source_ref": w[3], "target_ref": wiper, "object_marking_refs": [GREEN]})
amber_wolf = campaign("amber-wolf", "Baltic grid campaign", 2, w,
                      "Intrusions, outages and a wiper against Baltic and Polish energy and government networks over three weeks.")
claim("aw-est", 4, "EST", amber_wolf, actors["AMBER WOLF"], "XRS", "B", 3, "ttp")
claim("aw-ltu", 13, "LTU", amber_wolf, states["XRS"], "XRS", "A", 2, "infrastructure")
claim("aw-pol", 20, "POL", amber_wolf, states["XRS"], "XRS", "B", 2, "intelligence")

# 2. PAPER OWL: espionage against French and German ministries, 5-17 March
p = [
    incident("po1", 5, ["FRA"], ["government"], "espionage", "none", "exfiltration", "regular", "presence", "business",
             "Mailbox collection at a French ministry", ["T1566.001", "T1114.002", "T1567.002"], [], by="FRA"),
    incident("po2", 10, ["DEU"], ["government"], "espionage", "none", "exfiltration", "supplemented", "presence", "business",
             "Cloud exfiltration from a German ministry", ["T1078", "T1114.002", "T1567.002", "T1027"], [], by="DEU"),
    incident("po3", 17, ["FRA", "DEU"], ["government", "defence"], "espionage", "degraded", "exfiltration", "supplemented",
             "presence", "business", "Remote access to defence planning networks", ["T1021.001", "T1078", "T1567.002"], [], by="DEU"),
]
paper_owl = campaign("paper-owl", "Ministry espionage campaign", 5, p,
                     "Persistent espionage against French and German ministries.")
claim("po-fra", 12, "FRA", paper_owl, actors["PAPER OWL"], "XKV", "C", 3, "ttp")
claim("po-deu", 18, "DEU", paper_owl, states["XKV"], "XKV", "B", 3, "intelligence")

# 3. NOISE CHOIR: denial of service on ten members, 8-9 March
victims = ["NLD", "ITA", "ROU", "CZE", "FIN", "NOR", "SVK", "BEL", "POL", "LTU"]
d = [incident("nc", 8, victims, ["finance", "transport", "government"], "disruption", "degraded", "none", "regular", "effect",
              "business", "Denial-of-service wave on banks, airports and government portals",
              ["T1498.001", "T1499.002", "T1583.005", "T1491.002"], [], by="NLD")]
noise = campaign("noise-choir", "Denial-of-service wave", 8, d,
                 "A state-aligned hacktivist denial-of-service wave against ten members.")
claim("nc-nld", 9, "NLD", noise, actors["NOISE CHOIR"], "XRS", "B", 2, "context")

print(json.dumps({"type": "bundle", "id": str(sid("bundle", "demo")), "objects": objs}, indent=1))
