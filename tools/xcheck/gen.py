"""Random alliances, policy sets and vectors for the cross-check."""
import json
import os
import random
import string

from ref import (SEVERITY, ATTRIBUTION, EFFECTS, LEGAL, ACTOR, SECTOR, REASONS, CMPS, THRESHOLDS)

ORD = {"severity": SEVERITY, "attribution": ATTRIBUTION, "effects": EFFECTS, "legal": LEGAL}


def tq(s):
    """TOML basic string."""
    return json.dumps(s, ensure_ascii=True)


def ws(rng, dense=False):
    r = rng.random()
    if dense and r < 0.35:
        return ""
    if r < 0.75:
        return " "
    return rng.choice([" ", "  ", "\t", "\n", "\r\n", " \t "])


def gen_primary(rng):
    k = rng.random()
    if k < 0.06:
        return rng.choice(["true", "false"])
    if k < 0.14:
        return "affected_self"
    if k < 0.55:
        dim = rng.choice(list(ORD))
        op = rng.choice(CMPS)
        return f"{dim}{ws(rng, True)}{op}{ws(rng, True)}{rng.choice(ORD[dim])}"
    if k < 0.68:
        op = rng.choice(CMPS)
        n = rng.choice([0, 1, 2, 3, 4, 5, 9, 10, 11, 20])
        lit = str(n) if rng.random() < 0.9 else "00" + str(n)
        return f"members_affected{ws(rng, True)}{op}{ws(rng, True)}{lit}"
    dim = rng.choice(["actor", "sector"])
    voc = ACTOR if dim == "actor" else SECTOR
    if rng.random() < 0.5:
        op = rng.choice(["==", "!="])
        return f"{dim}{ws(rng, True)}{op}{ws(rng, True)}{rng.choice(voc)}"
    vs = rng.sample(voc, rng.randint(1, min(4, len(voc))))
    inner = ("," + ws(rng, True)).join(vs)
    return f"{dim} in{ws(rng, True)}[{ws(rng, True)}{inner}{ws(rng, True)}]"


def gen_cond(rng, depth=0):
    k = rng.random()
    if depth >= 4 or k < 0.35:
        return gen_primary(rng)
    if k < 0.5:
        return "not " + gen_cond(rng, depth + 1)
    if k < 0.62:
        return "(" + ws(rng, True) + gen_cond(rng, depth + 1) + ws(rng, True) + ")"
    op = rng.choice(["and", "or"])
    n = rng.randint(2, 4)
    parts = []
    for _ in range(n):
        c = gen_cond(rng, depth + 1)
        if rng.random() < 0.4:
            c = "(" + c + ")"
        parts.append(c)
    return (ws(rng) + op + ws(rng)).join(parts)


def rand_code(rng, used):
    while True:
        c = "".join(rng.choice(string.ascii_uppercase) for _ in range(3))
        if c not in used:
            used.add(c)
            return c


NATO_LADDER_IDS = ["share", "assist", "solidarity", "attribute", "diplomatic", "sanctions", "consult",
                   "inform", "defend", "countermeasures", "art5"]


def gen_alliance(rng, n=None, nrungs=None):
    n = n or rng.randint(3, 8)
    used = set()
    codes = [rand_code(rng, used) for _ in range(n)]
    members = []
    for c in codes:
        if members and rng.random() < 0.2:  # exact duplicate coordinates: tie by code
            lat, lon = members[rng.randrange(len(members))][2:]
        else:
            lat = round(rng.uniform(-60, 70), 2)
            lon = round(rng.uniform(-120, 120), 2)
        members.append((c, "Member " + c, lat, lon))
    nrungs = nrungs or rng.randint(3, 11)
    ids = rng.sample(NATO_LADDER_IDS + ["r" + str(i) for i in range(10)] + ["x_y"], nrungs)
    rungs = []
    for i, rid in enumerate(ids):
        r = {"id": rid, "option": "option " + rid}
        k = rng.random()
        if k < 0.25:
            r["rule"] = "any"
        elif k < 0.75:
            r["rule"] = "consensus"
        else:
            r["rule"] = f"coalition:{rng.randint(1, n + 1)}"
        if rng.random() < 0.3:
            r["legal_basis"] = rng.choice(LEGAL)
        if i and rng.random() < 0.3:
            r["requires"] = rng.sample(ids[:i], rng.randint(1, min(2, i)))
        if rng.random() < 0.3:
            r["contributors"] = rng.randint(1, 3)
        if rng.random() < 0.3:
            r["request"] = "victim"
        rungs.append(r)
    return {"name": "Random", "members": members, "rungs": rungs}


def write_alliance(a, path):
    out = [f"name = {tq(a['name'])}", ""]
    for c, nm, lat, lon in a["members"]:
        out += ["[[member]]", f"code = {tq(c)}", f"name = {tq(nm)}", f"lat = {lat!r}", f"lon = {lon!r}", ""]
    for r in a["rungs"]:
        out.append("[[rung]]")
        for k, v in r.items():
            if isinstance(v, str):
                out.append(f"{k} = {tq(v)}")
            elif isinstance(v, list):
                out.append(f"{k} = [{', '.join(tq(x) for x in v)}]")
            else:
                out.append(f"{k} = {v}")
        out.append("")
    with open(path, "w") as f:
        f.write("\n".join(out))


def thr_cond(rng, up=True):
    parts = []
    for dim in rng.sample(["severity", "attribution", "effects", "legal", "actor", "ma", "self"], rng.randint(1, 3)):
        if dim == "actor":
            parts.append("actor in [" + ", ".join(rng.sample(ACTOR, rng.randint(1, 3))) + "]")
        elif dim == "ma":
            parts.append(f"members_affected {'>=' if up else '<'} {rng.choice([2, 3, 5])}")
        elif dim == "self":
            parts.append("affected_self" if up else "not affected_self")
        else:
            parts.append(f"{dim} {'>=' if up else '<'} {rng.choice(ORD[dim][1:])}")
    return " and ".join(parts)


def gen_policy_thr(rng, code, rung_ids):
    out = [f"member = {tq(code)}", "[doctrine]",
           f"sovereignty_rule = {rng.choice(['true', 'false'])}",
           f"sovereignty_threshold = {tq(rng.choice(THRESHOLDS))}",
           f"nonphysical_force = {rng.choice(['true', 'false'])}", "[capacity]"]
    for rid in rung_ids:
        if rng.random() < 0.5:
            out.append(f"{rid} = true")
    for rid in rung_ids:
        out.append(f"[stance.{rid}]")
        out.append(f"support = {tq(thr_cond(rng))}")
        k = rng.random()
        if k < 0.15:
            out.append(f"block = {tq(thr_cond(rng, False))}")
        elif k < 0.3:
            out.append(f"[stance.{rid}.block]")
            for reason in rng.sample(REASONS, rng.randint(1, 2)):
                out.append(f"{reason} = {tq(thr_cond(rng, False))}")
    return "\n".join(out) + "\n"


def gen_policy(rng, code, rung_ids, style="random"):
    if style == "thr":
        return gen_policy_thr(rng, code, rung_ids)
    out = [f"member = {tq(code)}"]
    if rng.random() < 0.5:
        out.append(f"source = {tq('random policy for ' + code)}")
    if rng.random() < 0.8:
        out.append("[doctrine]")
        if rng.random() < 0.7:
            out.append(f"sovereignty_rule = {rng.choice(['true', 'false'])}")
        if rng.random() < 0.7:
            out.append(f"sovereignty_threshold = {tq(rng.choice(THRESHOLDS))}")
        if rng.random() < 0.7:
            out.append(f"nonphysical_force = {rng.choice(['true', 'false'])}")
    if rng.random() < 0.7:
        out.append("[capacity]")
        for rid in rng.sample(rung_ids, rng.randint(0, len(rung_ids))):
            out.append(f"{rid} = {rng.choice(['true', 'true', 'false'])}")
    for rid in rung_ids:
        if rng.random() < 0.2:
            continue
        out.append(f"[stance.{rid}]")
        if rng.random() < 0.85:
            c = gen_cond(rng)
            if rng.random() < 0.5:
                c = f"attribution >= {rng.choice(ATTRIBUTION[1:])} and ({c})"
            elif rng.random() < 0.3:
                c = f"attribution {rng.choice(['>=', '>', '=='])} {rng.choice(ATTRIBUTION)} or {c}"
            out.append(f"support = {tq(c)}")

        def bc():
            c = gen_cond(rng)
            if rng.random() < 0.5:
                c = f"attribution <= {rng.choice(ATTRIBUTION[:3])} and ({c})"
            elif rng.random() < 0.5:
                c = f"{gen_cond(rng)} and {c}"
            return c
        k = rng.random()
        if k < 0.3:
            out.append(f"block = {tq(bc())}")
        elif k < 0.65:
            out.append(f"[stance.{rid}.block]")
            for reason in rng.sample(REASONS, rng.randint(1, 5)):
                out.append(f"{reason} = {tq(bc())}")
    return "\n".join(out) + "\n"


def gen_policy_set(rng, a, d, p_file=0.85, style=None):
    style = style or rng.choice(["random", "thr"])
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    ids = [r["id"] for r in a["rungs"]]
    for c, *_ in a["members"]:
        if rng.random() < p_file:
            with open(os.path.join(d, c.lower() + ".toml"), "w") as f:
                f.write(gen_policy(rng, c, ids, style))


def gen_vector(rng, codes):
    v = {"severity": rng.choice(SEVERITY), "attribution": rng.choice(ATTRIBUTION + ["none", "low"]),
         "effects": rng.choice(EFFECTS), "actor": rng.choice(ACTOR)}
    if rng.random() < 0.9:
        v["sectors"] = rng.sample(SECTOR, rng.choice([0, 1, 1, 1, 2, 3]))
    if rng.random() < 0.92:
        vic = rng.sample(codes, rng.randint(0, min(len(codes), 5)))
        if vic and rng.random() < 0.1:
            vic.append(vic[0])  # duplicate code
        v["victims"] = vic
    k = rng.random()
    if k < 0.4:
        v["members_affected"] = rng.choice([0, 1, 2, 3, 4, 5, 9, 10, 11, 40])
    elif k < 0.5:
        v["members_affected"] = None
    if rng.random() < 0.1:
        v["legal"] = "armed_attack"  # ignored key
        v["extra"] = {"x": 1}
    return v


ORD_RE = None


def mutate_builtin(rng, src, dst, p_drop=0.1, p_mut=0.3):
    """Copy a built-in policy directory with random edits: files dropped, levels moved,
    comparisons changed, doctrine lines dropped, capacity flipped."""
    import re
    os.makedirs(dst, exist_ok=True)
    for f in os.listdir(dst):
        os.remove(os.path.join(dst, f))
    pat = re.compile(r"\b(severity|attribution|effects|legal)\s*(<=|>=|==|!=|<|>)\s*([a-z_]+)")
    for fn in sorted(os.listdir(src)):
        if not fn.endswith(".toml"):
            continue
        if rng.random() < p_drop:
            continue
        text = open(os.path.join(src, fn)).read()

        def rep(m):
            if rng.random() > p_mut:
                return m.group(0)
            dim = m.group(1)
            op = rng.choice(CMPS) if rng.random() < 0.3 else m.group(2)
            return f"{dim} {op} {rng.choice(ORD[dim])}"
        text = pat.sub(rep, text)
        lines = []
        for l in text.split("\n"):
            if l.startswith(("sovereignty_rule", "sovereignty_threshold", "nonphysical_force")) and rng.random() < 0.2:
                continue
            if l.startswith("sovereignty_rule") and rng.random() < 0.2:
                l = "sovereignty_rule = " + rng.choice(["true", "false"])
            if l.startswith("nonphysical_force") and rng.random() < 0.2:
                l = "nonphysical_force = " + rng.choice(["true", "false"])
            if re.match(r"^[a-z0-9_]+ = (true|false)$", l) and not l.startswith(("sovereignty", "nonphysical")) and rng.random() < 0.2:
                l = l.split(" = ")[0] + " = " + rng.choice(["true", "false"])
            lines.append(l)
        with open(os.path.join(dst, fn), "w") as f:
            f.write("\n".join(lines))
