"""One owner per case (PRODUCT.md C-b): automatic assignment, acknowledgement, hand-over."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from amends.cases import services
from amends.cases.models import (
    Case,
    Customer,
    Event,
    EventKind,
    OrganisationSettings,
    State,
    Visibility,
)


@pytest.fixture
def customer_bg(db) -> Customer:
    return Customer.objects.create(
        name="Георги Иванов", language="bg", jurisdiction="BG", kind="consumer"
    )


def test_new_case_goes_to_the_least_loaded_agent_who_speaks_its_language(
    make_case, customer_pl, ania, piotr, boryana
) -> None:
    first = make_case(customer_pl)
    second = make_case(customer_pl)
    third = make_case(customer_pl)
    owners = [first.owner, second.owner, third.owner]
    assert set(owners[:2]) == {ania, piotr}, "both Polish speakers get one before anyone gets two"
    assert boryana not in owners
    assigned = first.events.get(kind=EventKind.OWNER_ASSIGNED)
    assert assigned.data["automatic"] is True
    assert assigned.visibility == Visibility.CUSTOMER


def test_a_bulgarian_case_goes_to_the_bulgarian_speaker(
    make_case, customer_bg, ania, boryana
) -> None:
    case = make_case(customer_bg, subject="Хладилникът не охлажда", description="Не работи.")
    assert case.owner == boryana
    assert case.team == boryana.team


def test_with_no_speaker_of_the_language_the_least_loaded_agent_takes_it(make_case, ania) -> None:
    finnish = Customer.objects.create(name="Mikko", language="fi", jurisdiction="FI")
    assert make_case(finnish, subject="Vuoto", description="Kone vuotaa.").owner == ania


def test_automatic_assignment_can_be_switched_off(make_case, customer_pl, ania) -> None:
    OrganisationSettings.objects.update_or_create(pk=1, defaults={"auto_assign": False})
    case = make_case(customer_pl)
    assert case.owner is None
    assert not case.events.filter(kind=EventKind.OWNER_ASSIGNED).exists()


def test_acknowledging_an_unowned_case_makes_the_actor_its_owner(
    make_case, customer_pl, piotr
) -> None:
    OrganisationSettings.objects.update_or_create(pk=1, defaults={"auto_assign": False})
    case = services.acknowledge(make_case(customer_pl), actor=piotr)
    assert case.owner == piotr
    assert case.state == State.ACKNOWLEDGED


def test_the_database_refuses_an_acknowledged_case_without_owner(ania_case: Case) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=ania_case.pk).update(state=State.ACKNOWLEDGED, owner=None)


def test_hand_over_names_the_new_owner_to_the_customer_and_keeps_the_reason_internal(
    ania_case: Case, ania, piotr
) -> None:
    case = services.hand_over(
        ania_case, to=piotr, actor=ania, reason="Ania is on leave from Monday"
    )
    assert case.owner == piotr
    event = case.events.get(kind=EventKind.HANDED_OVER)
    assert event.visibility == Visibility.CUSTOMER
    assert event.data["owner_name"] == "Piotr Wiśniewski"
    assert event.data["from_name"] == "Ania Nowak"
    assert event.data["reason"] == "Ania is on leave from Monday"
    assert event.actor == ania


@pytest.mark.parametrize("reason", ["", "   "])
def test_hand_over_without_a_reason_is_refused_and_changes_nothing(
    ania_case: Case, ania, piotr, reason
) -> None:
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="needs a reason"):
        services.hand_over(ania_case, to=piotr, actor=ania, reason=reason)
    ania_case.refresh_from_db()
    assert ania_case.owner == ania
    assert Event.objects.count() == events


def test_hand_over_to_the_current_owner_or_an_inactive_user_is_refused(
    ania_case: Case, ania, piotr
) -> None:
    with pytest.raises(ValidationError, match="already owns"):
        services.hand_over(ania_case, to=ania, actor=ania, reason="no change")
    piotr.is_active = False
    piotr.save()
    with pytest.raises(ValidationError, match="inactive"):
        services.hand_over(ania_case, to=piotr, actor=ania, reason="holiday")


def test_hand_over_moves_the_case_to_the_new_owners_team(ania_case: Case, ania, boryana) -> None:
    case = services.hand_over(
        ania_case, to=boryana, actor=ania, reason="Customer writes in Bulgarian"
    )
    assert case.team == boryana.team


def test_assign_owner_refuses_a_case_that_already_has_one(ania_case: Case, ania, piotr) -> None:
    with pytest.raises(ValidationError, match="hand it over"):
        services.assign_owner(ania_case, owner=piotr, actor=ania)
