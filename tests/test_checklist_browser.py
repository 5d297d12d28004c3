"""The tickable checklist in a real headless Chromium, driven by Playwright on the system browser:
ticks survive a reload, export and import round-trip, print shows them ticked, nothing leaves the
page, and with scripts off it is the printable page it always was."""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from conftest import require
from mlsd.cli import main
from mlsd.collection import load_collection
from mlsd.study.items import follow_up_ids, key_point_ids

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    require(executable is not None, "Chromium is not installed")
    require(importlib.util.find_spec("playwright") is not None, "Playwright is not installed (pip install -e '.[dev]')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page_file(repo: Path) -> Path:
    path = repo / "checklist.html"
    assert main(["checklist", "--root", str(repo), "--output", str(path)]) == 0
    return path


class Watched:
    """A page whose every request is routed and recorded, and whose errors are collected."""

    def __init__(self, context: Any, url: str) -> None:
        self.url, self.requests, self.routed, self.errors = url, [], [], []
        self.page = context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))

    def _route(self, route: Any) -> None:
        self.routed.append(route.request.url)
        if route.request.url == self.url:
            route.continue_()
        else:
            route.abort()


def ticked(page: Any) -> list[str]:
    return sorted(page.eval_on_selector_all("input.tick:checked", "boxes => boxes.map(box => box.id)"))


def test_ticks_persist_export_reset_import_print_and_stay_offline(
    browser: Any, page_file: Path, repo: Path, tmp_path: Path
) -> None:
    collection = load_collection(repo)
    search = next(case for case in collection.cases if case.id == "tiny-search")
    chosen = sorted([*key_point_ids(search, "requirements")[:2], follow_up_ids(search)[0]])
    url = page_file.as_uri()
    context = browser.new_context(accept_downloads=True)
    watched = Watched(context, url)
    page = watched.page
    page.goto(url)
    assert page.evaluate("document.documentElement.classList.contains('ticking')")
    total = page.locator("input.tick").count()
    assert total == 3 + 3 + 1 + 3 + 3 + 1  # key points and follow-ups of both chapters

    for item_id in chosen:
        page.locator(f"label:has([id='{item_id}'])").click()
    page.reload()
    assert ticked(page) == chosen
    assert page.text_content("#study-overall .count") == f"3 of {total}"
    assert page.text_content("section#chapter-2 .progress .count") == "3 of 7"

    with page.expect_download() as download:
        page.click("#study-export")
    exported = tmp_path / "progress.json"
    download.value.save_as(exported)
    assert json.loads(exported.read_text()) == {"format": "mlsd-checklist-progress", "version": 1, "ticked": chosen}

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#study-reset")
    assert ticked(page) == []
    page.reload()
    assert ticked(page) == []

    page.set_input_files("#study-file", str(exported))
    page.wait_for_function("document.querySelectorAll('input.tick:checked').length === 3")
    page.reload()
    assert ticked(page) == chosen

    pdf = tmp_path / "ticked.pdf"
    page.pdf(path=str(pdf))
    text = "".join(page_.extract_text() for page_ in PdfReader(pdf).pages)
    assert text.count("\u2713") == 3

    # The policy, not only the routing, keeps requests in: a fetch is refused before it is sent.
    refused = page.evaluate("fetch('http://127.0.0.1:9/x').then(() => 'sent', () => 'refused')")
    assert refused == "refused"
    assert set(watched.requests) == {url} and set(watched.routed) <= {url}
    assert [error for error in watched.errors if "127.0.0.1:9" not in error] == []
    context.close()


def test_with_scripts_off_it_is_the_printable_page(browser: Any, page_file: Path, tmp_path: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    watched = Watched(context, page_file.as_uri())
    page = watched.page
    page.goto(watched.url)
    assert page.locator("input.tick").first.is_hidden()
    assert page.locator("#study-overall").is_hidden() and page.locator(".progress").first.is_hidden()
    box = page.evaluate(
        "getComputedStyle(document.querySelector('ul.ticks li'), '::before').getPropertyValue('border-top-style')"
    )
    assert box == "solid"  # the square drawn beside each item, to tick with a pen
    pdf = tmp_path / "plain.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    reader = PdfReader(pdf)
    # The cover, chapter 2 and chapter 12 on two pages: the same count as the printed page per chapter.
    assert len(reader.pages) == 4 and "\u2713" not in "".join(page_.extract_text() for page_ in reader.pages)
    assert set(watched.requests) == {watched.url}
    context.close()


def test_the_policy_allows_exactly_the_page_script_and_no_fetch(page_file: Path) -> None:
    import base64
    import hashlib
    import re

    html = page_file.read_text(encoding="utf-8")
    [policy] = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    [script] = re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert policy.startswith("default-src 'none'; ") and f"script-src 'sha256-{digest}'" in policy
    assert "connect-src" not in policy  # falls back to default-src 'none'
