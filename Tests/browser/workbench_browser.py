#!/usr/bin/env python3
"""The workbench server in a real browser (headless Chromium through Selenium).

    python3 Tests/browser/workbench_browser.py QDA_BINARY [SCREENSHOT_DIR]

Builds a project from the bundled codebook and an interview with Chinese and emoji, starts
`qda serve --port 0`, and checks what a user meets: the launch address logs in and loses its
token, the documents page lists the documents, the reader shows the Chinese and the emoji as
stored, the page runs no inline script (no CSP violation in the console), the session cookie
is HttpOnly, a second browser without the token is refused, and a coding made through the API
appears in the reader. Saves screenshots of both pages. Exit status 1 names each failure.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INTERVIEW = """---
region: Guangdong
---
Q: What helps firms here?

A: Demand from abroad is strong. 我们的研发很强 🚀 and the university helps.

Q: And the market at home?

A: 国内市场需求很大，but competition is hard 😅.
"""

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def browser(width=1200, height=900):
    options = Options()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},{height}"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def main():
    qda = os.path.abspath(sys.argv[1])
    shots = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "docs", "screenshots")
    os.makedirs(shots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="qda-browser-")
    os.makedirs(os.path.join(work, "corpus"))
    with open(os.path.join(work, "corpus", "gd-interview.txt"), "w", encoding="utf-8") as f:
        f.write(INTERVIEW)
    project = os.path.join(work, "p.sqlite")
    subprocess.run(
        [qda, "analyze", os.path.join(work, "corpus"), os.path.join(ROOT, "corpus", "beijing"),
         "--codebook", os.path.join(ROOT, "codebooks", "china-regional-innovation.yaml"),
         "--project", project, "--quiet"], check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen([qda, "serve", "--port", "0", "--coder", "ann", "--project", project],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    driver = other = None
    try:
        url = server.stdout.readline().strip()
        check(url.startswith("http://127.0.0.1:") and "?token=" in url, f"first line is the address: {url[:40]}…")
        base, token = url.split("/?token=")
        driver = browser()
        driver.get(url)
        check(driver.current_url == base + "/", "the token is exchanged and leaves the address")
        check(driver.title == "Documents", f"the documents page opens ({driver.title})")
        names = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "table a")]
        check("corpus/gd-interview.txt" in names and len(names) >= 5, f"the documents are listed ({len(names)})")
        cookie = driver.get_cookie("qda_session")
        check(cookie is not None and cookie.get("httpOnly") and cookie.get("sameSite") == "Strict",
              "the session cookie is HttpOnly and SameSite=Strict")
        driver.save_screenshot(os.path.join(shots, "documents.png"))

        # A coding through the API, as a script would make it, then the reader.
        request = urllib.request.Request(base + "/api/documents", headers={"Authorization": "Bearer " + token})
        documents = json.load(urllib.request.urlopen(request))
        document = next(d for d in documents if d["name"] == "corpus/gd-interview.txt")
        request = urllib.request.Request(base + f"/api/documents/{document['id']}",
                                         headers={"Authorization": "Bearer " + token})
        text = json.load(urllib.request.urlopen(request))["text"]
        passage = "我们的研发很强 🚀"
        start = text.index(passage)  # Python indexes code points, as the API counts
        body = json.dumps({"document_id": document["id"], "start": start, "end": start + len(passage),
                           "text": passage, "code": "technology.competence", "valence": 1}).encode()
        request = urllib.request.Request(base + "/api/codings", data=body, method="POST", headers={
            "Authorization": "Bearer " + token, "Content-Type": "application/json"})
        try:
            status = urllib.request.urlopen(request).status
        except urllib.error.HTTPError as error:
            status = error.code
            print(error.read().decode())
        check(status == 201, f"a coding of Chinese and an emoji is stored ({status})")

        driver.find_element(By.LINK_TEXT, "corpus/gd-interview.txt").click()
        page = driver.find_element(By.TAG_NAME, "main").text
        check("我们的研发很强 🚀" in page and "😅" in page, "the reader shows the Chinese and the emoji as stored")
        check("technology.competence ann" in page, "the reader lists the new coding under its segment")
        driver.save_screenshot(os.path.join(shots, "reader.png"))
        violations = [entry["message"] for entry in driver.get_log("browser")
                      if "Content Security Policy" in entry["message"] or entry["level"] == "SEVERE"]
        check(not violations, f"no console errors or CSP violations {violations[:2]}")

        other = browser()
        other.get(base + "/")
        check("Open the address qda serve printed" in other.page_source, "a browser without the token is refused")
    finally:
        for d in (driver, other):
            if d:
                d.quit()
        server.send_signal(signal.SIGINT)
        code = server.wait(timeout=20)
        check(code == 0, f"SIGINT stops the server with status 0 ({code})")
    print(f"screenshots in {shots}")
    if failures:
        print(f"{len(failures)} browser check(s) failed", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
