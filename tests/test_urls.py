from __future__ import annotations

import pytest

from mlsd.urls import canonical_url, check_url, normalise_url


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/1606.07792",
        "https://www.youtube.com/watch?v=abc",
        "https://example.org:443/x",
        "https://1e100.net/",
    ],
)
def test_acceptable_urls(url: str) -> None:
    assert check_url(url) == []


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("ftp://example.org/x", "url-scheme"),
        ("https://[::1]/", "url-private"),
        ("https://[::ffff:10.0.0.1]/", "url-private"),
        ("https://10.0.0.1/", "url-private"),
        ("https://0x7f.1/", "url-private"),
        ("https://metadata.google.internal/", "url-private"),
        ("https://intranet/", "url-private"),
        ("https://printer.local/", "url-private"),
        ("https://8.8.8.8/", "url-private"),
        ("https://youtu.be/abc", "url-shortener"),
        ("https://www.bit.ly/abc", "url-shortener"),
        ("https://x.org/?gclid=1", "url-tracking"),
        ("https://x.org/?UTM_Campaign=1", "url-tracking"),
        ("https://sci-hub.se/10.1000/1", "url-piracy"),
        ("https://libgen.example.org/", "url-piracy"),
        ("https://u@x.org/", "url-credentials"),
        ("https://x.org:99999/", "url-invalid"),
        ("https:///nohost", "url-invalid"),
    ],
)
def test_policy_violations(url: str, code: str) -> None:
    assert code in [problem.code for problem in check_url(url)]


def test_normalise_treats_spellings_of_one_page_as_equal() -> None:
    forms = [
        "https://www.Example.org/page/",
        "http://example.org/page#intro",
        "https://EXAMPLE.org:443/page?utm_source=x",
    ]
    assert len({normalise_url(url) for url in forms}) == 1
    assert normalise_url("https://example.org/page?id=1") != normalise_url("https://example.org/page?id=2")


def test_canonical_url_keeps_meaningful_parameters() -> None:
    assert canonical_url("https://X.org/a?utm_source=t&id=7&fbclid=z") == "https://x.org/a?id=7"
