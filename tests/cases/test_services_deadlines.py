"""Commitments (the dated next step) and the statutory clock on a case, and the deadline sweep."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from amends.cases import services
from amends.cases.models import Case, Customer, DeadlineRuleSetting, Event, EventKind, State
from tests.conftest import aware
from tests.resolution.helpers import make_resolvable

RECEIVED = "2026-03-02T10:00"


@pytest.fixture
def case(make_case, customer_pl, ania) -> Case:
    with time_machine.travel(aware(RECEIVED), tick=False):
        return make_case(customer_pl, owner=ania, received_at=aware(RECEIVED))


@time_machine.travel(aware("2026-03-04T09:00"), tick=False)
def test_set_commitment_records_a_customer_visible_event(case: Case, ania) -> None:
    case = services.set_commitment(case, due=date(2026, 3, 12), actor=ania, note="Technician visit")
    assert case.commitment_due == aware("2026-03-12T23:59:59")
    event = case.events.get(kind=EventKind.COMMITMENT_SET)
    assert event.is_customer_visible
    assert event.data["note"] == "Technician visit"


@time_machine.travel(aware("2026-03-04T09:00"), tick=False)
def test_a_commitment_after_the_statutory_date_is_refused_and_changes_nothing(
    case: Case, ania
) -> None:
    before = (case.commitment_due, Event.objects.count())
    with pytest.raises(ValidationError, match="after the statutory deadline of 2026-03-16"):
        services.set_commitment(case, due=date(2026, 3, 17), actor=ania)
    case.refresh_from_db()
    assert (case.commitment_due, Event.objects.count()) == before
    # The last day itself is allowed.
    assert (
        services.set_commitment(case, due=date(2026, 3, 16), actor=ania).commitment_due
        == case.statutory_due
    )


@time_machine.travel(aware("2026-03-04T09:00"), tick=False)
def test_a_commitment_in_the_past_is_refused(case: Case, ania) -> None:
    with pytest.raises(ValidationError, match="past"):
        services.set_commitment(case, due=date(2026, 3, 3), actor=ania)


@time_machine.travel(aware("2026-03-04T09:00"), tick=False)
def test_after_a_substantive_answer_the_commitment_may_go_past_the_statutory_date(
    case: Case, ania
) -> None:
    case = services.record_reply(
        case, actor=ania, text="Odpowiedź: uznajemy reklamację.", substantive=True
    )
    assert case.answered_at is not None
    case = services.set_commitment(case, due=date(2026, 3, 30), actor=ania)
    assert case.commitment_due == aware("2026-03-30T23:59:59")


@time_machine.travel(aware("2026-03-04T09:00"), tick=False)
def test_a_reply_can_set_the_next_step(case: Case, ania) -> None:
    case = services.record_reply(
        case, actor=ania, text="Zadzwonię w piątek.", next_step=date(2026, 3, 6)
    )
    assert case.commitment_due == aware("2026-03-06T23:59:59")
    reply = case.events.get(kind=EventKind.REPLY)
    assert reply.is_customer_visible
    assert reply.data["substantive"] is False
    assert case.events.filter(kind=EventKind.COMMITMENT_SET).count() == 1
    with pytest.raises(ValidationError, match="cannot be empty"):
        services.record_reply(case, actor=ania, text=" ")


def test_the_organisation_can_roll_polish_deadlines_off_holidays(
    make_case, customer_pl, ania
) -> None:
    DeadlineRuleSetting.objects.create(rule_id="PL-CONSUMER-14D", holiday_rollover=True)
    with time_machine.travel(aware("2026-10-28T09:00"), tick=False):
        case = make_case(customer_pl, owner=ania, received_at=aware("2026-10-28T09:00"))
    assert case.statutory_due == aware("2026-11-12T23:59:59")


def test_financial_client_extension_to_60_days_needs_a_reason_and_is_allowed_once(
    make_case, ania
) -> None:
    client = Customer.objects.create(
        name="Tomasz", jurisdiction="PL", kind="financial_client", language="pl"
    )
    with time_machine.travel(aware(RECEIVED), tick=False):
        case = make_case(client, owner=ania, received_at=aware(RECEIVED))
        assert case.statutory_due == aware("2026-04-01T23:59:59")
        with pytest.raises(ValidationError, match="reason"):
            services.extend_statutory(case, actor=ania, reason="")
        case = services.extend_statutory(
            case, actor=ania, reason="Waiting for the card network's records."
        )
        assert case.statutory_due == aware("2026-05-01T23:59:59")
        assert case.events.get(kind=EventKind.STATUTORY_EXTENDED).is_customer_visible
        with pytest.raises(ValidationError, match="already"):
            services.extend_statutory(case, actor=ania, reason="again")


def test_a_consumer_deadline_cannot_be_extended(case: Case, ania) -> None:
    with pytest.raises(ValidationError, match="allows no extension"):
        services.extend_statutory(case, actor=ania, reason="complex")


def test_extension_after_the_original_deadline_is_refused(make_case, ania) -> None:
    client = Customer.objects.create(
        name="Tomasz", jurisdiction="PL", kind="financial_client", language="pl"
    )
    with time_machine.travel(aware(RECEIVED), tick=False):
        case = make_case(client, owner=ania, received_at=aware(RECEIVED))
    with time_machine.travel(aware("2026-04-02T08:00"), tick=False):
        with pytest.raises(ValidationError, match="before the original deadline"):
            services.extend_statutory(case, actor=ania, reason="late")


def test_sweep_warns_three_days_before_deemed_acceptance_and_records_the_miss_once(
    case: Case, ania
) -> None:
    with time_machine.travel(aware("2026-03-12T09:00"), tick=False):
        assert services.sweep_deadlines()["statutory_at_risk"] == 0
    with time_machine.travel(aware("2026-03-14T09:00"), tick=False):
        counts = services.sweep_deadlines()
        assert counts["statutory_at_risk"] == 1
        assert services.sweep_deadlines()["statutory_at_risk"] == 0, "recorded once"
    with time_machine.travel(aware("2026-03-17T00:30"), tick=False):
        counts = services.sweep_deadlines()
        assert counts["statutory_missed"] == 1
        assert services.sweep_deadlines() == dict.fromkeys(counts, 0)
    statutory = case.events.filter(data__deadline="statutory").values_list("kind", flat=True)
    assert list(statutory) == [EventKind.DEADLINE_AT_RISK, EventKind.DEADLINE_MISSED]
    missed = case.events.get(kind=EventKind.DEADLINE_MISSED, data__deadline="statutory")
    assert "deemed accepted" in missed.data["consequence"]
    commitment = case.events.filter(data__deadline="commitment").values_list("kind", flat=True)
    assert list(commitment) == [EventKind.DEADLINE_MISSED]


def test_sweep_ignores_answered_and_closed_cases(case: Case, ania) -> None:
    with time_machine.travel(aware("2026-03-04T09:00"), tick=False):
        make_resolvable(case, ania)
        for step in (State.ACKNOWLEDGED, State.RESOLUTION_PROPOSED, State.RESOLVED):
            case = services.change_state(case, to=step, actor=ania)
    with time_machine.travel(aware("2026-04-30T09:00"), tick=False):
        assert sum(services.sweep_deadlines().values()) == 0


def test_a_new_commitment_rearms_the_commitment_warning(case: Case, ania) -> None:
    with time_machine.travel(aware("2026-03-10T09:00"), tick=False):
        assert services.sweep_deadlines()["commitment_missed"] == 1
        services.set_commitment(case, due=date(2026, 3, 11), actor=ania)
    with time_machine.travel(aware("2026-03-12T09:00"), tick=False):
        assert services.sweep_deadlines()["commitment_missed"] == 1


def test_overdue_and_due_soon_statuses(case: Case) -> None:
    assert case.commitment_status(at=aware("2026-03-03T09:00")) == "on_track"
    assert case.commitment_status(at=aware("2026-03-08T09:00")) == "due_soon"
    assert case.commitment_status(at=aware("2026-03-10T09:00")) == "overdue"
    assert case.worst_status(at=aware("2026-03-10T09:00")) == "overdue"
    assert Case.objects.overdue(aware("2026-03-10T09:00")).get() == case
    assert not Case.objects.overdue(aware("2026-03-03T09:00")).exists()
    assert case.statutory_status(at=aware("2026-03-16T09:00"), soon_days=2) == "due_soon"
    assert timedelta(0) < case.statutory_due - aware("2026-03-16T09:00") < timedelta(days=1)
