#!/usr/bin/env python3
"""The peer for the QCA minimisation benchmark: sympy's SOPform (Quine-McCluskey).

    qca_peer_sympy.py table.json

Prints the complex (no don't-cares) and parsimonious (remainders as don't-cares)
sum-of-products sympy finds. sympy returns one cover; qda lists every minimal one.
"""
import json
import sys

from sympy import symbols
from sympy.logic import SOPform

table = json.load(open(sys.argv[1]))
k = table["conditions"]
names = symbols(" ".join(f"C{j}" for j in range(k)))
def minterm(c):
    return [(c >> (k - 1 - j)) & 1 for j in range(k)]
positive = [minterm(c) for c in table["positive"]]
dontcare = [minterm(c) for c in table["dontcare"]]
print("complex", SOPform(names, positive))
print("parsimonious", SOPform(names, positive, dontcare))
