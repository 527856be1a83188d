"""Signed links: each opens its own case only, and a wrong, tampered, expired or revoked link
shows the same 404 page, in the browser's language, revealing nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amends.accounts.models import User
from amends.cases.models import Case, Customer, EventKind
from amends.portal import links, services
from amends.portal.links import portal_path, portal_token, portal_url


def _get(client: Client, token: str, **headers: Any) -> Any:
    return client.get(reverse("portal:case", kwargs={"token": token}), **headers)


def _assert_invalid(response: Any) -> None:
    assert response.status_code == 404
    assert b"This link does not work" in response.content
    assert b"AM-" not in response.content


def test_the_link_is_absolute_and_opens_the_case(
    client: Client, ania_case: Case, settings: Any
) -> None:
    settings.SITE_URL = "https://desk.example"
    url = portal_url(ania_case)
    assert url.startswith("https://desk.example/portal/")
    response = client.get(url.removeprefix("https://desk.example"))
    assert response.status_code == 200
    assert ania_case.reference.encode() in response.content


def test_one_cases_link_never_opens_another(
    client: Client, make_case: Any, ania_case: Case, ania: User
) -> None:
    other = make_case(
        Customer.objects.create(name="Eva Virtanen", email="eva@example.fi", language="fi"),
        owner=ania,
        subject="Rikki",
        description="Laite on rikki.",
    )
    mine = client.get(portal_path(ania_case))
    assert ania_case.reference.encode() in mine.content
    assert other.reference.encode() not in mine.content
    assert b"Eva Virtanen" not in mine.content
    # The token of one case with the other's id (re-signed without the key) opens nothing.
    value = signing.TimestampSigner(salt=links.SALT).unsign_object(portal_token(ania_case))
    forged = signing.TimestampSigner(salt=links.SALT, key="not-our-key").sign_object(
        {**value, "c": other.pk}
    )
    _assert_invalid(_get(client, forged))
    # A token of another of our signatures (the complaint confirmation) is no portal link.
    _assert_invalid(
        _get(client, signing.dumps({"c": other.pk, "v": 1}, salt="amends.intake.confirmation"))
    )


def test_a_tampered_or_made_up_link_shows_the_same_page(client: Client, ania_case: Case) -> None:
    token = portal_token(ania_case)
    wrong = _get(client, "nonsense")
    tampered = _get(client, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    _assert_invalid(wrong)
    _assert_invalid(tampered)
    assert wrong.content == tampered.content


def test_a_link_expires_after_the_configured_days(
    client: Client, ania_case: Case, settings: Any
) -> None:
    settings.AMENDS_PORTAL_LINK_DAYS = 60
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        token = portal_token(ania_case)
    with time_machine.travel(now + timedelta(days=59), tick=False):
        assert _get(client, token).status_code == 200
    with time_machine.travel(now + timedelta(days=61), tick=False):
        _assert_invalid(_get(client, token))
    settings.AMENDS_PORTAL_LINK_DAYS = 90
    with time_machine.travel(now + timedelta(days=61), tick=False):
        assert _get(client, token).status_code == 200


def test_revoking_stops_every_earlier_link_and_new_links_work(
    client: Client, ania_case: Case, ania: User
) -> None:
    old = portal_token(ania_case)
    services.revoke_links(ania_case, actor=ania)
    _assert_invalid(_get(client, old))
    new = portal_token(ania_case)
    assert new != old
    assert _get(client, new).status_code == 200
    services.revoke_links(ania_case, actor=ania)
    _assert_invalid(_get(client, new))
    events = ania_case.events.filter(kind=EventKind.PORTAL)
    assert events.count() == 2
    assert not any(e.is_customer_visible for e in events)


def test_the_invalid_page_speaks_the_browsers_language(client: Client, db: None) -> None:
    response = _get(client, "nonsense", HTTP_ACCEPT_LANGUAGE="bg")
    assert response.status_code == 404
    assert b'<html lang="bg">' in response.content
    assert response["Content-Language"] == "bg"
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "default-src 'none'" in response["Content-Security-Policy"]
