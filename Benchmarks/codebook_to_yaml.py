#!/usr/bin/env python3
"""Convert a benchmark codebook (JSON, from ../shared/bench/gen_codebook.py) to qda's YAML
codebook format: groups technology/market/mindset, one code per JSON code.

    python3 codebook_to_yaml.py CODEBOOK.json > codebook.yaml
"""
import json
import sys


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    cb = json.load(open(sys.argv[1], encoding="utf-8"))
    groups = {}
    for code in cb["codes"]:
        group, _, key = code["name"].partition(".")
        groups.setdefault(group, []).append((key, code["keywords"]))
    out = [f"codebook: Benchmark codebook {cb['k']}", f'version: "{cb["k"]}"', "groups:"]
    for group, codes in groups.items():
        out += [f"  - key: {group}", f"    label: {group}", "    codes:"]
        for key, keywords in codes:
            out += [f"      - key: {key}", f"        label: {key}",
                    "        keywords: [" + ", ".join(quote(k) for k in keywords) + "]"]
    print("\n".join(out))


if __name__ == "__main__":
    main()
