#!/usr/bin/env python3
"""A random crisp truth table for the QCA minimisation benchmark.

    qca_table.py K CASES SEED > table.json

CASES cases get random configurations of K conditions; the outcome follows a planted
rule (A*B + ~C*D, on the first four conditions) with 10 % of the cases flipped. Rows
whose cases mostly show the outcome are positive, the unobserved configurations are
remainders (don't-cares for the parsimonious solution).
"""
import json
import random
import sys

k, cases, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
rows = {}
for _ in range(cases):
    configuration = rng.getrandbits(k)
    bit = lambda j: (configuration >> (k - 1 - j)) & 1
    outcome = (bit(0) and bit(1)) or (not bit(2) and bit(3))
    if rng.random() < 0.1:
        outcome = not outcome
    rows.setdefault(configuration, []).append(1 if outcome else 0)
positive = sorted(c for c, ys in rows.items() if sum(ys) / len(ys) >= 0.8)
observed = set(rows)
dontcare = [c for c in range(1 << k) if c not in observed]
json.dump({"conditions": k, "positive": positive, "negative": sorted(observed - set(positive)),
           "dontcare": dontcare}, sys.stdout)
