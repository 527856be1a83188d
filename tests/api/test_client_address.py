"""The client's address for rate limits (API, public form, customer's view): X-Forwarded-For
counts only from a proxy in AMENDS_TRUSTED_PROXIES, and then its right-most untrusted address."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from amends.accounts.models import User
from amends.api.throttle import ApiRateThrottle, client_ip
from amends.cases.models import Case

PROXY = "10.0.0.7"


def _address(remote: str, forwarded: str | None = None) -> str:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "client"),
    [
        # No proxy configured (the default): the header is ignored, whoever sends it.
        ([], "198.51.100.4", "1.2.3.4", "198.51.100.4"),
        # A peer that is not our proxy cannot speak for anyone else.
        (["10.0.0.0/8"], "198.51.100.4", "1.2.3.4", "198.51.100.4"),
        # Our proxy appended the real peer; what the client wrote further left is ignored.
        (["10.0.0.0/8"], PROXY, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        # Two proxies of ours (a load balancer behind a CDN edge, say): skip both.
        (["10.0.0.0/8", "192.0.2.1"], PROXY, "7.7.7.7, 203.0.113.9, 192.0.2.1", "203.0.113.9"),
        (["10.0.0.7"], PROXY, "203.0.113.9", "203.0.113.9"),
        (["2001:db8::/32"], "2001:db8::1", "2001:db8::5, 2a00:1450::2", "2a00:1450::2"),
        (["10.0.0.0/8"], "::ffff:10.0.0.7", "203.0.113.9", "203.0.113.9"),
        # Our proxy but no header: the proxy is the client (a health check, say).
        (["10.0.0.0/8"], PROXY, None, PROXY),
        (["10.0.0.0/8"], PROXY, " , ", PROXY),
        # Only our own addresses: the farthest one.
        (["10.0.0.0/8"], PROXY, "10.1.1.1, 10.2.2.2", "10.1.1.1"),
    ],
    ids=[
        "no-proxies",
        "untrusted-peer",
        "trusted-peer",
        "proxy-chain",
        "single-ip",
        "ipv6",
        "ipv4-mapped-peer",
        "no-header",
        "empty-header",
        "all-trusted",
    ],
)
def test_the_client_is_the_right_most_address_no_trusted_proxy_wrote(
    settings: Any, trusted: list[str], remote: str, forwarded: str | None, client: str
) -> None:
    settings.AMENDS_TRUSTED_PROXIES = trusted
    assert _address(remote, forwarded) == client


def test_ninja_s_own_reading_of_the_header_is_not_used_by_the_api(settings: Any) -> None:
    # Django Ninja's get_ident takes X-Forwarded-For from anyone unless NINJA_NUM_PROXIES is
    # set; the API's fallback for a caller without a token counts by our client_ip instead.
    settings.AMENDS_TRUSTED_PROXIES = []
    request = RequestFactory().get(
        "/api/cases", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert ApiRateThrottle().ident(request) == "ip:198.51.100.4"


# --- the public complaint form's limit, end to end ---------------------------------------------


@pytest.fixture(autouse=True)
def _clear_rate_counters() -> Any:
    cache.clear()
    yield
    cache.clear()


def _post_form(client: Client, **extra: Any) -> Any:
    # An empty post: refused by the form (200), but counted like any post.
    return client.post("/complain/", {}, **extra)


def test_a_spoofed_header_from_an_untrusted_peer_does_not_evade_the_limit(
    client: Client, db: None, settings: Any
) -> None:
    settings.AMENDS_FORM_RATE_LIMIT = "2/hour"
    settings.AMENDS_TRUSTED_PROXIES = [PROXY]
    statuses = [
        _post_form(
            client, REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}"
        ).status_code
        for n in range(3)
    ]
    assert statuses == [400, 400, 429]  # empty posts: refused by the form, counted all the same


def test_behind_a_trusted_proxy_each_real_client_has_its_own_limit(
    client: Client, db: None, settings: Any
) -> None:
    settings.AMENDS_FORM_RATE_LIMIT = "2/hour"
    settings.AMENDS_TRUSTED_PROXIES = ["10.0.0.0/8"]

    def via_proxy(forwarded: str) -> int:
        response = _post_form(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
        return int(response.status_code)

    first = [via_proxy(f"{n}.{n}.{n}.{n}, 203.0.113.9") for n in range(1, 4)]
    # The same real client, whatever it put in front of the header itself, is limited...
    assert first == [400, 400, 429]
    # ...and another customer behind the same proxy is not.
    assert via_proxy("203.0.113.10") == 400


def test_behind_a_trusted_proxy_the_api_counts_the_real_client_for_a_session_less_call(
    settings: Any, db: None
) -> None:
    settings.AMENDS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = RequestFactory().get(
        "/api/cases", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert ApiRateThrottle().ident(request) == "ip:203.0.113.9"


def test_the_customers_view_counts_the_real_client_behind_a_trusted_proxy(
    client: Client, ania_case: Case, ania: User, settings: Any
) -> None:
    settings.AMENDS_PORTAL_RATE_LIMIT = "1/hour"
    settings.AMENDS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    url = "/portal/not-a-valid-link/"
    client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert (
        client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.9").status_code
        == 429
    )
    assert (
        client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.10").status_code != 429
    )


def test_a_wrong_proxy_entry_stops_the_start_up(tmp_path: Any) -> None:
    from tests.project.test_settings import load_settings

    result = load_settings(tmp_path, AMENDS_TRUSTED_PROXIES="10.0.0.1, proxy.example.com")
    assert result.returncode != 0
    assert "AMENDS_TRUSTED_PROXIES must list IP addresses or networks" in result.stderr
    assert "proxy.example.com" in result.stderr
