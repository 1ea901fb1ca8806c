"""Bytes on the wire (issue 16), counted by Chromium itself (the DevTools protocol's
encodedDataLength: compressed bodies and headers, nothing from the cache), on the seed
story served as `make run` serves it, each visit in a fresh browser profile unless said:

- the dashboard's first visit <= 1.5 MB;
- /embed's first visit <= 0.8 MB;
- a second, differently filtered embed in the same browser <= 0.1 MB (the chart library
  comes from the cache).

Every page also stays offline (no request to another host) and loads no MathJax."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, require_browser
from test_webapp_e2e import serve

MB = 1_000_000
DASHBOARD_BUDGET, EMBED_BUDGET, SECOND_EMBED_BUDGET = 1.5 * MB, 0.8 * MB, 0.1 * MB


class Wire:
    """What one page received over the network, from Chromium's own accounting."""

    def __init__(self, context, page):
        self.bytes: dict[str, int] = {}
        self.urls: dict[str, str] = {}
        cdp = context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: self.bytes.__setitem__(e["requestId"], e["encodedDataLength"]))
        cdp.send("Network.enable")

    @property
    def total(self) -> int:
        return sum(self.bytes.values())

    def report(self) -> str:
        biggest = sorted(self.bytes.items(), key=lambda kv: -kv[1])[:6]
        return ", ".join(f"{urlparse(self.urls.get(k, '?')).path} {v:,}" for k, v in biggest)

    def foreign(self) -> list[str]:
        return [u for u in self.urls.values()
                if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname not in ("127.0.0.1", "localhost")]


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("light")) as site:
        yield site


@pytest.fixture(scope="module")
def chromium():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def visit(context, url: str, *selectors: str) -> Wire:
    """Open `url` in a new page of `context`, wait for `selectors` and for the network to
    settle, scroll to the bottom (lazy parts load) and settle again."""
    page = context.new_page()
    wire = Wire(context, page)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    for selector in selectors:
        page.wait_for_selector(selector, timeout=30_000)
    page.wait_for_load_state("networkidle")
    page.mouse.wheel(0, 5_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert not errors, f"{url}: {errors}"
    assert not wire.foreign(), f"{url} asked other hosts: {wire.foreign()}"
    assert not [u for u in wire.urls.values() if "mathjax" in u.lower()], f"{url} loaded MathJax"
    return wire


def test_the_dashboards_first_visit_fits_its_budget(chromium, seed_site):
    context = chromium.new_context(viewport={"width": 1440, "height": 1000})
    try:
        wire = visit(context, seed_site.url, "#timeline-graph .scatterlayer .point", "#map-graph .scattergeo .point")
    finally:
        context.close()
    assert wire.total <= DASHBOARD_BUDGET, f"dashboard: {wire.total:,} bytes ({wire.report()})"
    assert wire.total > 100_000  # the count is real: the page and its scripts came over the wire


def test_an_embeds_first_visit_and_a_second_embed_fit_their_budgets(chromium, seed_site):
    context = chromium.new_context(viewport={"width": 700, "height": 900})
    try:
        first = visit(context, seed_site.url + "embed", "#timeline-graph .scatterlayer .point",
                      "#map-graph .scattergeo .point")
        second = visit(context, seed_site.url + "embed?category=release&view=timeline&theme=dark",
                       "#timeline-graph .scatterlayer .point")
    finally:
        context.close()
    assert first.total <= EMBED_BUDGET, f"first embed: {first.total:,} bytes ({first.report()})"
    assert second.total <= SECOND_EMBED_BUDGET, f"second embed: {second.total:,} bytes ({second.report()})"
    assert first.total > 300_000 > 10_000 < second.total  # the library came once, the second page itself again
