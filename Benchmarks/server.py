#!/usr/bin/env python3
"""The workbench server under a scripted session (issue 25), against the command line on
the same project in the same run.

    python3 Benchmarks/server.py QDA PROJECT [--actions 300] [--rounds 5]

PROJECT is a benchmark project (e.g. the 100 MB corpus ingested, coded with the
1,000-keyword codebook: Benchmarks/server.sh builds it). The script starts
`qda serve --port 0 --coder bench`, then measures:

1. coding actions as a person makes them — code a span (POST /api/codings), unmark it
   (DELETE), accept or reject an automatic coding (POST /api/codings/{id}/review) — each
   timed on the server (its Server-Timing header) and round trip, p50/p95 per kind;
   peer: `qda code add` on the same project, a whole process per action (what a script
   or a person at the terminal pays);
2. opening the largest transcript to a complete page in headless Chromium (the reader's
   highlights laid out: `data-ready-at` is set when the last coding is drawn), and the
   server's time for the page and its JSON;
3. the pattern view after a manual coding (POST a coding, then GET /api/report/patterns);
   peer: `qda code add` then `qda report patterns`, the command line's way, timed apart.

The server's codings (coder `bench`) are removed at the end; the command line's
(`bench-cli`) and the reviews stay: use a copy of the project (server.sh makes one).
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request


def percentile(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


class Client:
    def __init__(self, base, token):
        self.base, self.token = base, token

    def call(self, method, path, body=None):
        """(status, parsed body, server ms, round-trip ms)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers={
            "Authorization": "Bearer " + self.token, "Content-Type": "application/json"})
        started = time.perf_counter()
        try:
            response = urllib.request.urlopen(request)
            status, raw, headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, headers = error.code, error.read(), error.headers
        trip = (time.perf_counter() - started) * 1e3
        server = float(headers.get("Server-Timing", "app;dur=nan").split("dur=")[1])
        parsed = json.loads(raw) if raw and headers.get("Content-Type", "").startswith("application/json") else raw
        return status, parsed, server, trip


def code_point_slice(text, start, end):
    return text[start:end]  # Python strings index code points, as the API counts


def spans(client, documents, count, rng):
    """`count` spans (document, start, end, text) of one word inside a speaker turn."""
    out = []
    while len(out) < count:
        document = rng.choice(documents)
        _, body, _, _ = client.call("GET", f"/api/documents/{document['id']}")
        text = body["text"]
        segments = [s for s in body["segments"] if s["end"] - s["start"] > 20]
        for segment in rng.sample(segments, min(5, len(segments))):
            start = rng.randrange(segment["start"], segment["end"] - 10)
            out.append((document["id"], start, start + 8, code_point_slice(text, start, start + 8), document["name"]))
    return out[:count]


def cli_seconds(command):
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def open_in_browser(base, token, document_id, rounds):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait
    options = Options()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,900"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    times = []
    try:
        driver.get(f"{base}/?token={token}")
        for _ in range(rounds + 1):
            driver.get(f"{base}/documents/{document_id}")
            WebDriverWait(driver, 60).until(
                lambda d: d.find_element(By.ID, "reader").get_attribute("data-ready") == "true")
            reader = driver.find_element(By.ID, "reader")
            times.append((float(reader.get_attribute("data-ready-at")), float(reader.get_attribute("data-fetched-at"))))
    finally:
        driver.quit()
    return times[1:]  # the first opening warms the browser's cache of scripts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("qda")
    parser.add_argument("project")
    parser.add_argument("--actions", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cli-rounds", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(25)
    server = subprocess.Popen([args.qda, "serve", "--port", "0", "--coder", "bench", "--project", args.project],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = server.stdout.readline().strip()
        base, token = url.split("/?token=")
        client = Client(base, token)
        _, documents, _, _ = client.call("GET", "/api/documents")
        _, codes, _, _ = client.call("GET", "/api/codes")
        leaves = [c["key"] for c in codes if c["depth"] > 0]
        interviews = [d for d in documents if d["kind"] == "interview"] or documents
        largest = max(interviews, key=lambda d: d["length"])
        _, patterns, _, _ = client.call("GET", "/api/report/patterns")  # the cache, as a warm server has it
        print(f"project: {len(documents):,} documents; largest transcript {largest['name']}, "
              f"{largest['length']:,} code points, {largest['codings']:,} codings")

        # 1. Coding actions.
        timings = {"code": [], "unmark": [], "review": []}
        trips = {k: [] for k in timings}
        sample = spans(client, rng.sample(interviews, min(40, len(interviews))), args.actions, rng)
        _, pending, _, _ = client.call("GET", f"/api/reviews?limit={args.actions}")
        made = []
        for i, (document_id, start, end, text, _) in enumerate(sample):
            status, body, server_ms, trip = client.call("POST", "/api/codings", {
                "document_id": document_id, "start": start, "end": end, "text": text, "code": rng.choice(leaves)})
            assert status == 201, (status, body)
            timings["code"].append(server_ms)
            trips["code"].append(trip)
            made += body["ids"]
            if i % 2 == 0 and made:
                status, _, server_ms, trip = client.call("DELETE", f"/api/codings/{made.pop()}")
                assert status == 204, status
                timings["unmark"].append(server_ms)
                trips["unmark"].append(trip)
            if i % 3 == 0 and pending:
                coding = pending.pop()
                status, body, server_ms, trip = client.call(
                    "POST", f"/api/codings/{coding['id']}/review", {"decision": rng.choice(["accept", "reject"])})
                assert status == 200, (status, body)
                timings["review"].append(server_ms)
                trips["review"].append(trip)
        print("\n## Coding actions (ms): server time (Server-Timing) and round trip over loopback")
        print("| action | n | server p50 | server p95 | round trip p50 | round trip p95 |")
        print("|---|---:|---:|---:|---:|---:|")
        for kind, values in timings.items():
            print(f"| {kind} | {len(values)} | {percentile(values, 50):.1f} | {percentile(values, 95):.1f} | "
                  f"{percentile(trips[kind], 50):.1f} | {percentile(trips[kind], 95):.1f} |")
        cli = []
        for document_id, start, end, text, name in sample[:args.cli_rounds]:
            cli.append(cli_seconds([args.qda, "code", "add", rng.choice(leaves), "--document", name, "--start",
                                    str(start), "--end", str(end), "--coder", "bench-cli", "--project",
                                    args.project, "--quiet"]) * 1e3)
        code_p50 = percentile(trips["code"], 50)
        print(f"peer: `qda code add` as a process, median {statistics.median(cli):.0f} ms over {len(cli)}; "
              f"ratio CLI / server round trip (p50) = {statistics.median(cli) / code_p50:.1f}×")

        # Lists that count: the documents (codings, coded segments, coders per document) and
        # the codebook with its counts (the picker asks without them).
        lists = {path: statistics.median(client.call("GET", path)[2] for _ in range(args.rounds))
                 for path in ["/api/documents", "/api/codes", "/api/codes?counts=1"]}
        print("\n## Lists (ms on the server, median of " + f"{args.rounds}): "
              + ", ".join(f"{path} {ms:.1f}" for path, ms in lists.items()))

        # 2. The largest transcript to a complete page.
        page_server = [client.call("GET", f"/documents/{largest['id']}")[2] for _ in range(args.rounds)]
        json_server = [client.call("GET", f"/api/documents/{largest['id']}")[2] for _ in range(args.rounds)]
        opened = open_in_browser(base, token, largest["id"], args.rounds)
        browser = [ready for ready, _ in opened]
        fetched = [fetched for _, fetched in opened]
        print("\n## Opening the largest transcript (ms, median of "
              f"{args.rounds}): page {statistics.median(page_server):.1f} + its JSON "
              f"{statistics.median(json_server):.1f} on the server; in Chromium from navigation: its data fetched "
              f"{statistics.median(fetched):.0f}, complete with highlights drawn {statistics.median(browser):.0f} "
              f"(max {max(browser):.0f})")

        # 3. The pattern view after a manual coding.
        after, after_trip, after_json, after_json_trip, cli_after = [], [], [], [], []
        for document_id, start, end, text, name in sample[:args.rounds]:
            status, body, _, _ = client.call("POST", "/api/codings", {
                "document_id": document_id, "start": start, "end": end, "text": text, "code": rng.choice(leaves)})
            made += body["ids"]
            status, _, server_ms, trip = client.call("GET", "/evidence")
            after.append(server_ms)
            after_trip.append(trip)
            made += client.call("POST", "/api/codings", {
                "document_id": document_id, "start": start, "end": end, "text": text,
                "code": rng.choice(leaves)})[1]["ids"]
            status, _, server_ms, trip = client.call("GET", "/api/report/patterns")
            after_json.append(server_ms)
            after_json_trip.append(trip)
        for document_id, start, end, text, name in sample[args.rounds:args.rounds + args.cli_rounds]:
            subprocess.run([args.qda, "code", "add", rng.choice(leaves), "--document", name, "--start", str(start),
                            "--end", str(end), "--coder", "bench-cli", "--project", args.project, "--quiet"],
                           check=True)
            cli_after.append(cli_seconds([args.qda, "report", "patterns", "--project", args.project]) * 1e3)
        print(f"\n## Pattern view after a manual coding (ms, median of {args.rounds}): the heatmap page "
              f"(/evidence) server {statistics.median(after):.1f}, round trip {statistics.median(after_trip):.1f} "
              f"(max {max(after_trip):.1f}); the full report JSON with quotes (/api/report/patterns) server "
              f"{statistics.median(after_json):.1f}, round trip {statistics.median(after_json_trip):.1f}; "
              f"peer `qda report patterns` after `qda code add`, whole process: {statistics.median(cli_after):.0f}; "
              f"ratio CLI / heatmap page = {statistics.median(cli_after) / statistics.median(after_trip):.1f}×, "
              f"CLI / report JSON = {statistics.median(cli_after) / statistics.median(after_json_trip):.1f}×")
        for coding in made:
            client.call("DELETE", f"/api/codings/{coding}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
