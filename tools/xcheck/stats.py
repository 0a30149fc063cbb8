"""Coverage statistics of the random decide cases (ref side only)."""
import random, sys, os, tempfile, collections
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen, ref
def stats(sets, per, seed):
    rng = random.Random(seed); tmp = tempfile.mkdtemp()
    ap = os.path.join(tmp, "a.toml"); pd = os.path.join(tmp, "pol")
    C = collections.Counter()
    for s in range(sets):
        a = gen.gen_alliance(rng); gen.write_alliance(a, ap); gen.gen_policy_set(rng, a, pd)
        al = ref.load_alliance(ap); pols = ref.load_policies(pd, al)
        for i in range(per):
            vec = gen.gen_vector(rng, al["codes"] + ["ZZZ"] if rng.random() < 0.05 else al["codes"])
            d = ref.decide(al, pols, ref.parse_vector(vec))
            for o in d["options"]:
                C["adopted" if o["adopted"] else "not adopted"] += 1
                C["missing=" + ",".join(x.split(":")[0] for x in o["missing"])] += 1
                for m, rs in o["reasons"].items():
                    C["reasons=" + ",".join(rs)] += 1
                if o["contributors"]: C["contributors nonempty"] += 1
            for p in d["paths"]:
                C["path " + ("null" if p["attribution"] is None else "level")] += 1
                if p["flips"]: C["path flips nonempty"] += 1
            C["highest=" + str(d["highest_adopted"] is not None)] += 1
            for l in d["legal"].values(): C["legal=" + l] += 1
    for k, v in sorted(C.items()): print(f"{v:8d} {k}")
stats(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
