"""No resolution without the cause and the fault (B-1); a manager may override with a reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amends.cases import services as case_services
from amends.cases.models import Event, EventKind, State, Visibility
from amends.resolution import services
from amends.resolution.models import Fault
from tests.resolution.helpers import make_resolvable


@pytest.fixture
def proposed(case, ania):
    return case_services.change_state(case, to=State.RESOLUTION_PROPOSED, actor=ania)


def test_missing_items_are_listed(proposed) -> None:
    assert services.missing_for_resolution(proposed) == [
        "The root cause is not recorded.",
        "The fault is not determined.",
    ]


def test_the_generic_state_change_refuses_to_resolve_without_cause_and_fault(
    proposed, ania, cause
) -> None:
    before = Event.objects.count()
    with pytest.raises(ValidationError) as error:
        case_services.change_state(proposed, to=State.RESOLVED, actor=ania)
    assert error.value.messages == [
        "The root cause is not recorded.",
        "The fault is not determined.",
    ]
    services.set_root_cause(proposed, actor=ania, cause=cause)
    with pytest.raises(ValidationError, match="fault is not determined"):
        case_services.change_state(proposed, to=State.RESOLVED, actor=ania)
    proposed.refresh_from_db()
    assert proposed.state == State.RESOLUTION_PROPOSED
    assert Event.objects.count() == before + 1  # only the root cause


def test_with_cause_and_fault_the_owner_resolves(proposed, ania, cause) -> None:
    services.set_root_cause(proposed, actor=ania, cause=cause)
    services.set_fault(proposed, actor=ania, fault=Fault.NONE)
    case = services.resolve(proposed, actor=ania)
    assert case.state == State.RESOLVED
    assert case.resolved_at is not None
    assert not case.events.filter(kind=EventKind.RESOLVE_OVERRIDE).exists()


def test_an_agent_cannot_override(proposed, ania) -> None:
    with pytest.raises(PermissionDenied, match="Only a manager"):
        services.resolve(proposed, actor=ania, override_reason="Customer is happy")
    proposed.refresh_from_db()
    assert proposed.state == State.RESOLUTION_PROPOSED
    assert not proposed.events.filter(kind=EventKind.RESOLVE_OVERRIDE).exists()


def test_without_a_reason_even_a_manager_gets_the_missing_items(proposed, marta) -> None:
    with pytest.raises(ValidationError, match="root cause is not recorded"):
        services.resolve(proposed, actor=marta, override_reason="   ")


def test_a_manager_overrides_with_a_reason_that_is_recorded(proposed, marta) -> None:
    case = services.resolve(proposed, actor=marta, override_reason="Goodwill; cause unknowable")
    assert case.state == State.RESOLVED
    override = case.events.get(kind=EventKind.RESOLVE_OVERRIDE)
    assert override.actor == marta
    assert override.visibility == Visibility.INTERNAL
    assert override.data["reason"] == "Goodwill; cause unknowable"
    assert len(override.data["missing"]) == 2
    assert case.events.last().data == {
        "from": State.RESOLUTION_PROPOSED,
        "to": State.RESOLVED,
        "reason": "Goodwill; cause unknowable",
    }


def test_an_investigated_case_passes_through_proposed_to_resolved(case, ania, cause) -> None:
    case = case_services.change_state(case, to=State.INVESTIGATING, actor=ania)
    make_resolvable(case, ania)
    case = services.resolve(case, actor=ania)
    assert case.state == State.RESOLVED
    steps = case.events.filter(kind=EventKind.STATE_CHANGED).values_list("data__to", flat=True)
    assert list(steps)[-2:] == [State.RESOLUTION_PROPOSED, State.RESOLVED]


def test_an_override_from_a_state_that_cannot_resolve_leaves_no_trace(ania_case, marta) -> None:
    before = Event.objects.count()
    with pytest.raises(ValidationError, match="cannot go from"):
        services.resolve(ania_case, actor=marta, override_reason="Just close it")
    ania_case.refresh_from_db()
    assert ania_case.state == State.RECEIVED
    assert Event.objects.count() == before


def test_another_teams_agent_cannot_resolve(proposed, boryana) -> None:
    with pytest.raises(PermissionDenied):
        services.resolve(proposed, actor=boryana)
