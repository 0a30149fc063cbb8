#!/usr/bin/env python3
"""Compare concord (binary given) against ref.py.

compare.py BIN decide-builtin N SEED
compare.py BIN decide-random SETS PER_SET SEED
compare.py BIN rift-random COUNT SEED
compare.py BIN rift-builtin
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa
import ref  # noqa

OPT_KEYS = ["id", "rule", "adopted", "support", "block", "abstain", "reasons", "contributors", "missing"]


def run_bin(bin_, args, timeout=600):
    p = subprocess.run([bin_] + args, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def norm_decide(d):
    out = {"highest_adopted": d.get("highest_adopted", "<absent>"),
           "legal": d.get("legal", "<absent>"), "paths": d.get("paths", "<absent>")}
    opts = []
    for o in d.get("options", []):
        opts.append({k: o.get(k, "<absent>") for k in OPT_KEYS})
    out["options"] = opts
    return out


def diff(a, b, path="", out=None, tol=0.0):
    if out is None:
        out = []
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a:
                out.append(f"{path}.{k}: missing in product (ref {b[k]!r})")
            elif k not in b:
                out.append(f"{path}.{k}: extra in product ({a[k]!r})")
            else:
                diff(a[k], b[k], f"{path}.{k}", out, tol)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: product {a!r} ref {b!r}")
        else:
            for i, (x, y) in enumerate(zip(a, b)):
                diff(x, y, f"{path}[{i}]", out, tol)
    elif isinstance(a, float) or isinstance(b, float):
        if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
            out.append(f"{path}: product {a!r} ref {b!r}")
        elif abs(a - b) > tol * max(1.0, abs(b)):
            out.append(f"{path}: product {a!r} ref {b!r}")
    elif a != b or type(a) is not type(b):
        out.append(f"{path}: product {a!r} ref {b!r}")
    return out


def keyed_paths(d):
    return d


def decide_case(bin_, alliance_path, pol_dir, al, pols, vec, tmp):
    vf = os.path.join(tmp, "v.json")
    with open(vf, "w") as f:
        json.dump(vec, f)
    args = ["decide", "--assessment", vf, "--json"]
    if alliance_path:
        args += ["--alliance", alliance_path]
    if pol_dir:
        args += ["--policies", pol_dir]
    rc, out, err = run_bin(bin_, args)
    try:
        v = ref.parse_vector(vec, al)
        exp = ref.decide(al, pols, v)
    except ref.RefError as e:
        exp = None
        experr = str(e)
    if exp is None:
        if rc == 0:
            return [f"ref rejects ({experr}) but product accepts"]
        return []
    if rc != 0:
        return [f"product rc={rc}: {err.strip()[:400]}"]
    try:
        got = json.loads(out)
    except json.JSONDecodeError as e:
        return [f"stdout not one JSON document: {e}"]
    probs = diff(norm_decide(got), norm_decide(exp))
    # paths entries must have exactly the keys shown
    for p in got.get("paths", []):
        if set(p) != {"option", "attribution", "flips"}:
            probs.append(f"paths entry keys {sorted(p)}")
    return probs


def save_repro(name, files, cmd, note):
    d = os.path.join(os.environ.get("XCHECK_OUT", os.path.join(HERE, "repro")), "auto", name)
    os.makedirs(d, exist_ok=True)
    for src, dst in files:
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(d, dst), dirs_exist_ok=True)
        else:
            shutil.copy(src, os.path.join(d, dst))
    with open(os.path.join(d, "README.txt"), "w") as f:
        f.write(cmd + "\n\n" + note + "\n")
    return d


def decide_builtin(bin_, n, seed, repo):
    rng = random.Random(seed)
    ap, pp = ref.default_paths(repo)
    al = ref.load_alliance(ap)
    pols = ref.load_policies(pp, al)
    bad = 0
    tmp = tempfile.mkdtemp()
    first = {}
    for i in range(n):
        vec = gen.gen_vector(rng, al["codes"])
        # built-in set: also test explicit files in some cases
        explicit = (i % 10 == 0)
        probs = decide_case(bin_, ap if explicit else None, pp if explicit else None, al, pols, vec, tmp)
        if probs:
            bad += 1
            key = probs[0].split(":")[0]
            if key not in first:
                first[key] = (vec, probs)
                d = save_repro(f"decide-builtin-{seed}-{i}", [(os.path.join(tmp, "v.json"), "v.json")],
                               f"concord decide --assessment v.json --json", "\n".join(probs[:20]))
                print(f"  case {i}: {len(probs)} diffs, repro {d}\n    " + "\n    ".join(probs[:8]))
    print(f"decide-builtin: {n} vectors, {bad} with differences")
    return bad


def decide_random(bin_, sets, per, seed):
    rng = random.Random(seed)
    tmp = tempfile.mkdtemp()
    ap = os.path.join(tmp, "alliance.toml")
    pd = os.path.join(tmp, "pol")
    bad = 0
    total = 0
    first = {}
    for s in range(sets):
        a = gen.gen_alliance(rng)
        gen.write_alliance(a, ap)
        gen.gen_policy_set(rng, a, pd)
        al = ref.load_alliance(ap)
        pols = ref.load_policies(pd, al)
        rc, out, err = run_bin(bin_, ["policy", "check", pd, "--json", "--alliance", ap])
        if rc != 0:
            print(f"  set {s}: product policy check rejects a set the ref accepts: {err.strip()[:300]} {out[:300]}")
            save_repro(f"policy-reject-{seed}-{s}", [(ap, "alliance.toml"), (pd, "pol")],
                       "concord policy check pol --json --alliance alliance.toml", out + err)
            bad += 1
            continue
        for i in range(per):
            vec = gen.gen_vector(rng, al["codes"] + ["ZZZ"] if rng.random() < 0.05 else al["codes"])
            total += 1
            probs = decide_case(bin_, ap, pd, al, pols, vec, tmp)
            if probs:
                bad += 1
                key = probs[0].split(":")[0].split("[")[0] + str(len(first))  # save a few
                if len(first) < 15:
                    first[key] = 1
                    d = save_repro(f"decide-random-{seed}-{s}-{i}",
                                   [(ap, "alliance.toml"), (pd, "pol"), (os.path.join(tmp, "v.json"), "v.json")],
                                   "concord decide --assessment v.json --json --alliance alliance.toml --policies pol",
                                   "\n".join(probs[:30]))
                    print(f"  set {s} case {i}: {len(probs)} diffs, repro {d}\n    " + "\n    ".join(probs[:6]))
    print(f"decide-random: {sets} policy sets, {total} vectors, {bad} with differences")
    return bad


RIFT_STATS = {}
NUM = {"compared": 0, "with_last_bit_diffs": 0, "outside_0_1": []}


def num_report():
    print(f"  numerics: {NUM['compared']} rift documents, {NUM['with_last_bit_diffs']} with last-bit differences from the "
          f"correctly rounded sums; {len(NUM['outside_0_1'])} fractions outside [0, 1]"
          + (": " + "; ".join(NUM["outside_0_1"][:5]) if NUM["outside_0_1"] else ""))


def rift_stats(doc):
    for o in doc["options"]:
        for k in ["rift_index", "veto_index", "adopted_share", "victim_unmet"]:
            if o[k]:
                RIFT_STATS[k] = RIFT_STATS.get(k, 0) + 1
        for k in ["blocked_by", "missing_share", "pivotal"]:
            for kk in o[k]:
                key = k + "." + (kk if k != "pivotal" else "*")
                RIFT_STATS[key] = RIFT_STATS.get(key, 0) + 1
    for r, c in doc["ceiling"].items():
        for a, v in c.items():
            RIFT_STATS["ceiling=" + str(v)] = RIFT_STATS.get("ceiling=" + str(v), 0) + 1


def rift_compare(bin_, ap, pd, prior, name):
    args = ["rift", "--json"]
    if ap:
        args += ["--alliance", ap]
    if pd:
        args += ["--policies", pd]
    if prior:
        args += ["--prior", prior]
    rc, out, err = run_bin(bin_, args, timeout=3000)
    al = ref.load_alliance(ap or ref.default_paths(REPO)[0])
    pols = ref.load_policies(pd or ref.default_paths(REPO)[1], al)
    pr = ref.load_prior(prior, al) if prior else None
    exp = ref.rift(al, pols, pr)
    rift_stats(exp)
    if rc != 0:
        return [f"product rc={rc}: {err.strip()[:400]}"]
    try:
        got = json.loads(out)
    except json.JSONDecodeError as e:
        return [f"stdout not one JSON document: {e}"]
    g = {k: got.get(k, "<absent>") for k in ["cells", "rift_index", "veto_index", "ceiling"]}
    g["options"] = [{k: o.get(k, "<absent>") for k in ["id", "rift_index", "veto_index", "adopted_share",
                                                          "victim_unmet", "blocked_by", "missing_share", "pivotal"]}
                    for o in got.get("options", [])]
    probs = diff(g, exp, tol=1e-12)
    # exact double comparison (informational): ref sums with math.fsum (correctly rounded)
    exact = diff(g, exp, tol=0.0)
    if not probs and exact:
        print(f"  {name}: equal within 1e-12 but {len(exact)} values differ in the last bits, e.g. {exact[0]}")
    NUM["compared"] += 1
    if exact:
        NUM["with_last_bit_diffs"] += 1
    for o in g["options"]:
        for k in ["rift_index", "veto_index", "adopted_share", "victim_unmet"]:
            x = o.get(k)
            if isinstance(x, float) and not (0.0 <= x <= 1.0):
                NUM["outside_0_1"].append(f"{name} {o['id']}.{k} = {x!r}")
        for k in ["blocked_by", "missing_share"]:
            for kk, x in (o.get(k) or {}).items():
                if isinstance(x, float) and not (0.0 <= x <= 1.0):
                    NUM["outside_0_1"].append(f"{name} {o['id']}.{k}.{kk} = {x!r}")
    return probs


REPO = os.environ.get("CONCORD_REPO", os.path.dirname(os.path.dirname(HERE)))


def rift_random(bin_, count, seed):
    rng = random.Random(seed)
    bad = 0
    for c in range(count):
        tmp = tempfile.mkdtemp()
        ap = os.path.join(tmp, "alliance.toml")
        pd = os.path.join(tmp, "pol")
        a = gen.gen_alliance(rng, n=rng.randint(3, 12))
        gen.write_alliance(a, ap)
        gen.gen_policy_set(rng, a, pd)
        prior = None
        if c % 2 == 1:
            prior = os.path.join(tmp, "prior.toml")
            random_prior(rng, [m[0] for m in a["members"]], prior)
        probs = rift_compare(bin_, ap, pd, prior, f"rift-random-{seed}-{c}")
        if probs:
            bad += 1
            files = [(ap, "alliance.toml"), (pd, "pol")] + ([(prior, "prior.toml")] if prior else [])
            d = save_repro(f"rift-random-{seed}-{c}", files,
                           "concord rift --json --alliance alliance.toml --policies pol" + (" --prior prior.toml" if prior else ""),
                           "\n".join(probs[:40]))
            print(f"  rift case {c} ({len(a['members'])} members): {len(probs)} diffs, repro {d}\n    " + "\n    ".join(probs[:8]))
        shutil.rmtree(tmp)
    print(f"rift-random: {count} alliances, {bad} with differences")
    print("  coverage (options with a non-zero figure / key present):", json.dumps(RIFT_STATS, sort_keys=True))
    num_report()
    return bad


def decide_mut(bin_, sets, per, seed, repo):
    rng = random.Random(seed)
    ap, pp = ref.default_paths(repo)
    al = ref.load_alliance(ap)
    tmp = tempfile.mkdtemp()
    pd = os.path.join(tmp, "pol")
    bad = total = 0
    saved = 0
    for s in range(sets):
        gen.mutate_builtin(rng, pp, pd)
        pols = ref.load_policies(pd, al)
        for i in range(per):
            vec = gen.gen_vector(rng, al["codes"])
            total += 1
            probs = decide_case(bin_, ap, pd, al, pols, vec, tmp)
            if probs:
                bad += 1
                if saved < 10:
                    saved += 1
                    d = save_repro(f"decide-mut-{seed}-{s}-{i}", [(pd, "pol"), (os.path.join(tmp, "v.json"), "v.json")],
                                   "concord decide --assessment v.json --json --policies pol", "\n".join(probs[:30]))
                    print(f"  set {s} case {i}: {len(probs)} diffs, repro {d}\n    " + "\n    ".join(probs[:6]))
    print(f"decide-mutated-builtin: {sets} policy sets, {total} vectors, {bad} with differences")
    return bad


def decide_legal(bin_):
    """Exhaustive legal class table: 8 doctrines (and one member without file, one with an
    empty doctrine) x severity x effects x sector sets x actor/attribution (must not matter)."""
    tmp = tempfile.mkdtemp()
    ap = os.path.join(tmp, "alliance.toml")
    pd = os.path.join(tmp, "pol")
    os.makedirs(pd)
    codes = ["DAA", "DAB", "DBA", "DBB", "DCA", "DCB", "DDA", "DDB", "NOF", "EMP"]
    lines = ['name = "Doctrines"']
    for i, c in enumerate(codes):
        lines += ["[[member]]", f'code = "{c}"', f'name = "{c}"', f"lat = {i}.0", "lon = 0.0"]
    lines += ["[[rung]]", 'id = "share"', 'option = "s"', 'rule = "any"']
    with open(ap, "w") as f:
        f.write("\n".join(lines) + "\n")
    i = 0
    for sr in (True, False):
        for th in ref.THRESHOLDS:
            for npf in (True, False):
                c = codes[i]
                i += 1
                with open(os.path.join(pd, c + ".toml"), "w") as f:
                    f.write(f'member = "{c}"\n[doctrine]\nsovereignty_rule = {str(sr).lower()}\n'
                            f'sovereignty_threshold = "{th}"\nnonphysical_force = {str(npf).lower()}\n')
    with open(os.path.join(pd, "EMP.toml"), "w") as f:
        f.write('member = "EMP"\n[doctrine]\n')
    al = ref.load_alliance(ap)
    pols = ref.load_policies(pd, al)
    bad = total = 0
    rng = random.Random(5)
    for sev in ref.SEVERITY:
        for eff in ref.EFFECTS:
            for secs in ([], ["elections"], ["government"], ["elections", "government"], ["energy", "other"]):
                vec = {"severity": sev, "effects": eff, "sectors": secs, "attribution": rng.choice(ref.ATTRIBUTION),
                       "actor": rng.choice(ref.ACTOR), "victims": []}
                total += 1
                probs = decide_case(bin_, ap, pd, al, pols, vec, tmp)
                if probs:
                    bad += 1
                    if bad <= 5:
                        d = save_repro(f"decide-legal-{total}", [(ap, "alliance.toml"), (pd, "pol"), (os.path.join(tmp, "v.json"), "v.json")],
                                       "concord decide --assessment v.json --json --alliance alliance.toml --policies pol", "\n".join(probs))
                        print(f"  legal case {vec}: {probs[:4]} repro {d}")
    print(f"decide-legal: {total} vectors x 10 doctrines, {bad} with differences")


def rift_victims(bin_, count, seed):
    """Victim sets laid bare: one rung per member, supported only by that member when it is
    affected, so adopted_share of rung X is the share of cells where X is a victim. Coordinates
    with exact and symmetric ties (same point, mirror images across the victim), antipodes and poles."""
    rng = random.Random(seed)
    bad = 0
    for c in range(count):
        tmp = tempfile.mkdtemp()
        ap = os.path.join(tmp, "alliance.toml")
        pd = os.path.join(tmp, "pol")
        os.makedirs(pd)
        n = rng.randint(4, 12)
        used = set()
        codes = [gen.rand_code(rng, used) for _ in range(n)]
        pts = []
        base = (rng.choice([0.0, 10.0, -30.0, 45.5]), rng.choice([0.0, 20.0, -100.0, 179.0]))
        for i in range(n):
            k = rng.random()
            if i == 0 or k < 0.2:
                pts.append(base)
            elif k < 0.5:  # mirror images around base
                d = rng.choice([1.0, 2.5, 10.0])
                pts.append(rng.choice([(base[0] + d, base[1]), (base[0] - d, base[1]), (base[0], base[1] + d), (base[0], base[1] - d)]))
            elif k < 0.6:
                pts.append(rng.choice([(90.0, 0.0), (-90.0, 0.0), (90.0, 45.0), (-base[0], base[1] - 180.0 if base[1] > 0 else base[1] + 180.0)]))
            elif k < 0.75 and pts:
                pts.append(rng.choice(pts))
            else:
                pts.append((round(rng.uniform(-89, 89), 3), round(rng.uniform(-179, 179), 3)))
        lines = ['name = "Victims"']
        for cd, (la, lo) in zip(codes, pts):
            lo = max(-180.0, min(180.0, lo))
            lines += ["[[member]]", f'code = "{cd}"', f'name = "{cd}"', f"lat = {la!r}", f"lon = {lo!r}"]
        for cd in codes:
            lines += ["[[rung]]", f'id = "r_{cd.lower()}"', 'option = "o"', 'rule = "any"']
        with open(ap, "w") as f:
            f.write("\n".join(lines) + "\n")
        for cd in codes:
            with open(os.path.join(pd, cd + ".toml"), "w") as f:
                f.write(f'member = "{cd}"\n[stance.r_{cd.lower()}]\nsupport = "affected_self"\n')
        probs = rift_compare(bin_, ap, pd, None, f"rift-victims-{seed}-{c}")
        if probs:
            bad += 1
            d = save_repro(f"rift-victims-{seed}-{c}", [(ap, "alliance.toml"), (pd, "pol")],
                           "concord rift --json --alliance alliance.toml --policies pol", "\n".join(probs[:40]))
            print(f"  rift-victims case {c}: {len(probs)} diffs, repro {d}\n    " + "\n    ".join(probs[:6]))
        shutil.rmtree(tmp)
    print(f"rift-victims: {count} alliances with tied/symmetric capitals, {bad} with differences")


def random_prior(rng, codes, path):
    lines = []
    for dim, levels in [("severity", ref.SEVERITY), ("attribution", ref.ATTRIBUTION), ("actor", ref.ACTOR),
                        ("effects", ref.EFFECTS), ("sector", ref.SECTOR), ("victim", codes),
                        ("members_affected", ["1", "3", "10"])]:
        if rng.random() < 0.6:
            lines.append(f"[weights.{dim}]")
            for lv in rng.sample(levels, rng.randint(1, len(levels))):
                w = rng.choice([0.5, 2, 3, 0.1, 1.5, 7, 0.25, 0])
                key = f'"{lv}"' if dim == "members_affected" else lv
                lines.append(f"{key} = {w}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def rift_mut(bin_, count, seed, repo):
    rng = random.Random(seed)
    ap, pp = ref.default_paths(repo)
    al = ref.load_alliance(ap)
    bad = 0
    for c in range(count):
        tmp = tempfile.mkdtemp()
        pd = os.path.join(tmp, "pol")
        gen.mutate_builtin(rng, pp, pd)
        prior = None
        if c % 2 == 1:
            prior = os.path.join(tmp, "prior.toml")
            random_prior(rng, al["codes"], prior)
        probs = rift_compare(bin_, ap, pd, prior, f"rift-mut-{seed}-{c}")
        if probs:
            bad += 1
            files = [(pd, "pol")] + ([(prior, "prior.toml")] if prior else [])
            d = save_repro(f"rift-mut-{seed}-{c}", files,
                           "concord rift --json --policies pol" + (" --prior prior.toml" if prior else ""),
                           "\n".join(probs[:40]))
            print(f"  rift-mut case {c}: {len(probs)} diffs, repro {d}\n    " + "\n    ".join(probs[:8]))
        shutil.rmtree(tmp)
    print(f"rift-mutated-builtin (NATO-32, 552,960 cells each): {count} policy sets, {bad} with differences")
    print("  coverage:", json.dumps(RIFT_STATS, sort_keys=True))
    num_report()
    return bad


def main():
    bin_ = sys.argv[1]
    cmd = sys.argv[2]
    if cmd == "decide-builtin":
        decide_builtin(bin_, int(sys.argv[3]), int(sys.argv[4]), REPO)
    elif cmd == "decide-random":
        decide_random(bin_, int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif cmd == "rift-random":
        rift_random(bin_, int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "rift-victims":
        rift_victims(bin_, int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "decide-legal":
        decide_legal(bin_)
    elif cmd == "decide-mut":
        decide_mut(bin_, int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), REPO)
    elif cmd == "rift-mut":
        rift_mut(bin_, int(sys.argv[3]), int(sys.argv[4]), REPO)
    elif cmd == "rift-builtin":
        prior = sys.argv[3] if len(sys.argv) > 3 else None
        probs = rift_compare(bin_, None, None, prior, "rift-builtin")
        print(f"rift-builtin{' prior ' + prior if prior else ''}: {len(probs)} differences")
        for p in probs[:40]:
            print("   ", p)


if __name__ == "__main__":
    main()
