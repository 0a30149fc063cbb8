#!/usr/bin/env python3
"""Independent reference implementation of concord's exact sections (DESIGN.md 3, 3.1, 4, 5, 6, 7).

Written from the text of DESIGN.md only.

Usage:
  ref.py decide --assessment FILE [--alliance FILE] [--policies DIR]
  ref.py rift [--alliance FILE] [--policies DIR] [--prior FILE]
  ref.py policy-check DIR [--alliance FILE]
  ref.py alliance-check FILE
Exit code 0 on success, 2 on rejected input (message on stderr).
"""
import json
import math
import os
import re
import sys
import tomllib

# ---------------------------------------------------------------- vocabulary (section 3)
SEVERITY = ["baseline", "low", "medium", "high", "severe", "emergency"]
ATTRIBUTION = ["none", "low", "moderate", "high"]
EFFECTS = ["espionage", "disruption", "data_destruction", "destruction", "casualties"]
LEGAL = ["below_threshold", "sovereignty_violation", "intervention", "use_of_force", "armed_attack"]
ACTOR = ["unknown", "criminal", "state_aligned", "state"]
SECTOR = ["energy", "water", "health", "finance", "transport", "telecom", "government",
          "elections", "defence", "space", "industry", "other"]
ORDINALS = {"severity": SEVERITY, "attribution": ATTRIBUTION, "effects": EFFECTS, "legal": LEGAL}
NOMINALS = {"actor": ACTOR, "sector": SECTOR}
REASONS = ["legal", "threshold", "capacity", "risk", "policy"]
MISSING_KINDS = ["support", "request", "block", "contributors", "requires"]
CMPS = ["<", "<=", "==", "!=", ">=", ">"]
THRESHOLDS = ["any_intrusion", "loss_of_functionality"]

MAX_DEPTH = 64  # spec: "at least 64 levels deep works"; the reference accepts more (see REF_DEPTH)
REF_DEPTH = 100000


class RefError(Exception):
    pass


# ---------------------------------------------------------------- alliance (section 4)
CODE_RE = re.compile(r"^[A-Z]{3}$")
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")   # "lowercase word"; built-in has "art5"
RULE_RE = re.compile(r"^coalition:([0-9]+)$")


def _is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def _is_num(x):
    return (isinstance(x, (int, float))) and not isinstance(x, bool)


def parse_rule(rule):
    if rule == "any":
        return ("any", None)
    if rule == "consensus":
        return ("consensus", None)
    if isinstance(rule, str):
        m = RULE_RE.match(rule)
        if m and int(m.group(1)) >= 1:
            return ("coalition", int(m.group(1)))
    raise RefError(f"bad rule {rule!r}")


def load_alliance(path):
    with open(path, "rb") as f:
        try:
            data = tomllib.load(f)
        except tomllib.TOMLDecodeError as e:
            raise RefError(f"{path}: TOML: {e}")
    for k in data:
        if k not in ("name", "member", "rung"):
            raise RefError(f"{path}: unknown key {k}")
    if not isinstance(data.get("name"), str):
        raise RefError(f"{path}: name missing or not a string")
    members = data.get("member", [])
    rungs = data.get("rung", [])
    if not isinstance(members, list) or not isinstance(rungs, list):
        raise RefError(f"{path}: member/rung must be arrays of tables")
    ms = []
    seen = set()
    for m in members:
        if not isinstance(m, dict):
            raise RefError("member not a table")
        for k in m:
            if k not in ("code", "name", "lat", "lon"):
                raise RefError(f"member: unknown key {k}")
        c = m.get("code")
        if not isinstance(c, str) or not CODE_RE.match(c):
            raise RefError(f"bad member code {c!r}")
        if c in seen:
            raise RefError(f"duplicate member {c}")
        seen.add(c)
        if not isinstance(m.get("name"), str):
            raise RefError("member name")
        if not _is_num(m.get("lat")) or not _is_num(m.get("lon")):
            raise RefError("member lat/lon")
        ms.append({"code": c, "name": m["name"], "lat": float(m["lat"]), "lon": float(m["lon"])})
    rs = []
    ids = []
    for r in rungs:
        if not isinstance(r, dict):
            raise RefError("rung not a table")
        for k in r:
            if k not in ("id", "option", "rule", "legal_basis", "requires", "contributors", "request"):
                raise RefError(f"rung: unknown key {k}")
        i = r.get("id")
        if not isinstance(i, str) or not ID_RE.match(i):
            raise RefError(f"bad rung id {i!r}")
        if i in ids:
            raise RefError(f"duplicate rung id {i}")
        if not isinstance(r.get("option"), str):
            raise RefError("rung option")
        rule = parse_rule(r.get("rule"))
        lb = r.get("legal_basis")
        if lb is not None and (not isinstance(lb, str) or lb not in LEGAL):
            raise RefError(f"bad legal_basis {lb!r}")
        req = r.get("requires", [])
        if not isinstance(req, list) or not all(isinstance(x, str) for x in req):
            raise RefError("requires must be a list of strings")
        for x in req:
            if x not in ids:
                raise RefError(f"requires {x!r}: not an earlier rung")
        con = r.get("contributors")
        if con is not None and (not _is_int(con) or con < 1):
            raise RefError(f"bad contributors {con!r}")
        rq = r.get("request")
        if rq is not None and rq != "victim":
            raise RefError(f"bad request {rq!r}")
        ids.append(i)
        rs.append({"id": i, "rule_text": r["rule"], "rule": rule,
                   "legal_basis": lb, "requires": list(req), "contributors": con,
                   "request": rq == "victim"})
    return {"name": data["name"], "members": ms, "rungs": rs,
            "codes": [m["code"] for m in ms]}


# ---------------------------------------------------------------- condition language (section 5)
TOKEN_RE = re.compile(r"[ \t\r\n]*(?:(?P<int>[0-9]+)|(?P<word>[A-Za-z_][A-Za-z0-9_]*)|(?P<op><=|>=|==|!=|<|>)|(?P<p>[()\[\],]))")
WS = " \t\r\n"


def tokenize(s):
    toks = []
    i = 0
    n = len(s)
    while True:
        while i < n and s[i] in WS:
            i += 1
        if i >= n:
            break
        m = TOKEN_RE.match(s, i)
        if not m or m.end() == i:
            raise RefError(f"syntax error at {i}: unexpected {s[i]!r}")
        start = m.start(m.lastgroup)
        kind = m.lastgroup
        toks.append((kind, m.group(kind), start))
        i = m.end()
    return toks


class Parser:
    def __init__(self, s, max_depth=REF_DEPTH):
        self.toks = tokenize(s)
        self.i = 0
        self.max_depth = max_depth
        self.depth = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None, -1)

    def take(self):
        t = self.peek()
        if t[0] is None:
            raise RefError("syntax error: unexpected end")
        self.i += 1
        return t

    def parse(self):
        if not self.toks:
            raise RefError("empty condition")
        e = self.p_or()
        if self.i != len(self.toks):
            raise RefError(f"syntax error: unexpected {self.peek()[1]!r}")
        return e

    def p_or(self):
        xs = [self.p_and()]
        while self.peek()[1] == "or" and self.peek()[0] == "word":
            self.take()
            xs.append(self.p_and())
        return xs[0] if len(xs) == 1 else ("or", xs)

    def p_and(self):
        xs = [self.p_unary()]
        while self.peek()[1] == "and" and self.peek()[0] == "word":
            self.take()
            xs.append(self.p_unary())
        return xs[0] if len(xs) == 1 else ("and", xs)

    def enter(self):
        self.depth += 1
        if self.depth > self.max_depth:
            raise RefError("nesting too deep")

    def p_unary(self):
        # iterative over chains of "not" to keep Python's stack small
        nots = 0
        while self.peek() == ("word", "not", self.peek()[2]) and self.peek()[1] == "not":
            self.take()
            self.enter()
            nots += 1
        e = self.p_primary()
        self.depth -= nots
        for _ in range(nots):
            e = ("not", e)
        return e

    def p_primary(self):
        kind, val, pos = self.take()
        if kind == "p" and val == "(":
            self.enter()
            e = self.p_or()
            k2, v2, _ = self.take()
            if v2 != ")":
                raise RefError("syntax error: expected )")
            self.depth -= 1
            return e
        if kind != "word":
            raise RefError(f"syntax error: unexpected {val!r}")
        if val == "true":
            return ("const", True)
        if val == "false":
            return ("const", False)
        if val == "affected_self":
            return ("self",)
        if val in ORDINALS:
            k2, op, _ = self.take()
            if k2 != "op":
                raise RefError(f"type mismatch/syntax: {val} needs a comparison")
            k3, lv, _ = self.take()
            if k3 != "word":
                raise RefError(f"type mismatch: {val} compares with a level")
            if lv not in ORDINALS[val]:
                raise RefError(f"unknown level {lv!r} for {val}")
            return ("ord", val, op, ORDINALS[val].index(lv))
        if val == "members_affected":
            k2, op, _ = self.take()
            if k2 != "op":
                raise RefError("members_affected needs a comparison")
            k3, n, _ = self.take()
            if k3 != "int":
                raise RefError("type mismatch: members_affected compares with an integer")
            return ("ma", op, int(n))
        if val in NOMINALS:
            k2, op, _ = self.take()
            if k2 == "op":
                if op not in ("==", "!="):
                    raise RefError(f"type mismatch: {val} only ==, != or in")
                k3, v, _ = self.take()
                if k3 != "word" or v not in NOMINALS[val]:
                    raise RefError(f"unknown value {v!r} for {val}")
                return ("nom", val, op, [NOMINALS[val].index(v)])
            if k2 == "word" and op == "in":
                k3, v3, _ = self.take()
                if v3 != "[":
                    raise RefError("syntax error: expected [")
                vs = []
                while True:
                    k4, v, _ = self.take()
                    if k4 != "word" or v not in NOMINALS[val]:
                        raise RefError(f"unknown value {v!r} for {val}")
                    vs.append(NOMINALS[val].index(v))
                    k5, v5, _ = self.take()
                    if v5 == "]":
                        break
                    if v5 != ",":
                        raise RefError("syntax error in list")
                return ("nom", val, "in", vs)
            raise RefError(f"syntax error after {val}")
        raise RefError(f"unknown dimension {val!r}")


def parse_cond(s, max_depth=REF_DEPTH):
    return Parser(s, max_depth).parse()


def _cmp(a, op, b):
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if op == ">=":
        return a >= b
    if op == ">":
        return a > b
    raise AssertionError(op)


def ev(node, ctx):
    """Evaluate with scalar context (dict). Iterative-safe enough for our depths."""
    t = node[0]
    if t == "const":
        return node[1]
    if t == "self":
        return ctx["affected_self"]
    if t == "ord":
        return _cmp(ctx[node[1]], node[2], node[3])
    if t == "ma":
        return _cmp(ctx["members_affected"], node[1], node[2])
    if t == "nom":
        dim, op, vs = node[1], node[2], node[3]
        if dim == "actor":
            a = ctx["actor"]
            if op == "==":
                return a == vs[0]
            if op == "!=":
                return a != vs[0]
            return a in vs
        secs = ctx["sectors"]
        if op == "==":
            return vs[0] in secs
        if op == "!=":
            return vs[0] not in secs
        return any(v in secs for v in vs)
    if t == "not":
        # unwind not-chains iteratively
        n = 0
        while node[0] == "not":
            n += 1
            node = node[1]
        r = ev(node, ctx)
        return (not r) if n % 2 else r
    if t == "and":
        return all(ev(x, ctx) for x in node[1])
    if t == "or":
        return any(ev(x, ctx) for x in node[1])
    raise AssertionError(t)


def ev_np(node, ctx):
    """Evaluate over numpy arrays. ctx values are arrays broadcastable to one shape;
    ctx['sector'] is the single sector index array (rift cells have one sector)."""
    import numpy as np
    t = node[0]
    if t == "const":
        return np.full(ctx["_shape"], node[1], dtype=bool)
    if t == "self":
        return np.broadcast_to(ctx["affected_self"], ctx["_shape"])
    if t == "ord":
        return np.broadcast_to(_cmp(ctx[node[1]], node[2], node[3]), ctx["_shape"])
    if t == "ma":
        return np.broadcast_to(_cmp(ctx["members_affected"], node[1], min(node[2], 1 << 40)), ctx["_shape"])
    if t == "nom":
        dim, op, vs = node[1], node[2], node[3]
        a = ctx["actor"] if dim == "actor" else ctx["sector"]
        if op == "==":
            r = a == vs[0]
        elif op == "!=":
            r = a != vs[0]
        else:
            r = np.isin(a, vs)
        return np.broadcast_to(r, ctx["_shape"])
    if t == "not":
        n = 0
        while node[0] == "not":
            n += 1
            node = node[1]
        r = ev_np(node, ctx)
        return ~r if n % 2 else r
    if t == "and":
        r = np.ones(ctx["_shape"], dtype=bool)
        for x in node[1]:
            r = r & ev_np(x, ctx)
        return r
    if t == "or":
        r = np.zeros(ctx["_shape"], dtype=bool)
        for x in node[1]:
            r = r | ev_np(x, ctx)
        return r
    raise AssertionError(t)


# ---------------------------------------------------------------- policies (section 5)
DEFAULT_DOCTRINE = {"sovereignty_rule": False, "sovereignty_threshold": "loss_of_functionality",
                    "nonphysical_force": False}


def load_policy_file(path, alliance, max_depth=REF_DEPTH):
    with open(path, "rb") as f:
        try:
            data = tomllib.load(f)
        except tomllib.TOMLDecodeError as e:
            raise RefError(f"{path}: TOML: {e}")
    ids = [r["id"] for r in alliance["rungs"]]
    for k in data:
        if k not in ("member", "source", "doctrine", "capacity", "stance"):
            raise RefError(f"{path}: unknown key {k}")
    mem = data.get("member")
    if not isinstance(mem, str):
        raise RefError(f"{path}: member missing or not a string")
    if mem not in alliance["codes"]:
        raise RefError(f"{path}: member {mem} not in alliance")
    if "source" in data and not isinstance(data["source"], str):
        raise RefError(f"{path}: source not a string")
    doc = dict(DEFAULT_DOCTRINE)
    d = data.get("doctrine", {})
    if not isinstance(d, dict):
        raise RefError(f"{path}: doctrine not a table")
    for k, v in d.items():
        if k in ("sovereignty_rule", "nonphysical_force"):
            if not isinstance(v, bool):
                raise RefError(f"{path}: doctrine.{k} not a bool")
        elif k == "sovereignty_threshold":
            if not isinstance(v, str) or v not in THRESHOLDS:
                raise RefError(f"{path}: doctrine.sovereignty_threshold {v!r}")
        else:
            raise RefError(f"{path}: doctrine: unknown key {k}")
        doc[k] = v
    cap = data.get("capacity", {})
    if not isinstance(cap, dict):
        raise RefError(f"{path}: capacity not a table")
    caps = set()
    for k, v in cap.items():
        if k not in ids:
            raise RefError(f"{path}: capacity.{k} not a ladder id")
        if not isinstance(v, bool):
            raise RefError(f"{path}: capacity.{k} not a bool")
        if v:
            caps.add(k)
    st = data.get("stance", {})
    if not isinstance(st, dict):
        raise RefError(f"{path}: stance not a table")
    stances = {}
    for k, v in st.items():
        if k not in ids:
            raise RefError(f"{path}: stance.{k} not a ladder id")
        if not isinstance(v, dict):
            raise RefError(f"{path}: stance.{k} not a table")
        sup = None
        blk = []
        for kk, vv in v.items():
            if kk == "support":
                if not isinstance(vv, str):
                    raise RefError(f"{path}: stance.{k}.support not a string")
                sup = parse_cond(vv, max_depth)
            elif kk == "block":
                if isinstance(vv, str):
                    blk = [("policy", parse_cond(vv, max_depth))]
                elif isinstance(vv, dict):
                    tmp = {}
                    for rk, rv in vv.items():
                        if rk not in REASONS:
                            raise RefError(f"{path}: stance.{k}.block.{rk}: unknown reason")
                        if not isinstance(rv, str):
                            raise RefError(f"{path}: stance.{k}.block.{rk} not a string")
                        tmp[rk] = parse_cond(rv, max_depth)
                    blk = [(r, tmp[r]) for r in REASONS if r in tmp]
                else:
                    raise RefError(f"{path}: stance.{k}.block not string/table")
            else:
                raise RefError(f"{path}: stance.{k}: unknown key {kk}")
        stances[k] = {"support": sup, "block": blk}
    return {"member": mem, "doctrine": doc, "capacity": caps, "stances": stances}


def load_policies(d, alliance, max_depth=REF_DEPTH):
    pols = {}
    names = sorted(n for n in os.listdir(d) if n.endswith(".toml") and os.path.isfile(os.path.join(d, n)))
    for n in names:
        p = load_policy_file(os.path.join(d, n), alliance, max_depth)
        if p["member"] in pols:
            raise RefError(f"{n}: second file for member {p['member']}")
        pols[p["member"]] = p
    return pols


# ---------------------------------------------------------------- legal class (section 3.1)
def legal_class(doc, sev, eff, sectors_has):
    """sev, eff: indices; sectors_has(name)->bool. Returns LEGAL index."""
    S = SEVERITY.index
    E = EFFECTS.index
    npf = doc["nonphysical_force"]
    nonphys = eff in (E("disruption"), E("data_destruction"))
    if eff == E("casualties") and sev >= S("severe"):
        return 4
    if eff == E("destruction") and sev >= S("severe"):
        return 4
    if npf and nonphys and sev == S("emergency"):
        return 4
    if eff >= E("destruction") and sev >= S("medium"):
        return 3
    if npf and nonphys and sev >= S("severe"):
        return 3
    if eff >= E("disruption") and ((sectors_has("elections") and sev >= S("medium")) or
                                   (sectors_has("government") and sev >= S("high"))):
        return 2
    if doc["sovereignty_rule"] and eff >= E("disruption"):
        return 1
    if doc["sovereignty_rule"] and doc["sovereignty_threshold"] == "any_intrusion":
        return 1
    return 0


def legal_class_np(doc, sev, eff, sec):
    import numpy as np
    S = SEVERITY.index
    E = EFFECTS.index
    npf = doc["nonphysical_force"]
    nonphys = (eff == E("disruption")) | (eff == E("data_destruction"))
    shape = np.broadcast(sev, eff, sec).shape
    out = np.zeros(shape, dtype=np.int8)
    done = np.zeros(shape, dtype=bool)

    def rule(cond, val):
        nonlocal out, done
        c = np.broadcast_to(cond, shape) & ~done
        out = np.where(c, val, out)
        done = done | c
    rule((eff == E("casualties")) & (sev >= S("severe")), 4)
    rule((eff == E("destruction")) & (sev >= S("severe")), 4)
    rule(npf & nonphys & (sev == S("emergency")), 4)
    rule((eff >= E("destruction")) & (sev >= S("medium")), 3)
    rule(npf & nonphys & (sev >= S("severe")), 3)
    el = sec == SECTOR.index("elections")
    gv = sec == SECTOR.index("government")
    rule((eff >= E("disruption")) & ((el & (sev >= S("medium"))) | (gv & (sev >= S("high")))), 2)
    rule(doc["sovereignty_rule"] & (eff >= E("disruption")), 1)
    rule(np.bool_(doc["sovereignty_rule"] and doc["sovereignty_threshold"] == "any_intrusion"), 1)
    return out


# ---------------------------------------------------------------- vectors (section 3)
def parse_vector(obj, alliance=None):
    if not isinstance(obj, dict):
        raise RefError("vector must be a JSON object")
    v = {}
    for k, voc in (("severity", SEVERITY), ("attribution", ATTRIBUTION), ("effects", EFFECTS), ("actor", ACTOR)):
        x = obj.get(k)
        if not isinstance(x, str) or x not in voc:
            raise RefError(f"{k}: unknown or missing level {x!r}")
        v[k] = voc.index(x)
    secs = obj.get("sectors", [])
    if not isinstance(secs, list) or not all(isinstance(s, str) for s in secs):
        raise RefError("sectors must be a list of strings")
    for s in secs:
        if s not in SECTOR:
            raise RefError(f"unknown sector {s!r}")
    v["sectors"] = set(SECTOR.index(s) for s in secs)
    vic = obj.get("victims", [])
    if not isinstance(vic, list) or not all(isinstance(s, str) for s in vic):
        raise RefError("victims must be a list of strings")
    v["victims"] = set(vic)
    ma = obj.get("members_affected")
    if ma is None:
        ma = len(set(vic))
    elif not _is_int(ma) or ma < 0:
        raise RefError("members_affected must be an integer >= 0")
    v["members_affected"] = ma
    return v


# ---------------------------------------------------------------- stance and decide (sections 5, 6)
def member_ctx(v, code, doc):
    sh = lambda name: SECTOR.index(name) in v["sectors"]
    lg = legal_class(doc, v["severity"], v["effects"], sh)
    return {"severity": v["severity"], "attribution": v["attribution"], "effects": v["effects"],
            "legal": lg, "actor": v["actor"], "sectors": v["sectors"],
            "members_affected": v["members_affected"], "affected_self": code in v["victims"]}


def stance(pol, rung, ctx):
    """Returns (stance, reasons)."""
    if pol is None:
        return ("abstain", [])
    lb = rung["legal_basis"]
    if lb is not None and ctx["legal"] < LEGAL.index(lb) and not (
            lb == "sovereignty_violation" and not pol["doctrine"]["sovereignty_rule"]):
        if rung["rule"][0] == "consensus":
            return ("block", ["legal"])
        return ("abstain", [])
    st = pol["stances"].get(rung["id"])
    if st is None:
        return ("abstain", [])
    rs = [r for r, c in st["block"] if ev(c, ctx)]
    if rs:
        return ("block", rs)
    if st["support"] is not None and ev(st["support"], ctx):
        return ("support", [])
    return ("abstain", [])


def evaluate(alliance, pols, v):
    codes = sorted(alliance["codes"])
    ctxs = {}
    legal = {}
    for c in codes:
        pol = pols.get(c)
        doc = pol["doctrine"] if pol else DEFAULT_DOCTRINE
        ctxs[c] = member_ctx(v, c, doc)
        legal[c] = LEGAL[ctxs[c]["legal"]]
    opts = []
    adopted = {}
    for r in alliance["rungs"]:
        sup, blk, ab, reasons, stances = [], [], [], {}, {}
        for c in codes:
            s, rs = stance(pols.get(c), r, ctxs[c])
            stances[c] = s
            if s == "support":
                sup.append(c)
            elif s == "block":
                blk.append(c)
                reasons[c] = rs
            else:
                ab.append(c)
        kind, n = r["rule"]
        if kind == "any":
            rule_ok = len(sup) >= 1
            sup_missing = len(sup) < 1
        elif kind == "consensus":
            rule_ok = len(sup) >= 1 and len(blk) == 0
            sup_missing = len(sup) < 1
        else:
            rule_ok = len(sup) >= n
            sup_missing = len(sup) < n
        req_ok = (not r["request"]) or any(c in v["victims"] for c in sup)
        contrib = [c for c in sup if r["id"] in pols[c]["capacity"]] if r["contributors"] is not None else []
        con_ok = r["contributors"] is None or len(contrib) >= r["contributors"]
        reqs_bad = [x for x in r["requires"] if not adopted[x]]
        ad = rule_ok and req_ok and con_ok and not reqs_bad
        adopted[r["id"]] = ad
        missing = []
        if sup_missing:
            missing.append("support")
        if not req_ok:
            missing.append("request")
        if kind == "consensus" and len(blk) >= 1:
            missing.append("block")
        if not con_ok:
            missing.append("contributors")
        missing += ["requires:" + x for x in reqs_bad]
        opts.append({"id": r["id"], "rule": r["rule_text"], "adopted": ad, "support": sup,
                     "block": blk, "abstain": ab, "reasons": reasons, "contributors": contrib,
                     "missing": missing, "_stances": stances})
    return opts, legal


def decide(alliance, pols, v):
    opts, legal = evaluate(alliance, pols, v)
    hi = None
    for o in opts:
        if o["adopted"]:
            hi = o["id"]
    paths = []
    later = {}
    for o in opts:
        if o["adopted"]:
            continue
        found = None
        for a in range(v["attribution"] + 1, len(ATTRIBUTION)):
            if a not in later:
                v2 = dict(v)
                v2["attribution"] = a
                later[a] = {x["id"]: x for x in evaluate(alliance, pols, v2)[0]}
            o2 = later[a][o["id"]]
            if o2["adopted"]:
                flips = sorted(c for c in o["_stances"] if o["_stances"][c] != o2["_stances"][c])
                found = {"option": o["id"], "attribution": ATTRIBUTION[a], "flips": flips}
                break
        paths.append(found or {"option": o["id"], "attribution": None, "flips": []})
    for o in opts:
        del o["_stances"]
    return {"highest_adopted": hi, "options": opts, "legal": legal, "paths": paths}


# ---------------------------------------------------------------- rift (section 7)
def haversine(a, b):
    R = 6371.0
    # differences taken in degrees first, so that mathematically equal distances (mirror
    # images along a meridian or a parallel) come out exactly equal and are tied by code
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    dp = math.radians(b["lat"] - a["lat"])
    dl = math.radians(b["lon"] - a["lon"])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R * math.asin(min(1.0, math.sqrt(h)))


def victim_sets(alliance, k):
    ms = alliance["members"]
    N = len(ms)
    out = {}
    for v in ms:
        if k > N:
            out[v["code"]] = set(m["code"] for m in ms)
            continue
        others = sorted((haversine(v, m), m["code"]) for m in ms if m["code"] != v["code"])
        out[v["code"]] = {v["code"]} | {c for _, c in others[:k - 1]}
    return out


KS = [1, 3, 10]
PRIOR_DIMS = {"severity": SEVERITY, "attribution": ATTRIBUTION, "actor": ACTOR, "effects": EFFECTS,
              "sector": SECTOR}


def load_prior(path, alliance):
    with open(path, "rb") as f:
        data = tomllib.load(f)
    w = {}
    for k in data:
        if k != "weights":
            raise RefError(f"prior: unknown key {k}")
    for dim, tab in data.get("weights", {}).items():
        if dim in PRIOR_DIMS:
            levels = PRIOR_DIMS[dim]
        elif dim == "victim":
            levels = alliance["codes"]
        elif dim == "members_affected":
            levels = [str(k) for k in KS]
        else:
            raise RefError(f"prior: unknown dimension {dim}")
        d = {}
        for lv, x in tab.items():
            if lv not in levels:
                raise RefError(f"prior: unknown level {lv} for {dim}")
            if not _is_num(x) or x < 0:
                raise RefError(f"prior: bad weight {x!r}")
            d[lv] = float(x)
        w[dim] = d
    return w


def rift(alliance, pols, prior=None):
    import numpy as np
    prior = prior or {}
    codes_file = alliance["codes"]
    codes = sorted(codes_file)          # member axis sorted by code
    N = len(codes)
    rungs = alliance["rungs"]
    # base grid axes: sev, att, act, eff, sec, k
    shp = (6, 4, 4, 5, 12, 3)
    sev = np.arange(6).reshape(6, 1, 1, 1, 1, 1)
    att = np.arange(4).reshape(1, 4, 1, 1, 1, 1)
    act = np.arange(4).reshape(1, 1, 4, 1, 1, 1)
    eff = np.arange(5).reshape(1, 1, 1, 5, 1, 1)
    sec = np.arange(12).reshape(1, 1, 1, 1, 12, 1)
    kk = np.array(KS).reshape(1, 1, 1, 1, 1, 3)
    B = int(np.prod(shp))

    def wvec(dim, levels):
        d = prior.get(dim, {})
        return np.array([d.get(l, 1.0) for l in levels], dtype=np.float64)
    wb = (wvec("severity", SEVERITY).reshape(6, 1, 1, 1, 1, 1) * wvec("attribution", ATTRIBUTION).reshape(1, 4, 1, 1, 1, 1)
          * wvec("actor", ACTOR).reshape(1, 1, 4, 1, 1, 1) * wvec("effects", EFFECTS).reshape(1, 1, 1, 5, 1, 1)
          * wvec("sector", SECTOR).reshape(1, 1, 1, 1, 12, 1) * wvec("members_affected", [str(k) for k in KS]).reshape(1, 1, 1, 1, 1, 3))
    wb = np.broadcast_to(wb, shp).reshape(B)
    # victims axis in alliance-file order is irrelevant to sums; use sorted codes
    wv = np.array([prior.get("victim", {}).get(c, 1.0) for c in codes])
    W = wb[:, None] * wv[None, :]          # (B, Nv)
    total = math.fsum(W.ravel())

    def wsum(mask):
        # correctly rounded weighted sum (math.fsum) so that the ratios are as exact as doubles allow
        return math.fsum(W[mask])
    # victim masks: A[kidx, v, m]
    A = np.zeros((3, N, N), dtype=bool)
    for ki, k in enumerate(KS):
        vs = victim_sets(alliance, k)
        for vi, c in enumerate(codes):
            for mi, m in enumerate(codes):
                A[ki, vi, mi] = m in vs[c]
    k_of_b = np.broadcast_to(np.arange(3).reshape(1, 1, 1, 1, 1, 3), shp).reshape(B)
    Ab = A[k_of_b]                          # (B, Nv, Nm)
    # per member legal class over base grid
    legal = {}
    for c in codes:
        pol = pols.get(c)
        doc = pol["doctrine"] if pol else DEFAULT_DOCTRINE
        legal[c] = np.broadcast_to(legal_class_np(doc, sev, eff, sec), shp)
    sev_b = np.broadcast_to(sev, shp).reshape(B)
    att_b = np.broadcast_to(att, shp).reshape(B)
    act_b = np.broadcast_to(act, shp).reshape(B)
    adopted = {}
    rift_any = np.zeros((B, N), dtype=bool)
    veto_any = np.zeros((B, N), dtype=bool)
    out_opts = []
    ceiling = {}
    for r in rungs:
        kind, n = r["rule"]
        # stance codes S[aff][b, m]: 0 abstain 1 support 2 block; reason bits R[aff][b, m]
        S = np.zeros((2, B, N), dtype=np.int8)
        Rb = np.zeros((2, B, N), dtype=np.uint8)
        for mi, c in enumerate(codes):
            pol = pols.get(c)
            if pol is None:
                continue
            for aff in (0, 1):
                ctx = {"_shape": shp, "severity": sev, "attribution": att, "actor": act, "effects": eff,
                       "sector": sec, "members_affected": kk, "legal": legal[c], "affected_self": bool(aff)}
                st = np.zeros(shp, dtype=np.int8)
                rb = np.zeros(shp, dtype=np.uint8)
                decided = np.zeros(shp, dtype=bool)
                lb = r["legal_basis"]
                if lb is not None and not (lb == "sovereignty_violation" and not pol["doctrine"]["sovereignty_rule"]):
                    below = legal[c] < LEGAL.index(lb)
                    if kind == "consensus":
                        st = np.where(below, 2, st).astype(np.int8)
                        rb = np.where(below, 1 << REASONS.index("legal"), rb).astype(np.uint8)
                    decided = decided | below
                stt = pol["stances"].get(r["id"])
                if stt is not None:
                    bl = np.zeros(shp, dtype=bool)
                    bits = np.zeros(shp, dtype=np.uint8)
                    for reason, cnd in stt["block"]:
                        h = ev_np(cnd, ctx)
                        bl = bl | h
                        bits = bits | np.where(h, np.uint8(1 << REASONS.index(reason)), np.uint8(0))
                    bl = bl & ~decided
                    st = np.where(bl, 2, st).astype(np.int8)
                    rb = np.where(bl, bits, rb).astype(np.uint8)
                    decided = decided | bl
                    if stt["support"] is not None:
                        su = ev_np(stt["support"], ctx) & ~decided
                        st = np.where(su, 1, st).astype(np.int8)
                S[aff, :, mi] = st.reshape(B)
                Rb[aff, :, mi] = rb.reshape(B)
        # full cells: (B, Nv, Nm)
        ST = np.where(Ab, S[1][:, None, :], S[0][:, None, :])
        RB = np.where(Ab, Rb[1][:, None, :], Rb[0][:, None, :])
        sup = ST == 1
        blk = ST == 2
        s = sup.sum(-1)
        b = blk.sum(-1)
        if kind == "any":
            rule_ok = s >= 1
            sup_missing = s < 1
        elif kind == "consensus":
            rule_ok = (s >= 1) & (b == 0)
            sup_missing = s < 1
        else:
            rule_ok = s >= n
            sup_missing = s < n
        vsup = (sup & Ab).any(-1)
        req_ok = vsup if r["request"] else np.ones((B, N), dtype=bool)
        if r["contributors"] is not None:
            cap = np.array([c in pols and r["id"] in pols[c]["capacity"] for c in codes])
            con_ok = (sup & cap[None, None, :]).sum(-1) >= r["contributors"]
        else:
            con_ok = np.ones((B, N), dtype=bool)
        reqs_ok = np.ones((B, N), dtype=bool)
        reqs_missing_any = np.zeros((B, N), dtype=bool)
        for x in r["requires"]:
            reqs_ok &= adopted[x]
            reqs_missing_any |= ~adopted[x]
        ad = rule_ok & req_ok & con_ok & reqs_ok
        adopted[r["id"]] = ad
        block_missing = (b >= 1) if kind == "consensus" else np.zeros((B, N), dtype=bool)
        mkinds = {"support": sup_missing, "request": ~req_ok, "block": block_missing,
                  "contributors": ~con_ok, "requires": reqs_missing_any}
        if kind == "consensus":
            riftc = (2 * s > N) & (b >= 1)
            veto = block_missing & ~sup_missing & req_ok & con_ok & reqs_ok
        else:
            riftc = np.zeros((B, N), dtype=bool)
            veto = np.zeros((B, N), dtype=bool)
        rift_any |= riftc
        veto_any |= veto
        o = {"id": r["id"], "rift_index": wsum(riftc) / total,
             "veto_index": wsum(veto) / total,
             "adopted_share": wsum(ad) / total,
             "victim_unmet": wsum(vsup & ~ad) / total}
        bb = {}
        if kind == "consensus":
            for ri, reason in enumerate(REASONS):
                has = (blk & ((RB & (1 << ri)) != 0)).any(-1) & veto
                x = wsum(has) / total
                if x != 0:
                    bb[reason] = x
        o["blocked_by"] = bb
        ms = {}
        for kind2, arr in mkinds.items():
            x = wsum(arr) / total
            if x != 0:
                ms[kind2] = x
        o["missing_share"] = ms
        piv = {}
        if kind == "consensus":
            one = veto & (b == 1)
            for mi, c in enumerate(codes):
                cnt = int((one & blk[:, :, mi]).sum())
                if cnt:
                    piv[c] = cnt
        o["pivotal"] = piv
        out_opts.append(o)
        # ceiling
        cl = {}
        na = ~ad  # (B, Nv)
        for ai, an in enumerate(ATTRIBUTION):
            sel = (act_b == ACTOR.index("state")) & (att_b == ai)
            m = na & sel[:, None]
            rows = m.any(-1)
            if rows.any():
                cl[an] = SEVERITY[int(sev_b[rows].max())]
            else:
                cl[an] = None
        ceiling[r["id"]] = cl
        del ST, RB, sup, blk
    return {"cells": int(B * N), "rift_index": wsum(rift_any) / total,
            "veto_index": wsum(veto_any) / total, "options": out_opts, "ceiling": ceiling}


def rift_naive(alliance, pols, prior=None):
    """Pure-Python per-cell rift (for small alliances), built on decide's evaluate()."""
    prior = prior or {}
    codes = alliance["codes"]
    N = len(codes)
    vsets = {k: victim_sets(alliance, k) for k in KS}
    rungs = alliance["rungs"]
    acc = {r["id"]: {"rift": 0.0, "veto": 0.0, "ad": 0.0, "vu": 0.0, "bb": {}, "ms": {}, "piv": {}} for r in rungs}
    tot = 0.0
    rift_any = 0.0
    veto_any = 0.0
    ceil = {r["id"]: {a: None for a in ATTRIBUTION} for r in rungs}
    g = lambda dim, lv: prior.get(dim, {}).get(lv, 1.0)
    for si in range(6):
        for ai in range(4):
            for ci in range(4):
                for ei in range(5):
                    for sc in range(12):
                        for k in KS:
                            for v in codes:
                                w = (g("severity", SEVERITY[si]) * g("attribution", ATTRIBUTION[ai]) * g("actor", ACTOR[ci])
                                     * g("effects", EFFECTS[ei]) * g("sector", SECTOR[sc]) * g("members_affected", str(k)) * g("victim", v))
                                vec = {"severity": si, "attribution": ai, "actor": ci, "effects": ei, "sectors": {sc},
                                       "victims": vsets[k][v], "members_affected": k}
                                opts, _ = evaluate(alliance, pols, vec)
                                tot += w
                                anyr = anyv = False
                                for r, o in zip(rungs, opts):
                                    a = acc[r["id"]]
                                    cons = r["rule"][0] == "consensus"
                                    s, b = len(o["support"]), len(o["block"])
                                    if cons and 2 * s > N and b >= 1:
                                        a["rift"] += w
                                        anyr = True
                                    veto = cons and o["missing"] == ["block"]
                                    if veto:
                                        a["veto"] += w
                                        anyv = True
                                        for reason in REASONS:
                                            if any(reason in o["reasons"][m] for m in o["block"]):
                                                a["bb"][reason] = a["bb"].get(reason, 0.0) + w
                                        if b == 1:
                                            a["piv"][o["block"][0]] = a["piv"].get(o["block"][0], 0) + 1
                                    if o["adopted"]:
                                        a["ad"] += w
                                    elif any(m in vec["victims"] for m in o["support"]):
                                        a["vu"] += w
                                    kinds = set(x.split(":")[0] for x in o["missing"])
                                    for kd in kinds:
                                        a["ms"][kd] = a["ms"].get(kd, 0.0) + w
                                    if not o["adopted"] and ci == 3:
                                        cur = ceil[r["id"]][ATTRIBUTION[ai]]
                                        if cur is None or SEVERITY.index(cur) < si:
                                            ceil[r["id"]][ATTRIBUTION[ai]] = SEVERITY[si]
                                if anyr:
                                    rift_any += w
                                if anyv:
                                    veto_any += w
    opts = []
    for r in rungs:
        a = acc[r["id"]]
        opts.append({"id": r["id"], "rift_index": a["rift"] / tot, "veto_index": a["veto"] / tot,
                     "adopted_share": a["ad"] / tot, "victim_unmet": a["vu"] / tot,
                     "blocked_by": {k: x / tot for k, x in a["bb"].items() if x},
                     "missing_share": {k: x / tot for k, x in a["ms"].items() if x},
                     "pivotal": dict(sorted(a["piv"].items()))})
    return {"cells": 17280 * N, "rift_index": rift_any / tot, "veto_index": veto_any / tot,
            "options": opts, "ceiling": ceil}


# ---------------------------------------------------------------- CLI
HERE = os.path.dirname(os.path.abspath(__file__))


def default_paths(repo):
    return (os.path.join(repo, "crates/policy/alliance/nato.toml"),
            os.path.join(repo, "crates/policy/policies/nato"))


def main(argv):
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd")
    ap.add_argument("dir", nargs="?")
    ap.add_argument("--assessment")
    ap.add_argument("--alliance")
    ap.add_argument("--policies")
    ap.add_argument("--prior")
    ap.add_argument("--repo", default=os.environ.get("CONCORD_REPO", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
    ap.add_argument("--naive", action="store_true")
    a = ap.parse_args(argv)
    da, dp = default_paths(a.repo)
    try:
        if a.cmd == "alliance-check":
            load_alliance(a.dir)
            print(json.dumps({"ok": True}))
            return 0
        alliance = load_alliance(a.alliance or da)
        if a.cmd == "policy-check":
            load_policies(a.dir, alliance)
            print(json.dumps({"ok": True}))
            return 0
        pols = load_policies(a.policies or dp, alliance)
        if a.cmd == "decide":
            with open(a.assessment) as f:
                try:
                    obj = json.load(f)
                except json.JSONDecodeError as e:
                    raise RefError(f"bad JSON: {e}")
            v = parse_vector(obj, alliance)
            print(json.dumps(decide(alliance, pols, v)))
            return 0
        if a.cmd == "rift":
            prior = load_prior(a.prior, alliance) if a.prior else None
            doc = (rift_naive if a.naive else rift)(alliance, pols, prior)
            print(json.dumps(doc))
            return 0
    except RefError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print("unknown command", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
