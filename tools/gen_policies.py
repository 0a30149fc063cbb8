#!/usr/bin/env python3
"""Writes crates/policy/policies/*.toml, the built-in ILLUSTRATIVE member positions, and
their index. Positions are derived from the public statements summarised in
../shared/DOMAIN.md section 4 (CCDCOE Cyber Law Toolkit national positions); where a state
has published no position the file says so and uses the alliance baseline.
Run from the repository root: python3 tools/gen_policies.py"""
import os

TOOLKIT = "CCDCOE Cyber Law Toolkit, national positions"
BASE = {
    "share": ("true", None),
    "assist": ("affected_self or (members_affected >= 1 and severity >= medium)", None),
    "solidarity": ("affected_self or (attribution >= moderate and severity >= medium and actor in [state, state_aligned])", None),
    "attribute": ("attribution >= high and severity >= medium", None),
    "diplomatic": ("attribution >= moderate and severity >= medium and actor in [state, state_aligned]", None),
    "sanctions": ("attribution >= high and severity >= high and actor == state", None),
    "consult": ("affected_self and severity >= high", None),
    "inform": ("attribution >= high and severity >= high", None),
    "defend": ("(affected_self or members_affected >= 3) and severity >= high and attribution >= moderate", None),
    "countermeasures": ("attribution >= high and severity >= severe and actor == state and legal >= sovereignty_violation", None),
    "art5": ("legal == armed_attack and attribution >= high and actor == state", None),
}
FRONTLINE = {
    "attribute": ("attribution >= moderate and severity >= medium", None),
    "sanctions": ("attribution >= moderate and severity >= high and actor in [state, state_aligned]", None),
    "consult": ("affected_self or (severity >= high and attribution >= moderate and actor in [state, state_aligned])", None),
    "inform": ("attribution >= moderate and severity >= medium and actor in [state, state_aligned]", None),
    "defend": ("severity >= high and attribution >= low", None),
    "countermeasures": ("attribution >= moderate and severity >= high and actor in [state, state_aligned] and legal >= sovereignty_violation", None),
    "art5": ("(affected_self or members_affected >= 3) and legal >= use_of_force and attribution >= moderate and actor == state", None),
}
CAUTIOUS_ATTRIBUTION = {
    "attribute": ("attribution >= high and severity >= medium", "attribution == none"),
    "sanctions": ("attribution >= high and severity >= high and actor == state", "attribution <= low"),
    "art5": ("legal == armed_attack and attribution >= high and actor == state", "attribution < high"),
}

def doctrine(rule, threshold, nonphysical):
    return {"sovereignty_rule": rule, "sovereignty_threshold": threshold, "nonphysical_force": nonphysical}

NO_POSITION = ("Illustrative baseline: no national position on international law in cyberspace of {name} "
               "is summarised in the " + TOOLKIT + " material concord draws on (../shared/DOMAIN.md section 4); "
               "this file applies the alliance baseline and the default doctrine. Replace it with the member's own position.")

MEMBERS = {}
def member(code, name, source, doc=None, over=None, notes=()):
    MEMBERS[code] = (name, source, doc, over or {}, notes)

for code, name in [("ALB", "Albania"), ("BEL", "Belgium"), ("BGR", "Bulgaria"), ("ESP", "Spain"), ("GRC", "Greece"),
                   ("HRV", "Croatia"), ("HUN", "Hungary"), ("ISL", "Iceland"), ("LUX", "Luxembourg"), ("MKD", "North Macedonia"),
                   ("MNE", "Montenegro"), ("PRT", "Portugal"), ("SVK", "Slovakia"), ("SVN", "Slovenia"), ("TUR", "Türkiye")]:
    member(code, name, NO_POSITION.format(name=name))

member("EST", "Estonia", f"Illustrative, derived from Estonia's 2019 and 2021 positions ({TOOLKIT}): sovereignty is a rule violated by intrusions; cyber operations with significant effects can be a use of force; Estonia supports collective countermeasures and pushes for Article 4 consultations.",
       doctrine(True, "any_intrusion", True), FRONTLINE, ["frontline state (DOMAIN section 1)"])
member("LVA", "Latvia", f"Illustrative, frontline position as described in ../shared/DOMAIN.md section 1 (Latvia pushes for Article 4 consultations and proportionate cyber measures); doctrine fields not verified against a published Latvian position ({TOOLKIT}).",
       doctrine(True, "loss_of_functionality", True), FRONTLINE)
member("LTU", "Lithuania", f"Illustrative, frontline position as described in ../shared/DOMAIN.md section 1 (Lithuania pushes for Article 4 consultations and proportionate cyber measures); doctrine fields not verified against a published Lithuanian position ({TOOLKIT}).",
       doctrine(True, "loss_of_functionality", True), FRONTLINE)
member("POL", "Poland", f"Illustrative, derived from Poland's 2022 position ({TOOLKIT}): sovereignty is the first threshold of a four-step ladder (violation of sovereignty, prohibited intervention, use of force, armed attack); Poland argues for collective countermeasures.",
       doctrine(True, "any_intrusion", True), FRONTLINE)
member("FRA", "France", f"Illustrative, derived from France's 2019 position ({TOOLKIT}): sovereignty is a rule and any intrusion violates it; an armed attack needs substantial loss of life or considerable physical or economic damage; France rejects collective countermeasures, so it blocks countermeasures it is not the victim of, and wants strong attribution before collective steps.",
       doctrine(True, "any_intrusion", False),
       {**CAUTIOUS_ATTRIBUTION,
        "consult": ("affected_self and severity >= medium", None),
        "diplomatic": ("attribution >= moderate and severity >= high and actor == state", None),
        "inform": ("affected_self and attribution >= high", "attribution < high"),
        "defend": ("attribution >= moderate and severity >= severe", None),
        "countermeasures": ("affected_self and attribution >= high and legal >= sovereignty_violation", "not affected_self or attribution < high")})
member("DEU", "Germany", f"Illustrative, derived from Germany's 2021 position ({TOOLKIT}): sovereignty is a rule; use of force judged by scale and effects; collective countermeasures unsettled (unverified), so Germany blocks countermeasures until attribution is high.",
       doctrine(True, "loss_of_functionality", False),
       {**CAUTIOUS_ATTRIBUTION,
        "consult": ("affected_self and severity >= medium", None),
        "inform": ("attribution >= high and severity >= high", "attribution < moderate"),
        "countermeasures": ("(affected_self or severity >= severe) and attribution >= high and legal >= sovereignty_violation", "attribution < high")})
member("GBR", "United Kingdom", f"Illustrative, derived from the United Kingdom's 2018 and 2022 positions ({TOOLKIT}): sovereignty is a principle, not a rule; an armed attack needs death or destruction of equivalent scale; the UK attributes publicly and often; collective countermeasures not endorsed (unverified).",
       doctrine(False, "loss_of_functionality", False),
       {"attribute": ("attribution >= moderate and severity >= medium", None),
        "countermeasures": ("attribution >= high and severity >= high and actor == state and (affected_self or legal >= use_of_force)", None)})
member("USA", "United States", f"Illustrative, derived from United States statements ({TOOLKIT}): partly with the UK on sovereignty; no gap between use of force and armed attack (unverified), so Article 5 support starts at use of force.",
       doctrine(False, "loss_of_functionality", False),
       {"attribute": ("attribution >= moderate and severity >= medium", None),
        "countermeasures": ("attribution >= moderate and severity >= high and actor == state", None),
        "art5": ("legal >= use_of_force and attribution >= high and actor == state", None)})
member("NLD", "Netherlands", f"Illustrative, derived from the Netherlands' 2019 position ({TOOLKIT}): sovereignty is a rule; an armed attack with economic-only effects is not ruled out; collective countermeasures not accepted (unverified).",
       doctrine(True, "loss_of_functionality", True),
       {"countermeasures": ("affected_self and attribution >= moderate and legal >= sovereignty_violation", None)})
member("DNK", "Denmark", f"Illustrative, derived from Denmark's 2023 position ({TOOLKIT}, partly unverified): death, injury or major damage is prima facie a use of force and serious economic harm is not ruled out; collective countermeasures unsettled.",
       doctrine(True, "loss_of_functionality", True),
       {"countermeasures": ("affected_self and attribution >= high and legal >= sovereignty_violation", None)})
member("CAN", "Canada", f"Illustrative, derived from Canada's 2022 position ({TOOLKIT}): sovereignty is a rule; countermeasures need not be in kind; collective countermeasures: too little state practice (unverified).",
       doctrine(True, "loss_of_functionality", False),
       {"countermeasures": ("affected_self and attribution >= moderate and legal >= sovereignty_violation", None)})
for code, name, cm in [("FIN", "Finland", False), ("CZE", "Czechia", False), ("ROU", "Romania", False),
                       ("ITA", "Italy", True), ("NOR", "Norway", True), ("SWE", "Sweden", True)]:
    extra = " Countermeasures apply to cyber operations (position summary)." if cm else ""
    member(code, name, f"Illustrative, derived from {name}'s published position ({TOOLKIT}): sovereignty is a rule.{extra} Other details unverified.",
           doctrine(True, "loss_of_functionality", False),
           {"countermeasures": ("(affected_self or severity >= severe) and attribution >= high and actor == state and legal >= sovereignty_violation", None)} if cm else {})

# Allies that have publicly offered national cyber effects to NATO (SCEPVA), DOMAIN section 7.
SCEPVA = {"USA", "GBR", "DNK", "EST", "NLD"}

ORDER = ["share", "assist", "solidarity", "attribute", "diplomatic", "sanctions", "consult", "inform", "defend", "countermeasures", "art5"]
out_dir = "crates/policy/policies"
os.makedirs(out_dir, exist_ok=True)
index = []
for code in sorted(MEMBERS):
    name, source, doc, over, notes = MEMBERS[code]
    lines = [f"# {name}: ILLUSTRATIVE position, not an official statement of {name}.",
             "# Generated by tools/gen_policies.py; edit the generator, not this file.",
             f'member = "{code}"', f'source = "{source}"']
    if code in SCEPVA:
        lines += ["", "[capacity]", "defend = true", "countermeasures = true"]
    if doc:
        lines += ["", "[doctrine]", f"sovereignty_rule = {str(doc['sovereignty_rule']).lower()}",
                  f'sovereignty_threshold = "{doc["sovereignty_threshold"]}"', f"nonphysical_force = {str(doc['nonphysical_force']).lower()}"]
    for opt in ORDER:
        support, block = over.get(opt, BASE[opt])
        lines += ["", f"[stance.{opt}]"]
        if support:
            lines.append(f'support = "{support}"')
        if block:
            lines.append(f'block = "{block}"')
    open(f"{out_dir}/{code}.toml", "w").write("\n".join(lines) + "\n")
    index.append(f'    ("{code}.toml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/{code}.toml"))),')
open(f"{out_dir}/index.rs", "w").write("// Generated by tools/gen_policies.py.\n[\n" + "\n".join(index) + "\n]\n")
print(len(MEMBERS), "policies")
