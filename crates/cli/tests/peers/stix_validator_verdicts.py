"""Reads the generated reference corpus (crates/stix/tests/reference/cases.json) and
prints, as JSON, the verdicts of the OASIS reference tools on it: stix2-validator in
default and strict mode (with each case's options) and stix2-patterns on each pattern."""
import copy, json, sys
from stix2validator import validate_instance, ValidationOptions
from stix2patterns.validator import run_validator

def verdict(inst, **kw):
    try:
        return bool(validate_instance(copy.deepcopy(inst), ValidationOptions(**kw)).is_valid)
    except Exception:
        return False

corpus = json.load(open(sys.argv[1]))
out = {"cases": {}, "patterns": {}}
for c in corpus["cases"]:
    o = dict(c["options"])
    out["cases"][c["name"]] = {"default": verdict(c["instance"], **o), "strict": verdict(c["instance"], strict=True, **o)}
for c in corpus["patterns"]:
    try:
        out["patterns"][c["name"]] = not run_validator(c["pattern"], "2.1")
    except Exception:
        out["patterns"][c["name"]] = False
print(json.dumps(out))
