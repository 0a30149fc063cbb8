#!/usr/bin/env python3
"""Writes the built-in ILLUSTRATIVE member positions of both built-in forums:
crates/policy/policies/nato/*.toml (NATO's 32 allies) and crates/policy/policies/eu/*.toml
(the EU's 27 member states), and their index files.

Every position is derived from public statements and cites them in its `source`; docs/positions.md
explains each member and the evidence behind it. Conditions describe kinds of incidents
(severity, attribution, effects, actor, victims), never a particular case: the case library
(`concord cases`) tests the positions against the public record, it does not write them.

A member's doctrine is the same in every forum it belongs to (checked by the tests).
Run from the repository root: python3 tools/gen_policies.py"""
import os

TOOLKIT = "CCDCOE Cyber Law Toolkit"
EU_DECL = ("EU common declaration on the application of international law in cyberspace "
           "(Council of the EU, 18 November 2024, ST 15833/24): sovereignty is an obligation a "
           "cyber operation can violate by infringing territorial integrity or interfering with "
           "inherently governmental functions")
BRUSSELS_2018 = ("Brussels Summit Declaration (11 July 2018) para 20: attribution is a sovereign "
                 "national prerogative; the alliance acknowledges its members' national "
                 "attributions rather than attributing itself")
SCEPVA_SRC = ("offered sovereign cyber effects to NATO (SCEPVA): Reuters and AFP, 3 October 2018; "
              "Lawfare, 14 February 2019")
VCISC_SRC = ("took part in the first activation of NATO's Virtual Cyber Incident Support Capability "
             "(Vilnius, July 2023; Spanish EMAD press release, 17 July 2023)")

# ---- doctrines (DESIGN 3.1 / 5) --------------------------------------------------------------

def doctrine(rule, threshold, nonphysical):
    return {"sovereignty_rule": rule, "sovereignty_threshold": threshold,
            "nonphysical_force": nonphysical}

LOF, ANY = "loss_of_functionality", "any_intrusion"
EU_BASELINE = doctrine(True, LOF, False)
DEFAULT = None  # no doctrine table: sovereignty is no rule, loss_of_functionality, no non-physical force

# ---- members ---------------------------------------------------------------------------------
# code: (name, forums, doctrine, source sentence, traits)
# traits: frontline (pushes for collective measures; DOMAIN section 1), cautious (wants strong
# attribution first and fears escalation; DOMAIN section 1), cm: stance on collective
# countermeasures ("supports", "rejects", "own" = only as a victim, None = general
# position), scepva (offered national cyber effects), vcisc (offers incident support),
# sanctions_practice (has a national cyber sanctions regime of its own: the US and the UK;
# the EU's members list through the EU, decided in the EU forum), attributes (joins public
# attributions readily; otherwise only at high severity).
MEMBERS = {}


def member(code, name, forums, doc, source, **traits):
    MEMBERS[code] = (name, forums, doc, source, traits)


NATO, EU, BOTH = ("nato",), ("eu",), ("nato", "eu")

member("ALB", "Albania", NATO, DEFAULT,
       "No published national position on international law in cyberspace was found; default "
       "doctrine. Albania attributes publicly (the July 2022 attacks to Iran, 7 September 2022) "
       f"and {VCISC_SRC}.", vcisc=True, attributes=True)
member("AUT", "Austria", EU, EU_BASELINE,
       f"Austria's national position (2024) holds sovereignty to be a rule ({TOOLKIT}, "
       f"'Sovereignty'); threshold and force as in the {EU_DECL}.")
member("BEL", "Belgium", BOTH, EU_BASELINE,
       f"No standalone national position; Belgium is bound by the {EU_DECL}. It {VCISC_SRC}.",
       vcisc=True)
member("BGR", "Bulgaria", BOTH, EU_BASELINE,
       f"No standalone national position; Bulgaria is bound by the {EU_DECL}.")
member("CAN", "Canada", NATO, doctrine(True, LOF, False),
       f"Canada's 2022 position ({TOOLKIT}): territorial sovereignty is a rule; countermeasures "
       "need not be in kind; too little state practice for collective countermeasures "
       "(unverified), so Canada takes part in countermeasures as a victim only. Canada joins "
       "coordinated attributions (NotPetya, February 2018).", cm="own", attributes=True)
member("CYP", "Cyprus", EU, EU_BASELINE,
       f"No standalone national position; Cyprus is bound by the {EU_DECL}.")
member("CZE", "Czechia", BOTH, doctrine(True, LOF, False),
       f"Czechia's 2020 statements and 2024 position paper ({TOOLKIT}): sovereignty is a rule. "
       "Czechia organised NATO's VCISC exercise of April 2025 and attributed the APT28 campaign "
       "of 2023-24 (3 May 2024).", vcisc=True, attributes=True)
member("DEU", "Germany", BOTH, doctrine(True, LOF, False),
       f"Germany's 2021 position ({TOOLKIT}): sovereignty is a rule; use of force judged by scale "
       "and effects; collective countermeasures unsettled (unverified). Germany wants strong "
       "attribution before collective steps and fears escalation (DOMAIN section 1), so it holds "
       "back countermeasures and overt campaigns below high attribution.", cautious=True,
       attributes=True)
member("DNK", "Denmark", BOTH, doctrine(True, LOF, True),
       f"Denmark's 2023 position ({TOOLKIT}): death, injury or major damage is prima facie a use of "
       "force and serious economic harm is not ruled out; collective countermeasures unsettled. "
       f"Denmark {SCEPVA_SRC}.", scepva=True, attributes=True)
member("ESP", "Spain", BOTH, EU_BASELINE,
       f"No standalone national position; Spain is bound by the {EU_DECL}. It {VCISC_SRC}.",
       vcisc=True)
member("EST", "Estonia", BOTH, doctrine(True, ANY, True),
       f"Estonia's 2019 and 2021 positions ({TOOLKIT}): sovereignty is a rule; cyber operations "
       "with significant effects can be a use of force; Estonia supports collective "
       "countermeasures (President Kaljulaid, CyCon, 29 May 2019) and is a frontline state "
       f"(DOMAIN section 1). Estonia {SCEPVA_SRC} and {VCISC_SRC}.", frontline=True,
       cm="supports", scepva=True, vcisc=True, attributes=True)
member("FIN", "Finland", BOTH, doctrine(True, LOF, False),
       f"Finland's 2020 position ({TOOLKIT}): sovereignty is a rule; other details unverified.")
member("FRA", "France", BOTH, doctrine(True, ANY, True),
       f"France's 2019 position ({TOOLKIT}): sovereignty is a rule and any intrusion violates it; "
       "a cyber operation without physical effects may be a use of force, an armed attack needs "
       "substantial loss of life or considerable physical or economic damage; collective "
       "countermeasures are not authorised, so France blocks countermeasures it is not the victim "
       "of; France wants strong attribution before collective steps (DOMAIN section 1).",
       cautious=True, cm="rejects")
member("GBR", "United Kingdom", NATO, doctrine(False, LOF, False),
       f"The United Kingdom's 2018 and 2022 positions ({TOOLKIT}): sovereignty is a principle, not "
       "a rule; an armed attack needs death or destruction of equivalent scale; the UK attributes "
       "publicly and often; collective countermeasures not endorsed (unverified). It has a national "
       "cyber sanctions regime (The Cyber (Sanctions) (EU Exit) Regulations 2020, SI 2020/597; "
       "first listings with the US against APT31, 25 March 2024). The UK "
       f"{SCEPVA_SRC}.", scepva=True, attributes=True, sanctions_practice=True)
member("GRC", "Greece", BOTH, EU_BASELINE,
       f"No standalone national position; Greece is bound by the {EU_DECL}.")
member("HRV", "Croatia", BOTH, EU_BASELINE,
       f"No standalone national position; Croatia is bound by the {EU_DECL}.")
member("HUN", "Hungary", BOTH, EU_BASELINE,
       f"No standalone national position; Hungary is bound by the {EU_DECL}.")
member("IRL", "Ireland", EU, EU_BASELINE,
       f"Ireland's national position (2023; details unverified) and the {EU_DECL}.")
member("ISL", "Iceland", NATO, DEFAULT,
       "No published national position on international law in cyberspace was found; default "
       "doctrine. Iceland has no armed forces.")
member("ITA", "Italy", BOTH, doctrine(True, LOF, False),
       f"Italy's 2021 position paper ({TOOLKIT}): sovereignty is a rule; an armed attack is a "
       "cyberattack whose scale and effects compare to a kinetic one; countermeasures apply to "
       "cyber operations.")
member("LTU", "Lithuania", BOTH, EU_BASELINE,
       f"No published legal position; doctrine as in the {EU_DECL}. Lithuania is a frontline state "
       "pushing for collective measures (DOMAIN section 1); it organised the first VCISC "
       "activation (July 2023) and joins coordinated attributions (NotPetya, February 2018).",
       frontline=True, vcisc=True, attributes=True)
member("LUX", "Luxembourg", BOTH, EU_BASELINE,
       f"No standalone national position; Luxembourg is bound by the {EU_DECL}.")
member("LVA", "Latvia", BOTH, EU_BASELINE,
       f"No published legal position; doctrine as in the {EU_DECL}. Latvia is a frontline state "
       "pushing for collective measures (DOMAIN section 1).", frontline=True, attributes=True)
member("MKD", "North Macedonia", NATO, DEFAULT,
       "No published national position on international law in cyberspace was found; default "
       "doctrine.")
member("MLT", "Malta", EU, EU_BASELINE,
       f"No standalone national position; Malta is bound by the {EU_DECL}.")
member("MNE", "Montenegro", NATO, DEFAULT,
       "No published national position on international law in cyberspace was found; default "
       "doctrine.")
member("NLD", "Netherlands", BOTH, doctrine(True, LOF, True),
       f"The Netherlands' 2019 position ({TOOLKIT}): sovereignty is a rule; an armed attack with "
       "economic-only effects is not ruled out; collective countermeasures not accepted "
       "(unverified), so the Netherlands takes part in countermeasures as a victim only. It "
       f"{SCEPVA_SRC} and {VCISC_SRC}.", cm="own", scepva=True, vcisc=True, attributes=True)
member("NOR", "Norway", NATO, doctrine(True, LOF, True),
       f"Norway's 2021 contribution to the UN GGE compendium A/76/136 ({TOOLKIT}): sovereignty is "
       "a rule; countermeasures apply to cyber operations; a cyber operation without physical "
       "effects may be a use of force if certain criteria are met (secondary source: University of "
       f"Lodz, 2023). Norway {VCISC_SRC}.", vcisc=True)
member("POL", "Poland", BOTH, doctrine(True, ANY, True),
       f"Poland's 2022 position ({TOOLKIT}): sovereignty is the first threshold of a four-step "
       "ladder (violation of sovereignty, prohibited intervention, use of force, armed attack); "
       "Poland argues for collective (third-party) countermeasures and is a frontline state "
       f"(DOMAIN section 1). It {VCISC_SRC}.", frontline=True, cm="supports", vcisc=True,
       attributes=True)
member("PRT", "Portugal", BOTH, EU_BASELINE,
       f"No standalone national position; Portugal is bound by the {EU_DECL}.")
member("ROU", "Romania", BOTH, doctrine(True, LOF, False),
       f"Romania's 2021 contribution to the UN GGE compendium ({TOOLKIT}): sovereignty is a rule; "
       "other details unverified.")
member("SVK", "Slovakia", BOTH, EU_BASELINE,
       f"No standalone national position; Slovakia is bound by the {EU_DECL}. It {VCISC_SRC}.",
       vcisc=True)
member("SVN", "Slovenia", BOTH, EU_BASELINE,
       f"No standalone national position; Slovenia is bound by the {EU_DECL}. It {VCISC_SRC}.",
       vcisc=True)
member("SWE", "Sweden", BOTH, doctrine(True, LOF, False),
       f"Sweden's 2022 position paper ({TOOLKIT}): sovereignty is a rule; countermeasures apply to "
       "cyber operations.")
member("TUR", "Türkiye", NATO, DEFAULT,
       "No published national position on international law in cyberspace was found; default "
       f"doctrine. Türkiye {VCISC_SRC}.", vcisc=True)
member("USA", "United States", NATO, doctrine(False, LOF, False),
       f"United States statements ({TOOLKIT}; Koh 2012, Egan 2016, Ney 2020): partly with the UK on "
       "sovereignty; no gap between use of force and armed attack (unverified); the US attributes "
       f"publicly and often and imposes national cyber sanctions (Executive Order 13694, 1 April 2015). "
       f"The US {SCEPVA_SRC}.", scepva=True,
       attributes=True, sanctions_practice=True)

# ---- NATO stances ----------------------------------------------------------------------------
STATE_OR_ALIGNED = "actor in [state, state_aligned]"


def nato_stances(t):
    """(support, block) per rung; block is None, a string, or a dict of reasons."""
    front, cautious, cm = t.get("frontline"), t.get("cautious"), t.get("cm")
    s = {}
    s["share"] = ("true", None)
    s["assist"] = ("affected_self and severity >= low", None)
    if t.get("vcisc"):
        s["assist"] = ("(affected_self and severity >= low) or severity >= medium", None)
    # Solidarity: a statement recognising the victims' national attributions, at their request,
    # for a campaign across allies or an attack with disruptive or destructive effects (one
    # ally spied on answers nationally).
    s["solidarity"] = (f"attribution >= moderate and {STATE_OR_ALIGNED} and severity >= medium "
                       "and (effects >= disruption or members_affected >= 2)", None)
    # Attribution by the alliance as such: a national prerogative, short of an armed attack.
    s["attribute"] = ("attribution == high and actor == state and legal == armed_attack",
                      {"policy": "legal < armed_attack"})
    # Coordinated national attributions: a member joins another's public attribution on its
    # own confidence in it (high); a frontline state attributes at moderate what hits itself.
    if front:
        s["diplomatic"] = (f"(affected_self and attribution >= moderate and {STATE_OR_ALIGNED} and severity >= medium) "
                           "or (attribution == high and actor == state and severity >= medium)", None)
    elif t.get("attributes"):
        s["diplomatic"] = ("attribution == high and actor == state and severity >= medium", None)
    else:
        s["diplomatic"] = ("attribution == high and actor == state and severity >= high", None)
    # National cyber sanctions need a national regime to list under (the US and the UK); the
    # others join coordinated restrictive measures only for grave state operations.
    if t.get("sanctions_practice"):
        s["sanctions"] = (f"attribution == high and {STATE_OR_ALIGNED} and severity >= medium", None)
    else:
        s["sanctions"] = ("attribution == high and actor == state and severity >= high "
                          "and (affected_self or members_affected >= 3)", None)
    # Article 4: for a cyber incident only at the gravest level, as a victim.
    if front:
        s["consult"] = ("affected_self and (legal == armed_attack or (severity == emergency and "
                        f"attribution >= moderate and {STATE_OR_ALIGNED}))", None)
    else:
        s["consult"] = ("affected_self and legal == armed_attack and attribution >= moderate", None)
    if front:
        s["inform"] = (f"attribution >= moderate and {STATE_OR_ALIGNED} and severity >= high", None)
    else:
        s["inform"] = ("attribution == high and actor == state and severity >= severe", None)
    if cautious:
        s["inform"] = (s["inform"][0], {"risk": "not affected_self and attribution < high"})
    if front:
        s["defend"] = (f"severity >= high and attribution >= low and {STATE_OR_ALIGNED}", None)
    else:
        s["defend"] = ("(affected_self or members_affected >= 3) and severity >= high and "
                       f"attribution >= moderate and {STATE_OR_ALIGNED}", None)
    if cautious:
        s["defend"] = (s["defend"][0], {"threshold": "attribution < moderate"})
    # Countermeasures (legal basis, prerequisite and contributors come from the ladder).
    if cm == "supports" or front:
        s["countermeasures"] = (f"attribution >= moderate and severity >= high and {STATE_OR_ALIGNED}", None)
    elif cm == "rejects":
        s["countermeasures"] = ("affected_self and attribution == high and actor == state",
                                {"legal": "not affected_self", "threshold": "attribution < high"})
    elif cm == "own":
        s["countermeasures"] = ("affected_self and attribution >= moderate and actor == state", None)
    elif cautious:
        s["countermeasures"] = ("attribution == high and actor == state and (affected_self or severity >= severe)",
                                {"threshold": "attribution < high"})
    else:
        s["countermeasures"] = ("attribution == high and actor == state and severity >= high and "
                                "(affected_self or legal >= use_of_force)", None)
    if front:
        s["art5"] = (f"legal == armed_attack and attribution >= moderate and {STATE_OR_ALIGNED}", None)
    else:
        s["art5"] = ("legal == armed_attack and attribution == high and actor == state", None)
    if cautious:
        s["art5"] = (s["art5"][0], {"threshold": "attribution < high"})
    return s


NATO_ORDER = ["share", "assist", "solidarity", "attribute", "diplomatic", "sanctions", "consult",
              "inform", "defend", "countermeasures", "art5"]

# ---- EU stances ------------------------------------------------------------------------------


def eu_stances(t):
    front = t.get("frontline")
    s = {}
    s["share"] = ("true", None)
    s["assist"] = ("affected_self and severity >= low", None)
    if front:
        s["declaration"] = (f"attribution >= moderate and {STATE_OR_ALIGNED} and severity >= medium", None)
    else:
        s["declaration"] = (f"attribution == high and {STATE_OR_ALIGNED} and severity >= medium", None)
    s["conclusions"] = ("attribution == high and actor == state and severity >= severe", None)
    # Listings are proposed by a member state (or the High Representative) for attacks on the
    # Union or its member states (Decision (CFSP) 2019/797 Art 1).
    s["sanctions"] = ("affected_self and attribution == high and actor == state and severity >= medium", None)
    s["mutual_assistance"] = ("affected_self and legal == armed_attack and actor == state", None)
    return s


EU_ORDER = ["share", "assist", "declaration", "conclusions", "sanctions", "mutual_assistance"]

# ---- writing ---------------------------------------------------------------------------------


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_forum(forum, order, stances_of):
    out_dir = f"crates/policy/policies/{forum}"
    os.makedirs(out_dir, exist_ok=True)
    for f in os.listdir(out_dir):
        if f.endswith(".toml"):
            os.remove(os.path.join(out_dir, f))
    index = []
    for code in sorted(c for c, m in MEMBERS.items() if forum in m[1]):
        name, _, doc, source, traits = MEMBERS[code]
        lines = [f"# {name}: ILLUSTRATIVE position in the {forum.upper()} forum, not an official "
                 f"statement of {name}.",
                 "# Generated by tools/gen_policies.py; edit the generator, not this file.",
                 f'member = "{code}"',
                 f"source = {toml_str('Illustrative. ' + source + ' Attribution: ' + BRUSSELS_2018 + '.' if forum == 'nato' else 'Illustrative. ' + source)}"]
        if doc:
            lines += ["", "[doctrine]",
                      f"sovereignty_rule = {str(doc['sovereignty_rule']).lower()}",
                      f'sovereignty_threshold = "{doc["sovereignty_threshold"]}"',
                      f"nonphysical_force = {str(doc['nonphysical_force']).lower()}"]
        cap = []
        if forum == "nato":
            if traits.get("vcisc") or traits.get("scepva"):
                cap.append("assist = true")
            if traits.get("scepva"):
                cap += ["defend = true", "countermeasures = true"]
        if cap:
            lines += ["", "[capacity]"] + cap
        st = stances_of(traits)
        for opt in order:
            support, block = st[opt]
            lines += ["", f"[stance.{opt}]"]
            if support:
                lines.append(f"support = {toml_str(support)}")
            if isinstance(block, str):
                lines.append(f"block = {toml_str(block)}")
            elif isinstance(block, dict):
                lines += ["", f"[stance.{opt}.block]"]
                for reason in ["legal", "threshold", "capacity", "risk", "policy"]:
                    if reason in block:
                        lines.append(f"{reason} = {toml_str(block[reason])}")
        open(f"{out_dir}/{code}.toml", "w").write("\n".join(lines) + "\n")
        index.append(f'    ("{code}.toml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), '
                     f'"/policies/{forum}/{code}.toml"))),')
    open(f"{out_dir}/index.rs", "w").write(
        "// Generated by tools/gen_policies.py.\n[\n" + "\n".join(index) + "\n]\n")
    return len(index)


def write_doc():
    """docs/positions.md: the members' table, generated from the same data."""
    rows = []
    for code in sorted(MEMBERS):
        name, forums, doc, source, t = MEMBERS[code]
        d = doc or {"sovereignty_rule": False, "sovereignty_threshold": LOF, "nonphysical_force": False}
        traits = [k for k in ("frontline", "cautious") if t.get(k)]
        if t.get("cm"):
            traits.append({"supports": "supports collective countermeasures",
                           "rejects": "rejects collective countermeasures",
                           "own": "countermeasures as a victim only"}[t["cm"]])
        cap = [k for k, v in (("national cyber effects (defend, countermeasures)", t.get("scepva")),
                              ("incident support (assist)", t.get("vcisc") or t.get("scepva"))) if v]
        rows.append(f"| {code} | {name} | {', '.join(f.upper() for f in forums)} | "
                    f"{'rule' if d['sovereignty_rule'] else 'principle'}, "
                    f"{d['sovereignty_threshold'].replace('_', ' ')}"
                    f"{', non-physical force' if d['nonphysical_force'] else ''} | "
                    f"{'; '.join(traits) or '-'} | {'; '.join(cap) or '-'} | {source} |")
    head = open("tools/positions-head.md").read()
    open("docs/positions.md", "w").write(
        head + "\n| code | member | forums | sovereignty, threshold, force | position | capacity | source |\n"
        "|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n")


n = write_forum("nato", NATO_ORDER, nato_stances)
e = write_forum("eu", EU_ORDER, eu_stances)
write_doc()
print(n, "NATO policies,", e, "EU policies, docs/positions.md")
