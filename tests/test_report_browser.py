"""``citelint report`` in a real browser: headless Chromium (Debian's ``chromium``) driven by
Playwright. Every finding is highlighted and reachable with the Tab key, its message shows on
focus, nothing is fetched from the network and nothing is logged to the console. A screenshot
of each page is kept in $CITELINT_TEST_ARTIFACTS (else the test's temporary folder)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
CHROMIUM = os.environ.get("CITELINT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium executable (apt-get install chromium)")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def _artifacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CITELINT_TEST_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open(browser, html: Path, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: problems.append("fetched " + request.url)
            if not request.url.startswith(("file:", "data:", "about:")) else None)
    page.goto(html.as_uri())
    return page, problems


@pytest.mark.parametrize("article", [
    pytest.param(ROOT / "tests" / "fixtures" / "markdown" / "clinic_study.md", id="clinic"),
    pytest.param(SEED, id="seed", marks=pytest.mark.skipif(not SEED.is_file(), reason="../shared is absent")),
])
def test_every_finding_is_highlighted_and_reachable_by_keyboard(cli, browser, tmp_path, monkeypatch, article):
    monkeypatch.chdir(tmp_path)
    findings = cli("--format", "json", str(article)).json()["diagnostics"]
    assert cli("report", str(article), "-o", "report.html").status == 0
    page, problems = _open(browser, tmp_path / "report.html")
    marks = page.locator("mark.finding[tabindex='0']")
    assert marks.count() >= len(findings) > 0  # suppressed findings are highlighted too
    ids = [marks.nth(index).get_attribute("id") for index in range(marks.count())]
    for expected in ids:  # the article's text comes first in the tab order: highlight after highlight
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == expected
        tip = page.locator(f"#{expected}-tip")
        assert tip.is_visible()
        assert page.locator(f"#{expected}").bounding_box() is not None
    messages = " ".join(page.locator(".tip").all_text_contents())
    assert all(finding["message"] in messages for finding in findings)
    page.screenshot(path=str(_artifacts(tmp_path) / f"report-{article.stem}.png"), full_page=False)
    assert problems == []


def test_a_folder_report_renders_on_a_phone_without_errors(cli, browser, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = ROOT / "tests" / "fixtures" / "markdown"
    assert cli("report", str(folder), str(ROOT / "examples"), "-o", "folder.html").status == 0
    page, problems = _open(browser, tmp_path / "folder.html", width=390)
    assert page.locator("nav table tbody tr").count() == len(list(folder.glob("*.md"))) + 1
    assert page.locator("figure.chart svg").count() == 3
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0  # readable on a phone: nothing wider than the screen
    page.screenshot(path=str(_artifacts(tmp_path) / "report-folder-phone.png"), full_page=False)
    assert problems == []


def test_the_index_sorts_by_a_column_under_the_page_policy(cli, browser, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("report", str(ROOT / "tests" / "fixtures" / "markdown"), "-o", "folder.html").status == 0
    page, problems = _open(browser, tmp_path / "folder.html")
    claims = page.locator("nav th", has_text="Claims")

    def column() -> list[int]:
        return [int(value) for value in page.locator("nav tbody tr td:nth-child(6)").all_text_contents()]

    claims.locator("button").click()
    assert claims.get_attribute("aria-sort") == "descending"
    assert column() == sorted(column(), reverse=True) and len(set(column())) > 1
    claims.locator("button").press("Enter")  # by keyboard too
    assert claims.get_attribute("aria-sort") == "ascending"
    assert column() == sorted(column())
    assert problems == []  # the script ran under the page's Content-Security-Policy
