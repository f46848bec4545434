#!/usr/bin/env python3
"""Paired whole-process comparison of qda with its peers, as Benchmarks/run.sh calls it.

For each cell the commands run alternately (one warm-up round first), so that a noisy,
shared machine slows every tool alike; it prints the median wall time, CPU time and peak
RSS of each, and the median of the per-round ratios peer / qda. Peak RSS comes from
wait4(), as /usr/bin/time -v reports it.

    python3 compare.py --runs 5 --label "100MB x 1000" --check OURS.tsv PEER.tsv \
        --cmd qda-bench -- CMD... --cmd pyahocorasick -- CMD...
"""
import argparse
import os
import statistics
import subprocess
import sys
import time


def run_once(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code:
        sys.exit(f"command failed ({code}): {' '.join(cmd)}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0


def parse(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--label", default="")
    ap.add_argument("--mb", type=float, default=0.0, help="input size in MB, for MB/s")
    ap.add_argument("--check", nargs=2, metavar=("A", "B"), help="two output files that must be identical")
    split = argv.index("--cmd") if "--cmd" in argv else len(argv)
    args = ap.parse_args(argv[:split])
    commands, current = [], None
    for token in argv[split:]:
        if token == "--cmd":
            current = [None, []]
            commands.append(current)
        elif current is not None and current[0] is None:
            current[0] = token
        elif token == "--" and current is not None and not current[1]:
            continue
        elif current is not None:
            current[1].append(token)
    return args, commands


def main():
    args, commands = parse(sys.argv[1:])
    if len(commands) < 2:
        sys.exit("give at least two --cmd NAME -- COMMAND")
    for _, cmd in commands:  # warm-up, and the outputs for --check
        run_once(cmd)
    if args.check:
        a, b = (open(f, "rb").read() for f in args.check)
        verdict = "identical" if a == b else "DIFFERENT"
        print(f"{args.label}: outputs {verdict} ({args.check[0]} vs {args.check[1]})")
        if a != b:
            sys.exit(1)
    results = {name: [] for name, _ in commands}
    for _ in range(args.runs):
        for name, cmd in commands:
            results[name].append(run_once(cmd))
    ours = commands[0][0]
    print(f"| {args.label} | tool | wall s (median) | MB/s | cpu s | peak MiB | ratio to {ours} |")
    print("|---|---|---|---|---|---|---|")
    for name, _ in commands:
        walls = [r[0] for r in results[name]]
        ratios = [w / o[0] for w, o in zip(walls, results[ours])]
        wall = statistics.median(walls)
        mbs = f"{args.mb / wall:.0f}" if args.mb else ""
        print(f"| | {name} | {wall:.3f} | {mbs} | {statistics.median(r[1] for r in results[name]):.3f} "
              f"| {max(r[2] for r in results[name]):.0f} | {statistics.median(ratios):.2f} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
