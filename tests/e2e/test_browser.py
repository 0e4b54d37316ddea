"""In a real browser: the national overview and one real briefing opened from disk, network blocked.

Headless Chromium from Debian's packages (`apt-get install chromium`, done by .ci/run), driven by
Playwright through its executable path: Playwright's own browser download is never used. Every
request that is not a file on disk is aborted and recorded; the test fails if there was any.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from analysis.build import build
from analysis.national import overview_files

pytestmark = pytest.mark.slow

# Chromium as Debian installs it, found on PATH (or named by CCHC_CHROMIUM); without it these tests skip.
_FOUND = os.environ.get("CCHC_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM = Path(_FOUND) if _FOUND else None
# As the machine notes say: without the background-networking flags Chromium tries Google's hosts.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PROVINCE, SLUG, CODE = "Nghệ An", "nghe-an", "40"


@pytest.fixture(scope="module")
def sync_api():
    api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (requirements-dev.txt; `make setup`)"
    )
    if CHROMIUM is None or not CHROMIUM.exists():
        pytest.skip(f"no Chromium ({CHROMIUM or 'not on PATH'}): `apt-get install chromium` (.ci/run does)")
    return api


@pytest.fixture(scope="module")
def site(sync_api, shipped_clean_dir, tmp_path_factory) -> tuple[Path, int]:
    """One real briefing (Nghệ An, Vietnamese, the default year) built by the build, and the overview."""
    clean_dir = shipped_clean_dir
    out = tmp_path_factory.mktemp("reports")
    request = build.BuildRequest.from_cli(PROVINCE, "", "vi", 1, True, clean_dir, out, progress=False)
    assert build.run_reports(request) == 0
    df = build.read_figures(clean_dir)
    cache = build.load_cache(out)
    years = sorted({int(e["year"]) for e in cache.values()})
    assert len(years) == 1 and (out / f"{years[0]}/vi/{SLUG}.html").exists()
    overview_files.write_overview(out, df, years, cache)
    return out, years[0]


@pytest.fixture
def browser(sync_api):
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _open(browser, path: Path):
    """A page on `path` with every non-file request aborted; returns (page, requests, blocked)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    blocked: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    return page, requests, blocked


def _local(page_path: Path, href: str) -> Path:
    parts = urlsplit(href)
    assert not parts.scheme and not parts.netloc, f"not a relative link: {href}"
    return (page_path.parent / unquote(parts.path)).resolve()


def _no_request_left(requests: list[str], blocked: list[str]) -> None:
    assert blocked == [], f"requests that would leave the machine: {blocked}"
    outside = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert outside == [], outside


def test_overview_in_chromium_offline_every_tile_named_and_linked_to_a_briefing(site, browser, tmp_path):
    out, year = site
    path = overview_files.overview_path(out, year, "vi")
    page, requests, blocked = _open(browser, path)
    assert page.title().startswith("Toàn cảnh cả nước")
    maps = page.locator("svg.tilemap")
    assert maps.count() >= 1, "a year with a complete index has at least one map"
    for i in range(maps.count()):
        tiles = maps.nth(i).locator("[data-code]")
        assert tiles.count() == 63
        labels = tiles.evaluate_all(
            "els => els.map(e => [e.getAttribute('aria-label'), e.querySelector('title')?.textContent])"
        )
        assert all(a and t and a.split(":")[0] == t.split(":")[0] for a, t in labels), labels[:3]
    hrefs = page.eval_on_selector_all(
        "svg.tilemap a", "els => els.map(e => [e.dataset.code, e.getAttribute('href')])"
    )
    assert hrefs, "the built briefing's tile is a link"
    for code, href in hrefs:
        assert _local(path, href).exists(), f"tile {code} links to a missing file {href}"
    assert {code for code, _ in hrefs} == {CODE}, "only provinces with a briefing are links"
    # the page fits the window: no sideways scrolling at 1280 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    shot = tmp_path / "overview.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # following the tile opens the briefing, still offline
    page.locator(f'svg.tilemap a[data-code="{CODE}"]').first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/{year}/vi/{SLUG}.html")
    _no_request_left(requests, blocked)


def test_briefing_in_chromium_offline_figures_drawn_and_links_exist(site, browser, tmp_path):
    out, year = site
    path = out / str(year) / "vi" / f"{SLUG}.html"
    page, requests, blocked = _open(browser, path)
    assert PROVINCE in page.locator("h1").first.inner_text()
    broken = page.eval_on_selector_all(
        "img", "els => els.filter(e => !e.complete || e.naturalWidth === 0).length"
    )
    assert broken == 0, "every figure is drawn"
    assert page.locator("img, svg").count() >= 1
    for href in page.eval_on_selector_all("svg.tilemap a", "els => els.map(e => e.getAttribute('href'))"):
        assert _local(path, href).exists(), href  # the briefing's small map, where it has one
    shot = tmp_path / "briefing.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    _no_request_left(requests, blocked)


def test_the_guard_sees_a_request_that_would_leave_the_machine(browser, tmp_path):
    """The check above is only worth something if it catches a page that loads from outside."""
    page_path = tmp_path / "leaky.html"
    page_path.write_text(
        '<!DOCTYPE html><p>x</p><img src="https://example.invalid/pixel.png">', encoding="utf-8"
    )
    page, requests, blocked = _open(browser, page_path)
    page.wait_for_load_state("load")
    assert blocked == ["https://example.invalid/pixel.png"]
    with pytest.raises(AssertionError):
        _no_request_left(requests, blocked)
