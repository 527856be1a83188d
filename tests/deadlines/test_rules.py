"""Statutory deadlines, with the dated examples of the sources (shared/reference/complaint-rules.md)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from amends.deadlines import engine
from tests.conftest import aware


def due(
    jurisdiction: str, kind: str, received: str, tz: str = "Europe/Warsaw", **kw: object
) -> engine.Deadline:
    return engine.statutory_deadline(
        jurisdiction=jurisdiction, customer_kind=kind, received_at=aware(received, tz), **kw
    )


def test_polish_consumer_complaint_received_monday_2_march_is_due_monday_16_march() -> None:
    # The source's example: day 1 is Tue 3 Mar, day 14 is Mon 16 Mar, at the end of that day.
    deadline = due("PL", "consumer", "2026-03-02T10:00")
    assert deadline.rule.id == "PL-CONSUMER-14D"
    assert deadline.due_date == date(2026, 3, 16)
    assert deadline.due_at == aware("2026-03-16T23:59:59")
    assert "deemed accepted" in deadline.rule.consequence_in("en")


def test_day_of_receipt_is_the_day_in_poland_not_in_utc() -> None:
    # 23:30 UTC on 2 March is already 3 March in Warsaw: the clock starts from the Polish date.
    deadline = due("PL", "consumer", "2026-03-02T23:30", tz="UTC")
    assert deadline.due_date == date(2026, 3, 17)


def test_deadline_on_a_polish_holiday_stays_there_by_default() -> None:
    # Received Wed 28 Oct 2026: day 14 is Wed 11 Nov, Independence Day. Art. 115 k.c. roll-over is
    # debated, so the rule's default keeps the earlier, safe date.
    deadline = due("PL", "consumer", "2026-10-28T09:00")
    assert deadline.due_date == date(2026, 11, 11)


def test_deadline_on_a_polish_holiday_moves_to_next_working_day_when_the_organisation_chooses() -> (
    None
):
    deadline = due("PL", "consumer", "2026-10-28T09:00", holiday_rollover=True)
    assert deadline.due_date == date(2026, 11, 12)


def test_rollover_skips_a_weekend_and_a_holiday_together() -> None:
    # Received Fri 18 Dec 2026: day 14 is Fri 1 Jan 2027 (New Year), then a weekend -> Mon 4 Jan.
    deadline = due("PL", "consumer", "2026-12-18T12:00", holiday_rollover=True)
    assert deadline.due_date == date(2027, 1, 4)


def test_polish_financial_client_has_30_days_extendable_to_60() -> None:
    deadline = due("PL", "financial_client", "2026-03-02T10:00")
    assert deadline.rule.id == "PL-FINANCIAL-30D"
    assert deadline.due_date == date(2026, 4, 1)
    assert deadline.extended_due_date == date(2026, 5, 1)
    assert "as the client wished" in deadline.rule.consequence_in("en")


def test_bulgarian_consumer_complaint_must_be_remedied_within_one_month() -> None:
    deadline = due("BG", "consumer", "2026-03-02T10:00", tz="Europe/Sofia")
    assert deadline.rule.id == "BG-CONSUMER-1M"
    assert deadline.due_date == date(2026, 4, 2)


def test_one_month_from_31_january_ends_on_the_last_day_of_february() -> None:
    assert due("BG", "consumer", "2026-01-31T10:00", tz="Europe/Sofia").due_date == date(
        2026, 2, 28
    )
    assert due("BG", "consumer", "2028-01-31T10:00", tz="Europe/Sofia").due_date == date(
        2028, 2, 29
    )


@pytest.mark.parametrize(
    ("jurisdiction", "kind"),
    [
        ("FI", "consumer"),
        ("FI", "business"),
        ("PL", "business"),
        ("BG", "business"),
        ("DE", "consumer"),
    ],
)
def test_no_statutory_reply_deadline_leaves_the_organisation_policy(
    jurisdiction: str, kind: str
) -> None:
    deadline = due(jurisdiction, kind, "2026-03-02T10:00")
    assert deadline.rule.id == "NONE"
    assert deadline.due_date is None
    assert deadline.due_at is None


def test_business_days_skip_weekends_and_holidays() -> None:
    # 5 working days from Tue 10 Nov 2026 in Poland: 11 Nov is a holiday, 14-15 a weekend.
    assert engine.add_business_days(date(2026, 11, 10), 5, "PL") == date(2026, 11, 18)
    # Finland's Independence Day, 6 Dec 2027, is a Monday.
    assert engine.add_business_days(date(2027, 12, 3), 1, "FI") == date(2027, 12, 7)


def test_unknown_customer_kind_is_a_clear_error() -> None:
    with pytest.raises(engine.DeadlineError, match="customer kind must be one of"):
        engine.find_rule("PL", "pensioner")


def test_naive_receipt_time_is_refused() -> None:
    from datetime import datetime

    with pytest.raises(engine.DeadlineError, match="time zone"):
        engine.statutory_deadline(
            jurisdiction="PL", customer_kind="consumer", received_at=datetime(2026, 3, 2)
        )


def test_commitment_never_falls_after_the_statutory_deadline() -> None:
    received = aware("2026-03-02T10:00")
    statutory = due("PL", "consumer", "2026-03-02T10:00").due_at
    week = engine.commitment_deadline(
        jurisdiction="PL", received_at=received, days=7, statutory_due_at=statutory
    )
    assert week.date() == date(2026, 3, 9)
    month = engine.commitment_deadline(
        jurisdiction="PL", received_at=received, days=30, statutory_due_at=statutory
    )
    assert month == statutory


def test_every_rule_names_its_source_and_consequence_in_four_languages() -> None:
    for rule in engine.load_rules():
        assert rule.source
        assert set(rule.consequence) >= {"en", "pl", "bg", "fi"}, rule.id


@pytest.mark.django_db
def test_deadline_command_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    call_command(
        "deadline",
        "--jurisdiction",
        "PL",
        "--customer-kind",
        "consumer",
        "--received",
        "2026-03-02T10:00",
        "--json",
    )
    result = json.loads(capsys.readouterr().out)
    assert result["statutory_due"] == "2026-03-16"
    assert result["rule"] == "PL-CONSUMER-14D"
    assert result["default_commitment"] == "2026-03-09"
    assert "deemed accepted" in result["consequence"]


@pytest.mark.django_db
def test_deadline_command_reports_bad_input() -> None:
    with pytest.raises(CommandError, match="not an ISO date"):
        call_command(
            "deadline",
            "--jurisdiction",
            "PL",
            "--customer-kind",
            "consumer",
            "--received",
            "yesterday",
        )
    with pytest.raises(CommandError, match="two-letter"):
        call_command(
            "deadline",
            "--jurisdiction",
            "Poland",
            "--customer-kind",
            "consumer",
            "--received",
            "2026-03-02",
        )
