#!/usr/bin/env python3
"""Rejection checks (DESIGN 3, 4, 5, 7 prior). rejects.py BIN [OUTDIR]

Each case is written under OUTDIR/<name>/ (default $XCHECK_OUT/rejects) with a cmd.sh
that reproduces it. Expectation per the spec: 'reject', 'accept', or 'ambig' (spec silent:
the product's reading is only recorded). For policy and alliance files, a rejection is also
checked for naming the file, line and column (expected line given per case where the spec
says the error carries it)."""
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ref  # noqa

BIN = sys.argv[1]
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.environ.get("XCHECK_OUT", os.path.join(HERE, "repro")), "rejects")

A3 = '''name = "Three"

[[member]]
code = "AAA"
name = "Alpha"
lat = 10.0
lon = 10.0

[[member]]
code = "BBB"
name = "Beta"
lat = 11.0
lon = 11.0

[[member]]
code = "CCC"
name = "Gamma"
lat = 12.0
lon = 12.0

[[rung]]
id = "share"
option = "sharing"
rule = "any"

[[rung]]
id = "consult"
option = "consultations"
rule = "any"

[[rung]]
id = "attribute"
option = "attribution"
rule = "consensus"

[[rung]]
id = "cm"
option = "countermeasures"
rule = "consensus"
legal_basis = "sovereignty_violation"
requires = ["attribute"]
contributors = 1
request = "victim"
'''

GOODVEC = {"severity": "high", "attribution": "moderate", "effects": "disruption", "actor": "state",
           "sectors": ["energy"], "victims": ["AAA"]}

results = []


def run(args, cwd):
    p = subprocess.run([BIN] + args, capture_output=True, text=True, cwd=cwd, timeout=120)
    return p.returncode, p.stdout, p.stderr


def case_dir(name):
    d = os.path.join(OUT, name)
    if os.path.exists(d):
        shutil.rmtree(d)
    os.makedirs(d)
    return d


def write(d, rel, text):
    p = os.path.join(d, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w" if isinstance(text, str) else "wb") as f:
        f.write(text)
    return p


def record(name, kind, expect, rc, out, err, cmd, loc=None, note=""):
    crashed = rc < 0 or rc >= 100 or "panicked" in err or "overflow" in err.lower() and "stack" in err.lower()
    got = "reject" if rc != 0 else "accept"
    ok = (expect == "ambig") or (expect == got)
    locinfo = ""
    if got == "reject" and loc is not None:
        # loc = (filename, line) ; look in JSON diagnostics or text
        fname, line = loc
        found = False
        try:
            j = json.loads(out)
            for dg in j.get("diagnostics", []):
                if fname in str(dg.get("file", "")) and (line is None or dg.get("line") == line) and dg.get("column"):
                    found = True
        except Exception:
            pass
        txt = out + err
        if not found:
            pat = re.escape(fname) + r"[:\s]*" + (str(line) if line else r"\d+") + r"[:,]\s*(col(umn)?\s*)?\d+"
            if re.search(pat, txt):
                found = True
            elif re.search(re.escape(fname), txt) and re.search(r"line\s*" + (str(line) if line else r"\d+"), txt) and re.search(r"col", txt):
                found = True
        locinfo = "loc ok" if found else "LOCATION MISSING/WRONG"
        if not found:
            ok = False
    if crashed:
        ok = False
    msg = (err.strip() or out.strip()).splitlines()
    short = " | ".join(l.strip() for l in msg[:6])[:400]
    results.append({"name": name, "kind": kind, "expect": expect, "got": got, "rc": rc, "ok": ok,
                    "crash": crashed, "loc": locinfo, "msg": short, "cmd": cmd, "note": note})


# ------------------------------------------------------------------ vectors
def vec_case(name, body, expect, note=""):
    d = case_dir("vec-" + name)
    write(d, "alliance.toml", A3)
    os.makedirs(os.path.join(d, "pol"), exist_ok=True)
    write(d, "v.json", body if isinstance(body, str) else json.dumps(body))
    cmd = "concord decide --assessment v.json --json --alliance alliance.toml --policies pol"
    write(d, "cmd.sh", cmd + "\n")
    rc, out, err = run(["decide", "--assessment", "v.json", "--json", "--alliance", "alliance.toml", "--policies", "pol"], d)
    record("vec-" + name, "vector", expect, rc, out, err, cmd, note=note)
    return rc, out, err


def V(**kw):
    v = dict(GOODVEC)
    for k, x in kw.items():
        if x is DEL:
            v.pop(k, None)
        else:
            v[k] = x
    return v


DEL = object()

vec_case("good", V(), "accept")
vec_case("unknown-severity", V(severity="hihg"), "reject")
vec_case("unknown-attribution", V(attribution="certain"), "reject")
vec_case("unknown-effects", V(effects="wiper"), "reject")
vec_case("unknown-actor", V(actor="nation"), "reject")
vec_case("uppercase-actor", V(actor="State"), "reject")
vec_case("severity-number", V(severity=3), "reject")
vec_case("severity-missing", V(severity=DEL), "ambig", "spec gives no default for severity")
vec_case("actor-missing", V(actor=DEL), "ambig")
vec_case("sectors-string", V(sectors="energy"), "reject")
vec_case("sectors-number-item", V(sectors=[1]), "reject")
vec_case("sectors-unknown", V(sectors=["oil"]), "reject")
vec_case("sectors-uppercase", V(sectors=["Energy"]), "reject")
vec_case("sectors-null", V(sectors=None), "ambig", "null is not a list of strings; absent means empty")
vec_case("sectors-absent", V(sectors=DEL), "accept")
vec_case("sectors-object", V(sectors={"energy": 1}), "reject")
vec_case("victims-string", V(victims="AAA"), "reject")
vec_case("victims-number-item", V(victims=[1]), "reject")
vec_case("victims-null", V(victims=None), "ambig")
vec_case("victims-absent", V(victims=DEL), "accept")
vec_case("victims-unknown-code", V(victims=["ZZZ"]), "ambig", "spec does not say victims must be alliance members")
vec_case("victims-lowercase-code", V(victims=["aaa"]), "ambig")
vec_case("ma-negative", V(members_affected=-1), "reject")
vec_case("ma-fraction", V(members_affected=1.5), "reject")
vec_case("ma-float-integral", "{\"severity\":\"high\",\"attribution\":\"moderate\",\"effects\":\"disruption\",\"actor\":\"state\",\"members_affected\":2.0}", "ambig", "2.0 is a JSON number with integral value")
vec_case("ma-exp", "{\"severity\":\"high\",\"attribution\":\"moderate\",\"effects\":\"disruption\",\"actor\":\"state\",\"members_affected\":1e1}", "ambig")
vec_case("ma-string", V(members_affected="2"), "reject")
vec_case("ma-bool", V(members_affected=True), "reject")
vec_case("ma-null", V(members_affected=None), "accept")
vec_case("ma-zero", V(members_affected=0), "accept")
vec_case("ma-huge", "{\"severity\":\"high\",\"attribution\":\"moderate\",\"effects\":\"disruption\",\"actor\":\"state\",\"members_affected\":100000000000000000000000}", "ambig",
         "an integer >= 0 beyond 64 bits")
vec_case("ma-2pow32", V(members_affected=2 ** 32), "accept")
vec_case("ma-2pow63", V(members_affected=2 ** 63 - 1), "accept")
vec_case("not-object", "[1,2]", "reject")
vec_case("bad-json", "{\"severity\":", "reject")
vec_case("extra-keys", V(legal="armed_attack", vector_version=2, foo={"x": [1]}), "accept")
vec_case("assess-wrapper", {"vector": V()}, "ambig", "whole assess --json document instead of its vector")
vec_case("duplicate-key", '{"severity":"high","severity":"low","attribution":"moderate","effects":"disruption","actor":"state"}', "ambig")

# ------------------------------------------------------------------ policy files
def pol_case(name, files, expect, loc=None, alliance=A3, note="", decide_too=True):
    d = case_dir("pol-" + name)
    write(d, "alliance.toml", alliance)
    os.makedirs(os.path.join(d, "pol"), exist_ok=True)
    for fn, text in files.items():
        write(d, "pol/" + fn, text)
    cmd = "concord policy check pol --json --alliance alliance.toml"
    write(d, "v.json", json.dumps(GOODVEC))
    write(d, "cmd.sh", cmd + "\nconcord decide --assessment v.json --json --alliance alliance.toml --policies pol\n")
    rc, out, err = run(["policy", "check", "pol", "--json", "--alliance", "alliance.toml"], d)
    record("pol-" + name, "policy", expect, rc, out, err, cmd, loc=loc, note=note)
    if decide_too:
        rc2, out2, err2 = run(["decide", "--assessment", "v.json", "--json", "--alliance", "alliance.toml", "--policies", "pol"], d)
        if (rc2 != 0) != (rc != 0):
            results.append({"name": "pol-" + name + " (decide)", "kind": "policy", "expect": "reject" if rc else "accept",
                            "got": "reject" if rc2 else "accept", "rc": rc2, "ok": False, "crash": rc2 < 0,
                            "loc": "", "msg": (err2 or out2)[:300], "cmd": "decide", "note": "policy check and decide disagree"})
        elif rc2 < 0 or "panicked" in err2:
            results.append({"name": "pol-" + name + " (decide)", "kind": "policy", "expect": expect, "got": "crash",
                            "rc": rc2, "ok": False, "crash": True, "loc": "", "msg": err2[:300], "cmd": "decide", "note": ""})
    return rc, out, err


def P(stance_lines, head='member = "AAA"\n'):
    return head + stance_lines


def cond(c, rung="share", key="support"):
    # condition on line 3
    return {"aaa.toml": f'member = "AAA"\n[stance.{rung}]\n{key} = {json.dumps(c)}\n'}


pol_case("good", {"aaa.toml": 'member = "AAA"\nsource = "x"\n[doctrine]\nsovereignty_rule = true\nsovereignty_threshold = "any_intrusion"\nnonphysical_force = false\n[capacity]\ncm = true\nshare = false\n[stance.share]\nsupport = "true"\nblock = "false"\n[stance.cm]\nsupport = "affected_self"\n[stance.cm.block]\nlegal = "false"\nthreshold = "false"\ncapacity = "false"\nrisk = "false"\npolicy = "false"\n'}, "accept")
pol_case("empty-dir", {}, "accept")
for nm, c in [("unknown-dimension", "sevrity >= high"), ("unknown-level", "severity >= hihg"),
              ("unknown-value-actor", "actor == nation"), ("unknown-value-sector", "sector == oil"),
              ("unknown-value-in", "sector in [energy, oil]"),
              ("tm-ordinal-int", "severity >= 3"), ("tm-actor-cmp", "actor > state"),
              ("tm-sector-lt", "sector < energy"), ("tm-ordinal-in", "severity in [high]"),
              ("tm-self-eq", "affected_self == true"), ("tm-bare-legal", "legal"),
              ("tm-bare-severity", "severity"), ("tm-ma-level", "members_affected >= high"),
              ("tm-ma-in", "members_affected in [1]"), ("tm-ma-negative", "members_affected >= -1"),
              ("tm-actor-int", "actor == 3"), ("tm-level-wrong-dim", "attribution >= severe"),
              ("syn-trailing-and", "severity >= high and"), ("syn-unclosed", "(severity >= high"),
              ("syn-extra-close", "severity >= high)"), ("syn-or-or", "true or or false"),
              ("syn-empty-list", "sector in []"), ("syn-trailing-comma", "sector in [energy,]"),
              ("syn-semicolon", "severity >= high;"), ("syn-arrow", "severity => high"),
              ("syn-single-eq", "severity = high"), ("syn-bang", "!true"), ("syn-ampamp", "true && false"),
              ("syn-uppercase-dim", "SEVERITY >= high"), ("syn-uppercase-kw", "TRUE"), ("syn-uppercase-and", "true AND false"),
              ("syn-uppercase-level", "severity >= High"),
              ("syn-not-alone", "not"), ("syn-two-atoms", "true false"), ("syn-empty-parens", "()"),
              ("syn-nbsp", "true\u00a0and false"), ("syn-formfeed", "true\fand false"), ("syn-vtab", "true\vand false"),
              ("syn-quote", "actor == 'state'"), ("syn-in-no-bracket", "actor in state"), ("syn-in-parens", "actor in (state)"),
              ("syn-dash-word", "sector == data-centre"), ("syn-minus-int", "members_affected > -0"),
              ("empty", ""), ("whitespace-only", "  \t\n "), ("syn-and-start", "and true"),
              ("syn-keyword-as-value", "actor == and"), ("syn-unicode-letter", "sevérity >= high")]:
    pol_case("cond-" + nm, cond(c), "reject", loc=("aaa.toml", 3))
for nm, c in [("ok-no-spaces", "severity>=high"), ("ok-parens-tight", "(true)and(false)or(not(affected_self))"),
              ("ok-tabs-crlf", "severity\t>=\r\nhigh\nand\tactor\r==\rstate"), ("ok-in-tight", "sector in[energy,water]"),
              ("ok-not-not", "not not not true"), ("ok-leading-zero", "members_affected >= 007"),
              ("ok-big-int", "members_affected >= 99999999999999999999999999"),
              ("ok-ma-all-cmps", "members_affected < 1 or members_affected <= 1 or members_affected == 1 or members_affected != 1 or members_affected >= 1 or members_affected > 1"),
              ("ok-legal-cmp", "legal >= use_of_force"), ("ok-in-dup", "actor in [state, state]"),
              ("ok-leading-trailing-ws", "  true  "), ("ok-sector-ne", "sector != energy")]:
    exp = "accept" if nm != "ok-big-int" else "ambig"
    pol_case("cond-" + nm, cond(c), exp, loc=("aaa.toml", 3),
             note="grammar: INT is one or more decimal digits; no bound" if nm == "ok-big-int" else "")

# nesting
for depth in [63, 64, 65, 100, 128, 129, 200, 1000, 100000]:
    pol_case(f"nest-parens-{depth}", cond("(" * depth + "true" + ")" * depth),
             "accept" if depth <= 64 else "ambig", loc=("aaa.toml", 3),
             note="spec: 'Nesting at least 64 levels deep works; deeper nesting is an error, never a crash'")
    pol_case(f"nest-not-{depth}", cond("not " * depth + "true"), "accept" if depth <= 64 else "ambig", loc=("aaa.toml", 3))
    pol_case(f"nest-mixed-{depth}", cond("not (" * (depth // 2) + "true" + ")" * (depth // 2)),
             "accept" if depth <= 64 else "ambig", loc=("aaa.toml", 3))
for n in [1000, 3000, 10000]:
    pol_case(f"long-and-{n}", cond(" and ".join(["true"] * n)), "accept", loc=("aaa.toml", 3),
             note=f"a flat and-chain of {n} operands ({len(' and '.join(['true'] * n))} characters): grammar sets no length limit")

# keys and tables
pol_case("unknown-top-key", {"aaa.toml": 'member = "AAA"\nfoo = 1\n'}, "reject", loc=("aaa.toml", 2))
pol_case("unknown-stance-key", {"aaa.toml": 'member = "AAA"\n[stance.share]\nsupp = "true"\n'}, "reject", loc=("aaa.toml", 3))
pol_case("stance-not-ladder", {"aaa.toml": 'member = "AAA"\n[stance.nope]\nsupport = "true"\n'}, "reject", loc=("aaa.toml", 2))
pol_case("stance-not-table", {"aaa.toml": 'member = "AAA"\n[stance]\nshare = "true"\n'}, "reject", loc=("aaa.toml", 3))
pol_case("stance-is-string", {"aaa.toml": 'member = "AAA"\nstance = "x"\n'}, "reject", loc=("aaa.toml", 2))
pol_case("support-int", {"aaa.toml": 'member = "AAA"\n[stance.share]\nsupport = 1\n'}, "reject", loc=("aaa.toml", 3))
pol_case("support-table", {"aaa.toml": 'member = "AAA"\n[stance.share.support]\npolicy = "true"\n'}, "reject", loc=("aaa.toml", 2))
pol_case("block-int", {"aaa.toml": 'member = "AAA"\n[stance.share]\nblock = 1\n'}, "reject", loc=("aaa.toml", 3))
pol_case("block-array", {"aaa.toml": 'member = "AAA"\n[stance.share]\nblock = ["true"]\n'}, "reject", loc=("aaa.toml", 3))
pol_case("block-bad-reason", {"aaa.toml": 'member = "AAA"\n[stance.share.block]\nfear = "true"\n'}, "reject", loc=("aaa.toml", 3))
pol_case("block-reason-int", {"aaa.toml": 'member = "AAA"\n[stance.share.block]\nrisk = 1\n'}, "reject", loc=("aaa.toml", 3))
pol_case("block-reason-empty", {"aaa.toml": 'member = "AAA"\n[stance.share.block]\nrisk = ""\n'}, "reject", loc=("aaa.toml", 3))
pol_case("block-reason-syntax", {"aaa.toml": 'member = "AAA"\n[stance.share.block]\nrisk = "true and"\n'}, "reject", loc=("aaa.toml", 3))
pol_case("block-empty-table", {"aaa.toml": 'member = "AAA"\n[stance.share.block]\n'}, "ambig", note="an empty reason table: no reason, never holds?")
pol_case("block-empty-string", {"aaa.toml": 'member = "AAA"\n[stance.share]\nblock = ""\n'}, "reject", loc=("aaa.toml", 3))
pol_case("block-uppercase-reason", {"aaa.toml": 'member = "AAA"\n[stance.share.block]\nRisk = "true"\n'}, "reject", loc=("aaa.toml", 3))
pol_case("stance-empty-table", {"aaa.toml": 'member = "AAA"\n[stance.share]\n'}, "accept")
pol_case("capacity-not-ladder", {"aaa.toml": 'member = "AAA"\n[capacity]\nnope = true\n'}, "reject", loc=("aaa.toml", 3))
pol_case("capacity-string", {"aaa.toml": 'member = "AAA"\n[capacity]\ncm = "yes"\n'}, "reject", loc=("aaa.toml", 3))
pol_case("capacity-int", {"aaa.toml": 'member = "AAA"\n[capacity]\ncm = 1\n'}, "reject", loc=("aaa.toml", 3))
pol_case("capacity-not-table", {"aaa.toml": 'member = "AAA"\ncapacity = true\n'}, "reject", loc=("aaa.toml", 2))
pol_case("capacity-subtable", {"aaa.toml": 'member = "AAA"\n[capacity.cm]\nx = true\n'}, "reject", loc=("aaa.toml", 2))
pol_case("doctrine-rule-string", {"aaa.toml": 'member = "AAA"\n[doctrine]\nsovereignty_rule = "yes"\n'}, "reject", loc=("aaa.toml", 3))
pol_case("doctrine-npf-int", {"aaa.toml": 'member = "AAA"\n[doctrine]\nnonphysical_force = 1\n'}, "reject", loc=("aaa.toml", 3))
pol_case("doctrine-threshold-bool", {"aaa.toml": 'member = "AAA"\n[doctrine]\nsovereignty_threshold = true\n'}, "reject", loc=("aaa.toml", 3))
pol_case("doctrine-threshold-unknown", {"aaa.toml": 'member = "AAA"\n[doctrine]\nsovereignty_threshold = "any"\n'}, "reject", loc=("aaa.toml", 3))
pol_case("doctrine-threshold-upper", {"aaa.toml": 'member = "AAA"\n[doctrine]\nsovereignty_threshold = "Any_Intrusion"\n'}, "reject", loc=("aaa.toml", 3))
pol_case("doctrine-unknown-field", {"aaa.toml": 'member = "AAA"\n[doctrine]\ncollective_countermeasures = true\n'}, "reject", loc=("aaa.toml", 3))
pol_case("doctrine-not-table", {"aaa.toml": 'member = "AAA"\ndoctrine = "strict"\n'}, "reject", loc=("aaa.toml", 2))
pol_case("member-missing", {"aaa.toml": 'source = "x"\n[stance.share]\nsupport = "true"\n'}, "reject", loc=("aaa.toml", None))
pol_case("member-int", {"aaa.toml": 'member = 5\n'}, "reject", loc=("aaa.toml", 1))
pol_case("member-not-in-alliance", {"aaa.toml": 'member = "EST"\n'}, "reject", loc=("aaa.toml", 1))
pol_case("member-lowercase", {"aaa.toml": 'member = "aaa"\n'}, "reject", loc=("aaa.toml", 1))
pol_case("member-twice", {"a1.toml": 'member = "AAA"\n', "a2.toml": 'member = "AAA"\n'}, "reject", loc=("a2.toml", 1))
pol_case("source-int", {"aaa.toml": 'member = "AAA"\nsource = 5\n'}, "ambig", loc=("aaa.toml", 2), note="spec lists source but does not type it")
pol_case("toml-syntax", {"aaa.toml": 'member = "AAA"\n[stance.share\nsupport = "true"\n'}, "reject", loc=("aaa.toml", 2))
pol_case("one-bad-one-good", {"aaa.toml": 'member = "AAA"\n[stance.share]\nsupport = "true"\n', "bbb.toml": 'member = "BBB"\n[stance.share]\nsupport = "tru"\n'}, "reject", loc=("bbb.toml", 3))
pol_case("non-toml-file-ignored", {"aaa.toml": 'member = "AAA"\n', "README.md": "not toml"}, "accept")
pol_case("file-name-mismatch", {"zzz.toml": 'member = "AAA"\n'}, "accept", note="file name is free")
pol_case("multiline-cond-loc", {"aaa.toml": 'member = "AAA"\n[stance.share]\nsupport = """\ntrue and\n  severity >= hihg"""\n'}, "reject", loc=("aaa.toml", 5),
         note="multi-line string: error line should be the line holding 'hihg'")
pol_case("escape-cond-loc", {"aaa.toml": 'member = "AAA"\n[stance.share]\nsupport = "true and\\tseverity >= hihg"\n'}, "reject", loc=("aaa.toml", 3))
pol_case("literal-string-cond", {"aaa.toml": "member = \"AAA\"\n[stance.share]\nsupport = 'severity >= high'\n"}, "accept")
pol_case("inline-table-stance", {"aaa.toml": 'member = "AAA"\nstance = { share = { support = "true", block = { risk = "false" } } }\n'}, "accept")
pol_case("dotted-key-stance", {"aaa.toml": 'member = "AAA"\nstance.share.support = "true"\nstance.share.block.risk = "tru"\n'}, "reject", loc=("aaa.toml", 3))

# ------------------------------------------------------------------ alliance files
def al_case(name, text, expect, line=None, note=""):
    if isinstance(line, str):  # marker: the first line holding it
        line = next(i + 1 for i, l in enumerate(text.splitlines()) if line in l)
    d = case_dir("al-" + name)
    write(d, "alliance.toml", text)
    os.makedirs(os.path.join(d, "pol"), exist_ok=True)
    write(d, "v.json", json.dumps(GOODVEC))
    cmd = "concord decide --assessment v.json --json --alliance alliance.toml --policies pol"
    write(d, "cmd.sh", cmd + "\n")
    rc, out, err = run(["decide", "--assessment", "v.json", "--json", "--alliance", "alliance.toml", "--policies", "pol"], d)
    record("al-" + name, "alliance", expect, rc, out, err, cmd,
           loc=("alliance.toml", line) if expect != "accept" else None, note=note)


def sub(old, new, count=1):
    assert old in A3, old
    return A3.replace(old, new, count)


al_case("good", A3, "accept")
al_case("name-missing", sub('name = "Three"\n', ''), "reject", None)
al_case("name-int", sub('name = "Three"', 'name = 3'), "reject", 'name = 3')
al_case("unknown-top-key", sub('name = "Three"', 'name = "Three"\nversion = 2'), "reject", 'version = 2')
al_case("code-lowercase", sub('code = "AAA"', 'code = "aaa"'), "reject", 'code = "aaa"')
al_case("code-4-letters", sub('code = "AAA"', 'code = "AAAA"'), "reject", 'code = "AAAA"')
al_case("code-2-letters", sub('code = "AAA"', 'code = "AA"'), "reject", 'code = "AA"')
al_case("code-digit", sub('code = "AAA"', 'code = "A1A"'), "reject", 'code = "A1A"')
al_case("code-nonascii", sub('code = "AAA"', 'code = "ÄAA"'), "reject", 'code = "ÄAA"')
al_case("code-dup", sub('code = "BBB"', 'code = "AAA"'), "reject", 10)
al_case("code-int", sub('code = "AAA"', 'code = 1'), "reject", 'code = 1')
al_case("member-no-name", sub('name = "Alpha"\n', ''), "reject", None)
al_case("member-no-lat", sub('lat = 10.0\n', ''), "reject", None)
al_case("member-lat-string", sub('lat = 10.0', 'lat = "10"'), "reject", 'lat = "10"')
al_case("member-lat-int", sub('lat = 10.0', 'lat = 10'), "ambig", note="integer degrees")
al_case("member-lat-200", sub('lat = 10.0', 'lat = 200.0'), "ambig", note="latitude out of range")
al_case("member-lat-nan", sub('lat = 10.0', 'lat = nan'), "ambig")
al_case("member-unknown-key", sub('lon = 10.0', 'lon = 10.0\ncapital = "x"'), "reject", 'capital = "x"')
al_case("rung-id-upper", sub('id = "share"', 'id = "Share"'), "reject", 'id = "Share"')
al_case("rung-id-space", sub('id = "share"', 'id = "two words"'), "reject", 'id = "two words"')
al_case("rung-id-hyphen", sub('id = "share"', 'id = "a-b"'), "reject", 'id = "a-b"')
al_case("rung-id-empty", sub('id = "share"', 'id = ""'), "reject", 'id = ""')
al_case("rung-id-digit", sub('id = "share"', 'id = "r2"'), "accept", note="built-in uses art5")
al_case("rung-id-underscore", sub('id = "share"', 'id = "info_share"'), "ambig", note="is info_share a lowercase word?")
al_case("rung-id-leading-digit", sub('id = "share"', 'id = "5art"'), "ambig")
al_case("rung-id-dup", sub('id = "consult"', 'id = "share"'), "reject", 27)
al_case("rung-id-int", sub('id = "share"', 'id = 1'), "reject", 'id = 1')
al_case("rung-no-option", sub('option = "sharing"\n', ''), "reject", None)
al_case("rung-no-rule", sub('rule = "any"\n', ''), "reject", None)
for nm, r in [("majority", "majority"), ("coal0", "coalition:0"), ("coal-empty", "coalition:"),
              ("coal-x", "coalition:x"), ("coal-neg", "coalition:-1"), ("coal-space", "coalition: 3"),
              ("coal-frac", "coalition:1.5"), ("Consensus", "Consensus"), ("coal-upper", "Coalition:3"),
              ("coal-plus", "coalition:+3"), ("any-space", " any"), ("coal-huge", "coalition:99999999999999999999999")]:
    al_case("rule-" + nm, sub('rule = "any"', f'rule = "{r}"'), "reject" if nm != "coal-huge" else "ambig", 24)
al_case("rule-coal-leading-zero", sub('rule = "any"', 'rule = "coalition:03"'), "ambig", note="N written with a leading zero")
al_case("rule-coal-more-than-members", sub('rule = "any"', 'rule = "coalition:5"'), "accept")
al_case("rule-int", sub('rule = "any"', 'rule = 1'), "reject", 24)
al_case("legal-basis-unknown", sub('legal_basis = "sovereignty_violation"', 'legal_basis = "war"'), "reject", 'legal_basis = "war"')
al_case("legal-basis-int", sub('legal_basis = "sovereignty_violation"', 'legal_basis = 1'), "reject", 'legal_basis = 1')
al_case("legal-basis-below", sub('legal_basis = "sovereignty_violation"', 'legal_basis = "below_threshold"'), "accept")
al_case("requires-later", sub('requires = ["attribute"]', 'requires = ["attribute"]').replace('id = "consult"\noption = "consultations"\nrule = "any"', 'id = "consult"\noption = "consultations"\nrule = "any"\nrequires = ["cm"]'), "reject", 30)
al_case("requires-self", sub('requires = ["attribute"]', 'requires = ["cm"]'), "reject", 'requires = ["cm"]')
al_case("requires-unknown", sub('requires = ["attribute"]', 'requires = ["nope"]'), "reject", 'requires = ["nope"]')
al_case("requires-string", sub('requires = ["attribute"]', 'requires = "attribute"'), "reject", 'requires = "attribute"')
al_case("requires-int-item", sub('requires = ["attribute"]', 'requires = [1]'), "reject", 'requires = [1]')
al_case("requires-empty", sub('requires = ["attribute"]', 'requires = []'), "accept")
al_case("requires-dup", sub('requires = ["attribute"]', 'requires = ["attribute", "attribute"]'), "ambig")
al_case("contributors-0", sub('contributors = 1', 'contributors = 0'), "reject", 'contributors = 0')
al_case("contributors-neg", sub('contributors = 1', 'contributors = -1'), "reject", 'contributors = -1')
al_case("contributors-float", sub('contributors = 1', 'contributors = 1.5'), "reject", 'contributors = 1.5')
al_case("contributors-float-int", sub('contributors = 1', 'contributors = 2.0'), "reject", 'contributors = 2.0')
al_case("contributors-string", sub('contributors = 1', 'contributors = "2"'), "reject", 'contributors = "2"')
al_case("contributors-bool", sub('contributors = 1', 'contributors = true'), "reject", 'contributors = true')
al_case("contributors-huge", sub('contributors = 1', 'contributors = 9223372036854775807'), "accept", note="an integer >= 1")
al_case("request-member", sub('request = "victim"', 'request = "member"'), "reject", 'request = "member"')
al_case("request-bool", sub('request = "victim"', 'request = true'), "reject", 'request = true')
al_case("request-upper", sub('request = "victim"', 'request = "Victim"'), "reject", 'request = "Victim"')
al_case("rung-unknown-key", sub('rule = "any"', 'rule = "any"\nquorum = 3'), "reject", 'quorum = 3')
al_case("no-members", "name = \"Empty\"\n\n[[rung]]\nid = \"share\"\noption = \"s\"\nrule = \"any\"\n", "ambig")
al_case("no-rungs", A3.split("[[rung]]")[0], "ambig")
al_case("member-not-array", sub('[[member]]\ncode = "AAA"', '[member]\ncode = "AAA"'), "reject", None)
al_case("toml-syntax", sub('lat = 10.0', 'lat = = 10.0'), "reject", 'lat = = 10.0')

# ------------------------------------------------------------------ prior files (section 7)
SMALL_POL = 'member = "AAA"\n[stance.share]\nsupport = "true"\n'


def prior_case(name, text, expect, line=None, note=""):
    d = case_dir("prior-" + name)
    write(d, "alliance.toml", A3)
    write(d, "pol/aaa.toml", SMALL_POL)
    write(d, "prior.toml", text)
    cmd = "concord rift --json --alliance alliance.toml --policies pol --prior prior.toml"
    write(d, "cmd.sh", cmd + "\n")
    rc, out, err = run(["rift", "--json", "--alliance", "alliance.toml", "--policies", "pol", "--prior", "prior.toml"], d)
    record("prior-" + name, "prior", expect, rc, out, err, cmd, note=note)


prior_case("good", '[weights.actor]\nstate = 4\n[weights.victim]\nAAA = 2\n[weights.members_affected]\n10 = 0.5\n', "accept")
prior_case("unknown-dimension", '[weights.colour]\nred = 2\n', "reject")
prior_case("unknown-level", '[weights.actor]\nnation = 2\n', "reject")
prior_case("unknown-victim", '[weights.victim]\nZZZ = 2\n', "reject")
prior_case("ma-not-in-space", '[weights.members_affected]\n2 = 2\n', "ambig")
prior_case("negative", '[weights.actor]\nstate = -1\n', "ambig", note="spec silent; product docs say error")
prior_case("string-weight", '[weights.actor]\nstate = "x"\n', "reject")
prior_case("zero-all", '[weights.actor]\nunknown = 0\ncriminal = 0\nstate_aligned = 0\nstate = 0\n', "ambig", note="total weight 0")
prior_case("unknown-top", 'foo = 1\n', "ambig")

# ------------------------------------------------------------------ report
bad = [r for r in results if not r["ok"]]
with open(os.path.join(OUT, "results.json"), "w") as f:
    json.dump(results, f, indent=1)
print(f"rejects: {len(results)} cases, {len(bad)} not as the spec requires")
for r in results:
    flag = "  OK " if r["ok"] else "  BAD"
    if r["expect"] == "ambig":
        flag = "  ?? "
    if not r["ok"] or r["expect"] == "ambig" or "--all" in sys.argv:
        print(f"{flag} {r['name']}: expect {r['expect']}, got {r['got']} (rc {r['rc']}){' CRASH' if r['crash'] else ''} {r['loc']} :: {r['msg'][:300]} {('['+r['note']+']') if r['note'] else ''}")
