"""Requests to the customer's view are counted per client address (AMENDS_PORTAL_RATE_LIMIT)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from amends.cases.models import Case
from amends.portal.links import portal_path


def test_too_many_requests_from_one_address_are_refused(
    client: Client, ania_case: Case, settings: Any
) -> None:
    settings.AMENDS_PORTAL_RATE_LIMIT = "3/m"
    path = portal_path(ania_case)
    for _ in range(3):
        assert client.get(path, REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get(path, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert ania_case.reference.encode() not in refused.content
    # Wrong links count too, and another address is not affected.
    assert client.get("/portal/guess/", REMOTE_ADDR="203.0.113.7").status_code == 429
    assert client.get(path, REMOTE_ADDR="198.51.100.9").status_code == 200


def test_an_empty_limit_turns_it_off(client: Client, ania_case: Case, settings: Any) -> None:
    settings.AMENDS_PORTAL_RATE_LIMIT = ""
    path = portal_path(ania_case)
    assert all(client.get(path).status_code == 200 for _ in range(5))
