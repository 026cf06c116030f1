#!/usr/bin/python3
"""Drives a real headless Chromium through cpc-web (run by web_browser_test.cc,
which started cpcd and cpc-web and set up the batches).

An auditor signs in, reads the board (a READY and an AT RISK entry with their
reasons), opens the READY batch's page with its growth chart, downloads the
sterility CSV (compared byte for byte with `cpc audit sterility --csv`),
searches the audit trail and signs out. A scheduler, with a Japanese browser,
is refused the audit trail page.

Fails (exit 1) when Chromium or its driver is missing: never skips.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def browser(download_dir, language):
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(path):
            raise Failure(f"{path} is missing: install Debian's chromium and chromium-driver "
                          "(scripts/install-deps.sh)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 f"--lang={language}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {
        "download.default_directory": download_dir,
        "download.prompt_for_download": False,
        "intl.accept_languages": language,
    })
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd("Page.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": download_dir})
    return driver


def click_through(driver, element, url_suffix):
    """Clicks a link or a form's button and waits for the next page, whose URL
    ends in url_suffix (a click may return before the navigation ends)."""
    element.click()
    wait = WebDriverWait(driver, 60)
    try:
        wait.until(expected_conditions.staleness_of(element))
        wait.until(lambda d: d.current_url.endswith(url_suffix))
    except TimeoutException:
        pass  # the caller's check says where the browser ended up


def sign_in(driver, url, user, password):
    driver.get(url + "/board")
    check(driver.current_url.endswith("/login"),
          f"an anonymous visit to /board should end at /login, not {driver.current_url}")
    check(driver.find_element(By.NAME, "csrf").get_attribute("value"),
          "the sign-in form carries no CSRF token")
    driver.find_element(By.ID, "user").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(password)
    click_through(driver, driver.find_element(By.ID, "sign-in"), "/board")
    check(driver.current_url.endswith("/board"),
          f"{user} should land on the board after signing in, not {driver.current_url}: "
          + driver.find_element(By.TAG_NAME, "body").text)
    cookie = driver.get_cookie("cpcweb")
    check(cookie is not None and cookie.get("httpOnly") and cookie.get("sameSite") == "Strict",
          f"the session cookie must be HttpOnly and SameSite=Strict: {cookie}")


def entry_row(driver, batch_id):
    for row in driver.find_elements(By.CSS_SELECTOR, "#board tr.entry"):
        links = row.find_elements(By.CSS_SELECTOR, f"a[href='/batches/{batch_id}']")
        if links:
            return row
    raise Failure(f"batch {batch_id} is not on the board:\n"
                  + driver.find_element(By.TAG_NAME, "main").text)


def auditor(args, download_dir):
    driver = browser(download_dir, "en-US")
    try:
        sign_in(driver, args.url, args.auditor, os.environ["AUDITOR_PASSWORD"])
        # The board: refreshes itself, READY and AT RISK in colour and words.
        refresh = driver.find_elements(By.CSS_SELECTOR, "meta[http-equiv='refresh']")
        check(refresh and int(refresh[0].get_attribute("content")) > 0,
              "the board does not refresh itself")
        check(not driver.find_elements(By.TAG_NAME, "script"), "the board has a script")
        ready = entry_row(driver, args.ready)
        check(ready.get_attribute("data-status") == "ready", "the released batch is not READY")
        status = ready.find_element(By.CSS_SELECTOR, "span.status")
        check(status.text == "READY", f"READY entry says {status.text!r}")
        colour = status.value_of_css_property("background-color")
        check("27, 127, 59" in colour, f"READY is not green: {colour}")
        risk = entry_row(driver, args.at_risk)
        check(risk.get_attribute("data-status") == "at-risk", "the slow batch is not AT RISK")
        risk_status = risk.find_element(By.CSS_SELECTOR, "span.status")
        check(risk_status.text == "AT RISK", f"AT RISK entry says {risk_status.text!r}")
        check("193, 18, 31" in risk_status.value_of_css_property("background-color"),
              "AT RISK is not red")
        reasons = [li.text for li in risk.find_elements(By.CSS_SELECTOR, "td.reasons li")]
        check(reasons, "the AT RISK entry gives no reasons")
        projected = risk.find_element(By.CSS_SELECTOR, "td.projected").text
        check(len(projected) == 10 and projected[4] == "-",
              f"the AT RISK entry has no projected date: {projected!r}")
        print(f"board: READY {args.ready}; AT RISK {args.at_risk}: {reasons}, projected {projected}")

        # The READY batch's page and its growth chart, drawn on the server.
        click_through(driver, ready.find_element(By.CSS_SELECTOR, f"a[href='/batches/{args.ready}']"),
                      "/batches/" + args.ready)
        check(driver.current_url.endswith("/batches/" + args.ready), "batch link went elsewhere")
        chart = driver.find_element(By.CSS_SELECTOR, "svg#growth-chart")
        viable = chart.find_elements(By.CSS_SELECTOR, "#viable-cells circle")
        doublings = chart.find_elements(By.CSS_SELECTOR, "#cumulative-pd circle")
        check(len(viable) == 4 and len(doublings) == 3,
              f"chart points: {len(viable)} viable, {len(doublings)} PD (want 4 and 3)")
        check(chart.size["width"] > 300, f"the chart is not drawn: {chart.size}")
        main = driver.find_element(By.TAG_NAME, "main").text
        for needle in ("QA release", "sterility", "LN2-A/R1/B1/A1", args.ready + "-01",
                       "qa.tanaka", "Download batch record (PDF)"):
            check(needle in main, f"the batch page lacks {needle!r}")
        criteria = driver.find_elements(By.CSS_SELECTOR, "#criteria td.met")
        check(len(criteria) >= 5, f"only {len(criteria)} criteria met on the READY batch")
        print(f"batch page: chart with {len(viable)} + {len(doublings)} points, "
              f"{len(criteria)} criteria met")

        # The batch record as a PDF: the same renderer as `cpc batch report`.
        driver.find_element(By.ID, "batch-record-pdf").click()
        pdf_path = os.path.join(download_dir, f"batch-record-{args.ready}.pdf")
        for _ in range(300):
            if os.path.exists(pdf_path):
                break
            time.sleep(0.1)
        check(os.path.exists(pdf_path), f"no PDF downloaded: {os.listdir(download_dir)}")
        text = subprocess.run(["pdftotext", "-layout", pdf_path, "-"], check=True,
                              capture_output=True, text=True).stdout
        for needle in (args.ready, "qa.tanaka"):
            check(needle in text, f"the downloaded batch record lacks {needle!r}")
        print(f"batch record PDF: {os.path.getsize(pdf_path)} bytes, names {args.ready}")

        # Sterility and mycoplasma by period; the CSV is cpc's, byte for byte.
        driver.get(f"{args.url}/audit/sterility?from={args.date_from}&to={args.date_to}")
        rows = driver.find_elements(By.CSS_SELECTOR, "#sterility-table tr")
        check(len(rows) == 3, f"want a header and 2 tests, got {len(rows)} rows")
        driver.find_element(By.ID, "sterility-csv").click()
        name = f"sterility-{args.date_from}-to-{args.date_to}.csv"
        path = os.path.join(download_dir, name)
        for _ in range(300):
            if os.path.exists(path):
                break
            time.sleep(0.1)
        check(os.path.exists(path), f"no CSV downloaded: {os.listdir(download_dir)}")
        with open(path, "rb") as got, open(args.expected_csv, "rb") as want:
            got_bytes, want_bytes = got.read(), want.read()
        check(got_bytes == want_bytes,
              f"the CSV differs from cpc's:\n{got_bytes!r}\n{want_bytes!r}")
        print(f"sterility CSV: {len(got_bytes)} bytes, the same as cpc audit sterility --csv")

        # The audit trail: the chain head, and a search by batch (a POST form).
        driver.get(args.url + "/audit/trail")
        head = driver.find_element(By.ID, "chain-head").text
        check(head.startswith("Chain head: ") and "hash" in head, f"no chain head: {head!r}")
        driver.find_element(By.ID, "batch").send_keys(args.at_risk)
        click_through(driver, driver.find_element(By.ID, "search"), "/audit/trail")
        resources = [td.text for td in
                     driver.find_elements(By.CSS_SELECTOR, "#trail-table tr td:nth-child(5)")]
        check(resources and all(args.at_risk in r for r in resources),
              f"search by batch listed other entries: {resources}")
        print(f"audit trail: {head}; {len(resources)} entries for {args.at_risk}")

        # Sign-out ends the session: the old cookie no longer opens the board.
        old = driver.get_cookie("cpcweb")
        click_through(driver, driver.find_element(By.ID, "sign-out"), "/login")
        check(driver.current_url.endswith("/login"), f"sign-out went to {driver.current_url}")
        driver.add_cookie({"name": "cpcweb", "value": old["value"], "path": "/"})
        driver.get(args.url + "/board")
        check(driver.current_url.endswith("/login"), "the old session still opens the board")
        print("signed out")
    finally:
        driver.quit()


def scheduler(args, download_dir):
    driver = browser(download_dir, "ja")
    try:
        sign_in(driver, args.url, args.scheduler, os.environ["SCHEDULER_PASSWORD"])
        check(driver.find_element(By.TAG_NAME, "h1").text == "投与予定",
              "a Japanese browser should get the board in Japanese: "
              + driver.find_element(By.TAG_NAME, "h1").text)
        check(entry_row(driver, args.ready).find_element(By.CSS_SELECTOR, "span.status").text
              == "準備完了", "READY in Japanese")
        driver.get(args.url + "/audit/trail")
        title = driver.find_element(By.TAG_NAME, "h1").text
        check(title == "権限がありません", f"a scheduler reached the audit trail: {title!r}")
        check(not driver.find_elements(By.ID, "trail-table"), "the trail was shown")
        print("scheduler: refused the audit trail (" +
              driver.find_element(By.ID, "error").text + ")")
    finally:
        driver.quit()


def main():
    parser = argparse.ArgumentParser()
    for name in ("url", "ready", "at-risk", "auditor", "scheduler", "expected-csv", "date-from",
                 "date-to"):
        parser.add_argument("--" + name, required=True)
    args = parser.parse_args()
    try:
        with tempfile.TemporaryDirectory() as downloads:
            auditor(args, downloads)
        with tempfile.TemporaryDirectory() as downloads:
            scheduler(args, downloads)
    except (Failure, WebDriverException) as error:
        print(f"FAIL: {error}", file=sys.stderr)
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
