"""The response times read the Case milestone columns instead of searching the timeline: each
column must equal the first event that marks its milestone, for cases walked through the real
services (acknowledgement, interim and substantive replies, proposal, resolution, reopening)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from amends.cases import services as cases
from amends.cases.models import Case, Event, EventKind, State
from amends.insights.metrics import Filters, _first_resolution, _since_receipt
from amends.resolution import services as resolution
from amends.resolution.models import Cause, Decision
from tests.insights.conftest import PROPOSAL, at, figure_of

pytestmark = pytest.mark.django_db

MARCH = Filters(start=date(2026, 3, 1), end=date(2026, 3, 31))


def _first(case: Case, kind: str, **data: Any) -> Any:
    events = Event.objects.filter(case=case, kind=kind).order_by("at", "id")
    return next(
        (e.at for e in events if all(e.data.get(k) == v for k, v in data.items())),
        None,
    )


def _first_answer(case: Case) -> Any:
    times = [
        _first(case, EventKind.REPLY, substantive=True),
        _first(case, EventKind.STATE_CHANGED, to=State.RESOLUTION_PROPOSED),
    ]
    return min((t for t in times if t is not None), default=None)


def _walked(make_case: Any, ania: Any, customer: Any, *, reopen: bool) -> Case:
    """Received 2 March; acknowledged, an interim reply, a proposal (the first substantive
    answer), agreed, resolved, closed; then, if `reopen`, reopened and resolved again."""
    group, _created = Cause.objects.get_or_create(name="Repairs", parent=None)
    cause, _created = Cause.objects.get_or_create(name="Seal", parent=group)
    with at("2026-03-02 08:00"):
        case = make_case(customer=customer, owner=ania, channel="email", language="pl")
    with at("2026-03-02 11:00"):
        cases.acknowledge(case, actor=ania)
    with at("2026-03-03 09:00"):
        cases.record_reply(case, actor=ania, text="Sprawdzamy.", substantive=False)
        resolution.set_root_cause(case, actor=ania, cause=cause)
        resolution.set_fault(case, actor=ania, fault="ours")
    with at("2026-03-04 10:00"):
        proposal = resolution.propose(
            case,
            actor=ania,
            message=PROPOSAL,
            options=[{"kind": "repair", "description": "Naprawa", "due": date(2026, 3, 12)}],
        )
        resolution.decide_option(
            proposal.options.get(), decision=Decision.ACCEPTED, via="email", actor=ania
        )
    with at("2026-03-05 08:00"):
        cases.record_reply(case, actor=ania, text="Naprawimy pralkę.", substantive=True)
    with at("2026-03-06 12:00"):
        case = resolution.resolve(case, actor=ania)
    with at("2026-03-07 08:00"):
        case = cases.change_state(case, to=State.CLOSED, actor=ania)
    if reopen:
        with at("2026-03-09 08:00"):
            case = cases.change_state(
                case, to=State.INVESTIGATING, actor=ania, reason="Znowu cieknie."
            )
        with at("2026-03-10 08:00"):
            case = resolution.resolve(case, actor=ania)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("reopen", [False, True], ids=["resolved once", "reopened"])
def test_each_milestone_column_equals_the_first_event_that_marks_it(
    make_case, ania, customer_pl, reopen
):
    case = _walked(make_case, ania, customer_pl, reopen=reopen)

    assert case.acknowledged_at == _first(case, EventKind.ACKNOWLEDGED)
    assert case.answered_at == _first_answer(case)
    # The proposal answered first: the later substantive reply does not move answered_at.
    assert case.answered_at == _first(case, EventKind.STATE_CHANGED, to=State.RESOLUTION_PROPOSED)
    first_resolution = _first(case, EventKind.STATE_CHANGED, to=State.RESOLVED)
    annotated = Case.objects.annotate(first=_first_resolution()).get(pk=case.pk)
    assert annotated.first == first_resolution
    resolutions = Event.objects.filter(
        case=case, kind=EventKind.STATE_CHANGED, data__to=State.RESOLVED
    ).order_by("at")
    # resolved_at is the latest resolution: after a reopening it is not the first one.
    assert case.resolved_at == resolutions.last().at
    assert (case.resolved_at != first_resolution) is reopen


def test_a_reopened_case_still_open_keeps_its_first_resolution(make_case, ania, customer_pl):
    case = _walked(make_case, ania, customer_pl, reopen=False)
    with at("2026-03-09 08:00"):
        case = cases.change_state(case, to=State.INVESTIGATING, actor=ania, reason="Znowu.")
    case.refresh_from_db()
    assert case.resolved_at is None
    annotated = Case.objects.annotate(first=_first_resolution()).get(pk=case.pk)
    assert annotated.first == _first(case, EventKind.STATE_CHANGED, to=State.RESOLVED)


def test_the_response_times_figure_equals_the_hours_read_off_the_timeline(
    make_case, ania, customer_pl
):
    walked = [
        _walked(make_case, ania, customer_pl, reopen=False),
        _walked(make_case, ania, customer_pl, reopen=True),
    ]
    rows = {row[0]: row for row in figure_of(ania, "response-times", MARCH).rows}

    def hours(case: Case, moment: Any) -> float:
        return (moment - case.received_at).total_seconds() / 3600

    expected = {
        "Acknowledgement": [hours(c, _first(c, EventKind.ACKNOWLEDGED)) for c in walked],
        "First substantive answer": [hours(c, _first_answer(c)) for c in walked],
        "Resolution": [
            hours(c, _first(c, EventKind.STATE_CHANGED, to=State.RESOLVED)) for c in walked
        ],
    }
    for label, values in expected.items():
        assert rows[label][1] == 2
        assert rows[label][2] == round(sum(values) / 2, 1)  # the median of two
    assert rows["Resolution"][2] == 100.0  # both first resolved on 6 March at noon
    assert Case.objects.annotate(d=_since_receipt(_first_resolution())).count() == 2
