"""Every text response is compressed for a browser that asks (issue 16): the dashboard's
scripts, its page and callbacks' JSON, and /embed, with Vary: Accept-Encoding."""
from __future__ import annotations

import gzip
import re

import brotli
import pytest

from timeline.synth import synthetic_frame
from timeline.webapp import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app([], frame=synthetic_frame(300, seed=2),
                     overrides_path=tmp_path_factory.mktemp("compress") / "overrides.csv")
    return app.server.test_client()


def largest_script(client) -> str:
    """The URL of the largest script the dashboard's page loads."""
    page = client.get("/").get_data(as_text=True)
    urls = set(re.findall(r'"(/_dash-component-suites/[^"]+\.js)"', page))
    assert len(urls) >= 5
    return max(urls, key=lambda url: len(client.get(url, headers={"Accept-Encoding": "identity"}).get_data()))


def test_the_dashboards_largest_script_goes_out_brotli_compressed_to_a_quarter_or_less(client):
    url = largest_script(client)
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    packed = client.get(url, headers={"Accept-Encoding": "br"})
    assert plain.headers.get("Content-Encoding") is None and packed.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert brotli.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) * 4 <= len(plain.get_data())


def test_the_page_and_the_embed_go_out_gzipped_to_a_browser_that_asks_only_for_gzip(client):
    for path in ("/", "/embed"):
        answer = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "gzip", path
        assert b"<html" in gzip.decompress(answer.get_data()).lower(), path
