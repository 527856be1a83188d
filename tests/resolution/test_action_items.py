"""Joint action items (B-4): ours and the customer's, with owners and dates, visible to both."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from amends.cases.models import EventKind, Visibility
from amends.resolution import services
from amends.resolution.models import Party


def test_our_action_needs_an_owner_and_is_visible_to_the_customer(case, ania, piotr, soon) -> None:
    with pytest.raises(ValidationError, match="needs an owner"):
        services.add_action_item(case, actor=ania, title="Send a technician", party="us", due=soon)
    item = services.add_action_item(
        case, actor=ania, title="Send a technician", party=Party.US, due=soon, owner=piotr
    )
    event = case.events.get(kind=EventKind.ACTION_ITEM)
    assert event.visibility == Visibility.CUSTOMER
    assert event.data["owner_name"] == "Piotr Wiśniewski"
    assert event.data["item_id"] == item.pk


def test_bad_action_items_are_refused(case, ania, soon) -> None:
    past = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError, match="Describe"):
        services.add_action_item(case, actor=ania, title=" ", party="customer", due=soon)
    with pytest.raises(ValidationError, match="ours or the customer"):
        services.add_action_item(case, actor=ania, title="x", party="courier", due=soon)
    with pytest.raises(ValidationError, match="past"):
        services.add_action_item(case, actor=ania, title="x", party="customer", due=past)
    assert not case.action_items.exists()


def test_the_customer_completes_their_own_item_from_the_portal(case, ania, soon) -> None:
    theirs = services.add_action_item(
        case, actor=ania, title="Send a photo of the label", party="customer", due=soon
    )
    services.complete_action_item(theirs, via="portal")
    theirs.refresh_from_db()
    assert theirs.done_at is not None
    done = case.events.filter(kind=EventKind.ACTION_ITEM).last()
    assert done.data["change"] == "done"
    assert done.data["via"] == "portal"
    assert done.actor is None
    with pytest.raises(ValidationError, match="done already"):
        services.complete_action_item(theirs, via="portal")


def test_the_customer_cannot_complete_our_item(case, ania, piotr, soon) -> None:
    ours = services.add_action_item(
        case, actor=ania, title="Replace the pump", party="us", due=soon, owner=piotr
    )
    with pytest.raises(PermissionDenied):
        services.complete_action_item(ours, via="portal")
    ours.refresh_from_db()
    assert ours.done_at is None


def test_staff_complete_items_on_cases_they_work_on(case, ania, piotr, boryana, soon) -> None:
    ours = services.add_action_item(
        case, actor=ania, title="Replace the pump", party="us", due=soon, owner=piotr
    )
    with pytest.raises(PermissionDenied):
        services.complete_action_item(ours, actor=boryana)
    services.complete_action_item(ours, actor=piotr)  # its owner
    ours.refresh_from_db()
    assert ours.done_at is not None


def test_another_teams_agent_cannot_add_items(case, boryana, soon) -> None:
    with pytest.raises(PermissionDenied):
        services.add_action_item(case, actor=boryana, title="x", party="customer", due=soon)
