#!/usr/bin/env python3
"""A team server under load (issue 26): N coders, each signed in with their own account,
coding different and shared documents at once, on loopback, for a bounded time.

    python3 Benchmarks/team_load.py QDA PROJECT [--coders 20] [--seconds 300]

PROJECT is used as it is (work on a copy: server.sh makes one). The script adds the
accounts (cost-12 bcrypt, as in production), starts `qda serve --team --port 0`, and runs
one thread per coder: sign in, then repeatedly code a random span of a document (half the
coders share ten documents, the others each have their own), and unmark one of their own
codings every third action, until the time is up. It checks that no request failed with a
5xx or "database is locked", that the project holds exactly the codings the clients were
told were stored and not removed (nothing lost, nothing duplicated), and prints p50/p95/p99
per action.
"""
import argparse
import http.cookiejar
import json
import random
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


class Coder(threading.Thread):
    def __init__(self, name, base, documents, deadline, seed):
        super().__init__()
        self.name_, self.base, self.documents, self.deadline = name, base, documents, deadline
        self.rng = random.Random(seed)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = ""
        self.times = {"sign in": [], "code": [], "unmark": []}
        self.kept = set()      # coding ids the server said it stored and that were not unmarked
        self.failures = []
        self.texts = {}

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers={
            "Content-Type": "application/json", "X-CSRF-Token": self.csrf})
        started = time.perf_counter()
        try:
            response = self.opener.open(request, timeout=60)
            status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        elapsed = (time.perf_counter() - started) * 1e3
        if status >= 500 or b"locked" in raw:
            self.failures.append(f"{method} {path}: {status} {raw[:200]!r}")
        return status, (json.loads(raw) if raw else None), elapsed

    def text(self, document):
        if document not in self.texts:
            _, body, _ = self.call("GET", f"/api/documents/{document}")
            self.texts[document] = body
        return self.texts[document]

    def run(self):
        status, body, elapsed = self.call("POST", "/api/session", {"user": self.name_, "password": "load test password"})
        self.times["sign in"].append(elapsed)
        if status != 200:
            self.failures.append(f"sign in: {status}")
            return
        self.csrf = body["csrf"]
        actions = 0
        while time.time() < self.deadline:
            document = self.rng.choice(self.documents)
            body = self.text(document)
            segments = [s for s in body["segments"] if s["end"] - s["start"] > 12]
            if not segments:
                continue
            segment = self.rng.choice(segments)
            start = self.rng.randrange(segment["start"], segment["end"] - 10)
            status, answer, elapsed = self.call("POST", "/api/codings", {
                "document_id": document, "start": start, "end": start + 8,
                "text": body["text"][start:start + 8], "code": self.rng.choice(CODES)})
            if status == 201:
                self.times["code"].append(elapsed)
                self.kept.update(answer["ids"])
            elif status != 409:
                self.failures.append(f"code: {status} {answer}")
            actions += 1
            if actions % 3 == 0 and self.kept:
                coding = self.rng.choice(sorted(self.kept))
                status, _, elapsed = self.call("DELETE", f"/api/codings/{coding}")
                if status == 204:
                    self.times["unmark"].append(elapsed)
                    self.kept.discard(coding)
                else:
                    self.failures.append(f"unmark #{coding}: {status}")


CODES = []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("qda")
    parser.add_argument("project")
    parser.add_argument("--coders", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=300)
    args = parser.parse_args()
    names = [f"coder{i:02d}" for i in range(args.coders)]
    subprocess.run([args.qda, "user", "add", "lead", "--role", "admin", "--password-stdin", "--project",
                    args.project], input="load test password\n", text=True, check=True, stderr=subprocess.DEVNULL)
    for name in names:
        subprocess.run([args.qda, "user", "add", name, "--role", "coder", "--password-stdin", "--project",
                        args.project], input="load test password\n", text=True, check=True,
                       stderr=subprocess.DEVNULL)
    server = subprocess.Popen([args.qda, "serve", "--team", "--port", "0", "--project", args.project],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base = server.stdout.readline().strip()[:-len("/login")]
        db = sqlite3.connect(args.project)
        ids = [row[0] for row in db.execute(
            "SELECT id FROM document WHERE kind = 'interview' ORDER BY length DESC LIMIT 400")]
        CODES.extend(row[0] for row in db.execute("SELECT key FROM code WHERE depth > 0 AND active = 1"))
        db.close()
        rng = random.Random(26)
        shared = ids[:10]
        own = ids[10:]
        deadline = time.time() + args.seconds
        coders = []
        for i, name in enumerate(names):
            documents = shared if i % 2 == 0 else own[i * 10:(i + 1) * 10] or shared
            coders.append(Coder(name, base, documents, deadline, rng.random()))
        started = time.time()
        for coder in coders:
            coder.start()
        for coder in coders:
            coder.join()
        elapsed = time.time() - started
        failures = [f for c in coders for f in c.failures]
        told = {i for c in coders for i in c.kept}
        db = sqlite3.connect(args.project)
        stored = [row[0] for row in db.execute(
            f"SELECT id FROM coding WHERE coder IN ({','.join('?' * len(names))})", names)]
        db.close()
        duplicates = len(stored) - len(set(stored))
        print(f"{args.coders} coders for {elapsed:.0f} s on loopback: "
              f"{sum(len(c.times['code']) for c in coders):,} codings made, "
              f"{sum(len(c.times['unmark']) for c in coders):,} unmarked")
        print(f"5xx or 'database is locked': {len(failures)}" + (f" (first: {failures[0]})" if failures else ""))
        print(f"codings the clients were told are stored: {len(told):,}; in the project: {len(set(stored)):,}; "
              f"lost: {len(told - set(stored))}; unexpected: {len(set(stored) - told)}; duplicated ids: {duplicates}")
        print("| action | n | p50 ms | p95 ms | p99 ms |")
        print("|---|---:|---:|---:|---:|")
        for action in ["sign in", "code", "unmark"]:
            values = [t for c in coders for t in c.times[action]]
            print(f"| {action} | {len(values):,} | {percentile(values, 50):.1f} | {percentile(values, 95):.1f} | "
                  f"{percentile(values, 99):.1f} |")
        return 1 if failures or told != set(stored) or duplicates else 0
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    raise SystemExit(main())
