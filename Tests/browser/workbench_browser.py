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
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INTERVIEW = """---
region: Guangdong
---
Q: What helps firms here?

A: Demand from abroad is strong. 我们的研发很强 🚀 and the university helps.

Q: And the market at home?

A: 国内市场需求很大，but competition is hard 😅.
"""

PASSAGE = "我们的研发很强 🚀"
CONTEXT = {}
failures = []


def ready(driver, selector):
    WebDriverWait(driver, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, selector).get_attribute("data-ready") == "true")


def wait_for(condition, seconds=6):
    """Whether `condition` holds within `seconds`; a page reloading under it (a stale
    element) counts as not yet."""
    def holds(_):
        try:
            return condition()
        except Exception:
            return False
    try:
        WebDriverWait(None, seconds, poll_frequency=0.1).until(holds)
        return True
    except Exception:
        return False


def highlighted(driver):
    """The passages coded by people, as the reader shows them (auto codings hidden)."""
    box = driver.find_element(By.CSS_SELECTOR, "#tools input[name=auto]")
    if box.is_selected():
        box.click()
    return driver.execute_script(
        "return [...document.querySelectorAll('#reader .hl')].map(e => e.textContent)")


def select_text(driver, passage):
    """Selects `passage` in the reader as a user's drag would (a DOM range over its text)."""
    driver.execute_script("""
        const passage = arguments[0];
        for (const text of document.querySelectorAll('#reader .text')) {
          const nodes = [...text.querySelectorAll('span')].map(span => span.firstChild).filter(Boolean);
          const whole = nodes.map(node => node.data).join('');
          const at = whole.indexOf(passage);
          if (at < 0) continue;
          const place = (offset) => {
            for (const node of nodes) {
              if (offset <= node.data.length) return [node, offset];
              offset -= node.data.length;
            }
          };
          const range = document.createRange();
          range.setStart(...place(at));
          range.setEnd(...place(at + passage.length));
          getSelection().removeAllRanges();
          getSelection().addRange(range);
          return;
        }
        throw new Error('passage not shown');""", passage)


def code_with_picker(driver, passage, query):
    """Selects `passage`, presses c, types `query` into the picker and takes its first code."""
    select_text(driver, passage)
    ActionChains(driver).send_keys("c").perform()
    picker = WebDriverWait(driver, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, "dialog[open] input"))
    picker.send_keys(query)
    picker.send_keys(Keys.ENTER)


def focus_highlight(driver, passage):
    for element in driver.find_elements(By.CSS_SELECTOR, "#reader .hl"):
        if element.text == passage:
            driver.execute_script("arguments[0].focus()", element)
            return


def api(base, token, path):
    request = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(request))


def status_of(request):
    try:
        return urllib.request.urlopen(request).status
    except urllib.error.HTTPError as error:
        return error.code


def security_checks(base, token, session):
    """A wrong Host, a state change without the CSRF token or from another site, no token."""
    port = base.rsplit(":", 1)[1]
    request = urllib.request.Request(base + "/api/documents", headers={
        "Authorization": "Bearer " + token, "Host": f"evil.example:{port}"})
    check(status_of(request) == 421, "a request for another host name is refused (DNS rebinding)")
    body = json.dumps({"document_id": 1, "start": 0, "end": 1, "text": "x", "code": "market"}).encode()
    request = urllib.request.Request(base + "/api/codings", data=body, method="POST", headers={
        "Cookie": f"qda_session={session}", "Content-Type": "application/json"})
    check(status_of(request) == 403, "a state change with the cookie but no CSRF token is refused")
    request = urllib.request.Request(base + "/api/documents")
    check(status_of(request) == 401, "no token, no access")
    request = urllib.request.Request(base + "/static/../Package.swift")
    request.add_header("Authorization", "Bearer " + token)
    check(status_of(request) == 404, "static files do not escape their folder")


def team_checks(qda, project, shots):
    """A team server: sign in through the form, a viewer cannot code, sign out."""
    for name, role in [("ann", "admin"), ("vic", "viewer"), ("bob", "coder"), ("cid", "coder")]:
        subprocess.run([qda, "user", "add", name, "--role", role, "--password-stdin", "--project", project],
                       input=f"{name}'s long password\n", text=True, check=True, stderr=subprocess.DEVNULL)
    server = subprocess.Popen([qda, "serve", "--team", "--port", "0", "--project", project],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    driver = None
    try:
        url = server.stdout.readline().strip()
        check(url.endswith("/login") and "token" not in url, f"a team server prints its sign-in address ({url})")
        base = url[:-len("/login")]
        driver = browser()
        driver.get(base + "/")
        check(driver.current_url == url, "a page without a session leads to the sign-in page")
        form = driver.find_element(By.ID, "login")
        form.find_element(By.NAME, "user").send_keys("vic")
        form.find_element(By.NAME, "password").send_keys("not the password")
        form.find_element(By.TAG_NAME, "button").click()
        check(wait_for(lambda: "Wrong user name or password" in driver.find_element(By.ID, "status").text),
              "a wrong password is said, and nothing more")
        form.find_element(By.NAME, "password").send_keys("vic's long password")
        form.find_element(By.TAG_NAME, "button").click()
        check(wait_for(lambda: driver.title == "Documents"), "the viewer signs in")
        check(driver.find_element(By.CSS_SELECTOR, "header .user").text == "vic", "the header names the user")
        driver.save_screenshot(os.path.join(shots, "team.png"))
        driver.find_element(By.LINK_TEXT, "corpus/gd-interview.txt").click()
        ready(driver, "#reader")
        code_with_picker(driver, "国内市场需求很大", "income")
        check(wait_for(lambda: "viewer may not" in driver.find_element(By.ID, "status").text),
              "a viewer's coding is refused, and the page says why")
        driver.find_element(By.ID, "logout").click()
        check(wait_for(lambda: driver.current_url == url), "signing out leads back to the sign-in page")
        driver.get(base + "/api/documents")
        check("Sign in first" in driver.page_source, "after signing out the API answers 401")
        blind_checks(base, driver, shots)
    finally:
        if driver:
            driver.quit()
        server.send_signal(signal.SIGINT)
        check(server.wait(timeout=20) == 0, "the team server stops on SIGINT with 0")


def sign_in(driver, base, user):
    driver.get(base + "/login")
    form = driver.find_element(By.ID, "login")
    form.find_element(By.NAME, "user").send_keys(user)
    form.find_element(By.NAME, "password").send_keys(f"{user}'s long password")
    form.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(driver, 10).until(lambda d: d.title == "Documents")


def blind_checks(base, admin, shots):
    """The admin makes the transcript blind for bob and cid; bob codes it; cid does not see
    bob's coding until the admin reveals it."""
    sign_in(admin, base, "ann")
    form = admin.find_element(By.ID, "blind")
    Select(form.find_element(By.NAME, "document")).select_by_visible_text("corpus/gd-interview.txt")
    form.find_element(By.NAME, "coders").send_keys("bob, cid")
    form.find_element(By.NAME, "assign").click()
    check(wait_for(lambda: "corpus/gd-interview.txt: bob, cid — blind" in
                   admin.find_element(By.ID, "assignments").text), "the admin makes a document blind for two coders")
    admin.save_screenshot(os.path.join(shots, "blind.png"))
    bob, cid = browser(), browser()
    try:
        for driver, name in [(bob, "bob"), (cid, "cid")]:
            sign_in(driver, base, name)
            driver.find_element(By.LINK_TEXT, "corpus/gd-interview.txt").click()
            ready(driver, "#reader")
        code_with_picker(bob, "国内市场需求很大", "income")
        check(wait_for(lambda: "国内市场需求很大" in highlighted(bob)), "bob codes the blind transcript")
        cid.refresh()
        ready(cid, "#reader")
        check("国内市场需求很大" not in highlighted(cid), "cid does not see bob's blind coding")
        stripes = [e.text for e in cid.find_elements(By.CSS_SELECTOR, ".stripe")]
        check(not any("bob" in s or "auto" in s or "market" in s for s in stripes),
              f"nor any other coder's label ({stripes[:3]})")
        code_with_picker(cid, "competition is hard", "orientation")
        check(wait_for(lambda: "competition is hard" in highlighted(cid)), "cid codes it too, blind")
        admin.find_element(By.ID, "blind").find_element(By.NAME, "all").click()
        check(wait_for(lambda: "国内市场需求很大" in highlighted(cid), 8), "after the reveal cid sees bob's coding live")
        agreement_checks(base, admin, shots)
    finally:
        bob.quit()
        cid.quit()


def agreement_checks(base, admin, shots):
    """The agreement view shows the numbers of `qda agreement --format json`; a consensus
    decision is a coding of the coder `consensus`."""
    qda, project = CONTEXT["qda"], CONTEXT["project"]
    cli = json.loads(subprocess.run([qda, "agreement", "--coders", "bob,cid", "--format", "json", "--project",
                                     project], capture_output=True, text=True, check=True).stdout)
    admin.get(base + "/agreement")
    form = admin.find_element(By.ID, "choose")
    form.find_element(By.NAME, "coders").send_keys("bob,cid")
    form.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(admin, 10).until(
        lambda d: d.find_element(By.ID, "result").get_attribute("data-ready") == "true")
    overall = [td.text for td in admin.find_elements(By.CSS_SELECTOR, "table.agreement")[0]
               .find_elements(By.CSS_SELECTOR, "tbody td")][1:]
    expected = [str(cli["overall"].get(k)) if cli["overall"].get(k) is not None else "—" for k in
                ["units", "percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1"]]
    expected = [e[:-2] if e.endswith(".0") else e for e in expected]
    check(overall == expected, f"the agreement view shows qda agreement's numbers ({overall} vs {expected})")
    admin.save_screenshot(os.path.join(shots, "agreement.png"))
    buttons = admin.find_elements(By.XPATH, "//button[starts-with(text(), 'take ') and contains(text(), ': coded')]")
    check(len(buttons) >= 1, f"disagreements are listed with consensus actions ({len(buttons)})")
    if buttons:
        buttons[0].click()
        seen = lambda: json.loads(subprocess.run(
            [qda, "segments", "--coder", "consensus", "--format", "json", "--project", project],
            capture_output=True, text=True, check=True).stdout)["segments"]
        check(wait_for(lambda: len(seen()) == 1), "a consensus decision is a coding of the coder consensus")


def cli_passages(qda, project, code, coder):
    """The passages `qda segments --code` reports for `coder`'s codings of `code`."""
    out = subprocess.run([qda, "segments", "--code", code, "--coder", coder, "--format", "json",
                          "--project", project], capture_output=True, text=True, check=True).stdout
    passages = []
    for segment in json.loads(out)["segments"]:
        for coding in segment.get("codings") or []:
            if coding["code"] == code and coding["coder"] == coder:
                a, b = coding["start"] - segment["start"], coding["end"] - segment["start"]
                passages.append(segment["text"][a:b])
    return passages


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
        names = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#documents a")]
        check("corpus/gd-interview.txt" in names and len(names) >= 5, f"the documents are listed ({len(names)})")
        cookie = driver.get_cookie("qda_session")
        check(cookie is not None and cookie.get("httpOnly") and cookie.get("sameSite") == "Strict",
              "the session cookie is HttpOnly and SameSite=Strict")
        driver.save_screenshot(os.path.join(shots, "documents.png"))
        Select(driver.find_element(By.NAME, "attribute")).select_by_visible_text("role=entrepreneur")
        shown = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#documents tr:not([hidden]) a")]
        check(shown == ["beijing/bj-01-entrepreneur.txt"], f"the attribute filter keeps the documents that have it ({shown})")
        Select(driver.find_element(By.NAME, "attribute")).select_by_value("")
        security_checks(base, token, cookie["value"])

        # Open the transcript and code a passage of Chinese and an emoji with the picker.
        driver.find_element(By.LINK_TEXT, "corpus/gd-interview.txt").click()
        ready(driver, "#reader")
        page = driver.find_element(By.TAG_NAME, "main").text
        check(PASSAGE in page and "😅" in page, "the reader shows the Chinese and the emoji as stored")
        reader_url = driver.current_url
        other = browser()
        other.get(url)
        other.get(reader_url)
        ready(other, "#reader")
        select_text(driver, PASSAGE)
        ActionChains(driver).send_keys("c").perform()
        picker = WebDriverWait(driver, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, "dialog[open] input"))
        picker.send_keys("competence")
        driver.save_screenshot(os.path.join(shots, "picker.png"))
        picker.send_keys(Keys.ENTER)
        check(wait_for(lambda: highlighted(driver) == [PASSAGE]), f"the highlight appears ({highlighted(driver)})")
        check(wait_for(lambda: highlighted(other) == [PASSAGE]),
              f"a second session sees the coding live, without a reload ({highlighted(other)})")
        driver.refresh()
        ready(driver, "#reader")
        check(highlighted(driver) == [PASSAGE], "the highlight survives a reload")
        stripes = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".stripe")]
        check("technology.competence · ann" in stripes, f"the margin labels the coding ({stripes[:4]})")
        driver.save_screenshot(os.path.join(shots, "reader.png"))
        seen = cli_passages(qda, project, "technology.competence", "ann")
        check(seen == [PASSAGE], f"qda segments --code sees exactly that text ({seen})")

        # Unmark from the keyboard, then undo and redo.
        focus_highlight(driver, PASSAGE)
        ActionChains(driver).send_keys(Keys.DELETE).perform()
        check(wait_for(lambda: highlighted(driver) == []), "Delete unmarks the coding")
        check(cli_passages(qda, project, "technology.competence", "ann") == [], "the CLI sees it gone")
        ActionChains(driver).key_down(Keys.CONTROL).send_keys("z").key_up(Keys.CONTROL).perform()
        check(wait_for(lambda: highlighted(driver) == [PASSAGE]), "Ctrl+Z brings it back")
        driver.refresh()
        ready(driver, "#reader")
        ActionChains(driver).key_down(Keys.CONTROL).send_keys("z").key_up(Keys.CONTROL).perform()
        check(wait_for(lambda: highlighted(driver) == []), "undo is kept on the server across a reload")
        ActionChains(driver).key_down(Keys.CONTROL).key_down(Keys.SHIFT).send_keys("z").key_up(Keys.SHIFT) \
            .key_up(Keys.CONTROL).perform()
        check(wait_for(lambda: highlighted(driver) == [PASSAGE]), "Ctrl+Shift+Z redoes")

        # A memo on the passage's segment, from the keyboard; it stays after a reload.
        select_text(driver, PASSAGE)
        ActionChains(driver).send_keys("n").perform()
        area = WebDriverWait(driver, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, "dialog[open] textarea"))
        area.send_keys("研发 as strength: compare with Shenzhen")
        ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
        driver.refresh()
        ready(driver, "#reader")
        memos = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".segment .memo")]
        check(memos == ["ann: 研发 as strength: compare with Shenzhen"], f"a memo on the segment is shown ({memos})")

        # The review queue, by keyboard.
        pending = len(api(base, token, "/api/reviews?limit=1000"))
        driver.get(base + "/review")
        ready(driver, "#queue")
        first = driver.find_element(By.CSS_SELECTOR, "#queue li.current").get_attribute("data-id")
        driver.save_screenshot(os.path.join(shots, "review.png"))
        ActionChains(driver).send_keys("a").perform()
        check(wait_for(lambda: len(api(base, token, "/api/reviews?limit=1000")) == pending - 1),
              "a accepts the current automatic coding")
        ActionChains(driver).send_keys("s").send_keys("r").perform()
        check(wait_for(lambda: len(api(base, token, "/api/reviews?limit=1000")) == pending - 2),
              "s skips, r rejects")
        ActionChains(driver).send_keys("c").perform()
        picker = WebDriverWait(driver, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, "dialog[open] input"))
        picker.send_keys("orientation")
        picker.send_keys(Keys.ENTER)
        check(wait_for(lambda: len(api(base, token, "/api/reviews?limit=1000")) == pending - 3),
              "c recodes with the picker")
        check(first not in [str(i["id"]) for i in api(base, token, "/api/reviews?limit=1000")],
              "the accepted coding left the queue")

        # Rename a code in the panel: the reader follows.
        driver.get(base + "/codebook")
        form = driver.find_element(By.ID, "edit")
        form.find_element(By.NAME, "code").send_keys("technology.competence")
        form.find_element(By.NAME, "target").send_keys("technology.capability")
        form.find_element(By.TAG_NAME, "button").click()
        check(wait_for(lambda: "technology.capability" in driver.find_element(By.ID, "codes").text),
              "the codebook shows the renamed code")
        driver.save_screenshot(os.path.join(shots, "codebook.png"))
        driver.get(reader_url)
        ready(driver, "#reader")
        stripes = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".stripe")]
        check("technology.capability · ann" in stripes, f"the reader follows the rename ({stripes[:4]})")

        # The evidence: a cell's quotes open the reader there.
        driver.get(base + "/evidence")
        cells = driver.find_elements(By.CSS_SELECTOR, "#heatmaps a")
        check(len(cells) >= 3, f"the heatmap has cells ({len(cells)})")
        driver.get(base + "/evidence?region=Guangdong&code=technology#quotes")
        check(wait_for(lambda: PASSAGE in driver.find_element(By.ID, "quotes").text),
              "the Guangdong technology cell lists the coded passage")
        grid = driver.find_element(By.ID, "grid")
        Select(grid.find_element(By.NAME, "rating")).select_by_value("+")
        grid.find_element(By.NAME, "note").send_keys("R&D named by the firm itself")
        grid.find_element(By.TAG_NAME, "button").click()
        check(wait_for(lambda: any(c["region"] == "Guangdong" and c["code"] == "technology" and c["rating"] == "+"
                                   for c in api(base, token, "/api/grid"))),
              "the researcher's grid cell is set in place")
        driver.save_screenshot(os.path.join(shots, "evidence.png"))
        driver.find_element(By.CSS_SELECTOR, "#quotes li a").click()
        check(wait_for(lambda: "/documents/" in driver.current_url), "a quote opens the reader")

        violations = [entry["message"] for d in (driver, other) for entry in d.get_log("browser")
                      if "Content Security Policy" in entry["message"] or entry["level"] == "SEVERE"]
        check(not violations, f"no console errors or CSP violations {violations[:2]}")

        stranger = browser()
        stranger.get(base + "/")
        check("Open the address qda serve printed" in stranger.page_source, "a browser without the token is refused")
        stranger.quit()
    finally:
        for d in (driver, other):
            if d:
                d.quit()
        server.send_signal(signal.SIGINT)
        code = server.wait(timeout=20)
        check(code == 0, f"SIGINT stops the server with status 0 ({code})")
    CONTEXT.update(qda=qda, project=project)
    team_checks(qda, project, shots)
    print(f"screenshots in {shots}")
    if failures:
        print(f"{len(failures)} browser check(s) failed", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
