"""Joint actions: both sides see them; the customer marks their own done."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.urls import reverse

from amends.accounts.models import User
from amends.cases.models import Case, EventKind
from amends.portal.links import portal_token
from amends.resolution import services as resolution_services
from amends.resolution.models import ActionItem, Party
from tests.portal.conftest import page


def _items(case: Case, ania: User) -> tuple[ActionItem, ActionItem]:
    due = date.today() + timedelta(days=5)
    ours = resolution_services.add_action_item(
        case, actor=ania, title="Odbierzemy pralkę", party=Party.US, due=due, owner=ania
    )
    theirs = resolution_services.add_action_item(
        case, actor=ania, title="Proszę przygotować paragon", party=Party.CUSTOMER, due=due
    )
    return ours, theirs


def _done(client: Client, case: Case, item: ActionItem) -> Any:
    url = reverse("portal:complete-item", kwargs={"token": portal_token(case), "item_id": item.pk})
    return client.post(url, {"lang": "pl"})


def test_both_sides_actions_are_shown(client: Client, ania_case: Case, ania: User) -> None:
    _items(ania_case, ania)
    html = page(client, ania_case).content.decode()
    assert "Odbierzemy pralkę" in html
    assert "Proszę przygotować paragon" in html


def test_the_customer_marks_their_own_action_done_once(
    client: Client, ania_case: Case, ania: User
) -> None:
    _ours, theirs = _items(ania_case, ania)
    assert _done(client, ania_case, theirs).status_code == 302
    assert _done(client, ania_case, theirs).status_code == 302
    theirs.refresh_from_db()
    assert theirs.done_at is not None
    done = ania_case.events.filter(kind=EventKind.ACTION_ITEM, data__change="done")
    assert done.count() == 1


def test_the_customer_cannot_mark_our_action_done(
    client: Client, ania_case: Case, ania: User
) -> None:
    ours, _theirs = _items(ania_case, ania)
    assert _done(client, ania_case, ours).status_code == 404
    ours.refresh_from_db()
    assert ours.done_at is None
