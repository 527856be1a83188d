"""Statutory and commitment deadlines: the rules table and the one function that computes them.

All deadline arithmetic happens here, in the jurisdiction's own time zone; results are aware
datetimes at the last moment of the due day, which the database stores in UTC.
"""

from __future__ import annotations

import calendar
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays

RULES_FILE = Path(__file__).with_name("rules.toml")
CUSTOMER_KINDS = ("consumer", "business", "financial_client")

# The time zone a jurisdiction's deadlines are counted in; others fall back to the site's zone.
JURISDICTION_TZ = {
    "PL": "Europe/Warsaw",
    "BG": "Europe/Sofia",
    "FI": "Europe/Helsinki",
    "EE": "Europe/Tallinn",
    "SE": "Europe/Stockholm",
    "DE": "Europe/Berlin",
    "CZ": "Europe/Prague",
    "SK": "Europe/Bratislava",
    "RO": "Europe/Bucharest",
    "GB": "Europe/London",
    "IE": "Europe/Dublin",
}


class DeadlineError(ValueError):
    """Bad input to the deadline engine (unknown kind, malformed rule)."""


@dataclass(frozen=True)
class Rule:
    id: str
    jurisdiction: str
    customer_kinds: tuple[str, ...]
    days: int | None
    months: int | None
    day_type: str
    start: str
    holiday_rollover: bool
    extension_days: int
    stops: str
    source: str
    caveat: str
    consequence: dict[str, str] = field(default_factory=dict)

    @property
    def has_deadline(self) -> bool:
        return bool(self.days or self.months)

    def consequence_in(self, language: str) -> str:
        return self.consequence.get(language) or self.consequence.get("en", "")


@dataclass(frozen=True)
class Deadline:
    rule: Rule
    due_date: date | None
    due_at: datetime | None
    extended_due_date: date | None = None


def _parse_rule(raw: dict[str, object]) -> Rule:
    try:
        rule = Rule(
            id=str(raw["id"]),
            jurisdiction=str(raw["jurisdiction"]).upper(),
            customer_kinds=tuple(raw["customer_kinds"]),  # type: ignore[arg-type]
            days=raw.get("days"),  # type: ignore[arg-type]
            months=raw.get("months"),  # type: ignore[arg-type]
            day_type=str(raw.get("day_type", "calendar")),
            start=str(raw.get("start", "day_after_receipt")),
            holiday_rollover=bool(raw.get("holiday_rollover", False)),
            extension_days=int(raw.get("extension_days", 0)),  # type: ignore[call-overload]
            stops=str(raw.get("stops", "")),
            source=str(raw.get("source", "")),
            caveat=str(raw.get("caveat", "")),
            consequence=dict(raw.get("consequence", {})),  # type: ignore[call-overload]
        )
    except KeyError as exc:
        raise DeadlineError(f"rule {raw.get('id', '?')}: missing key {exc}") from None
    if rule.day_type not in ("calendar", "business"):
        raise DeadlineError(f"rule {rule.id}: day_type must be calendar or business")
    if rule.start not in ("day_after_receipt", "receipt_date"):
        raise DeadlineError(f"rule {rule.id}: start must be day_after_receipt or receipt_date")
    unknown = set(rule.customer_kinds) - set(CUSTOMER_KINDS)
    if unknown:
        raise DeadlineError(f"rule {rule.id}: unknown customer kinds {sorted(unknown)}")
    return rule


@cache
def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    rules = tuple(_parse_rule(raw) for raw in data.get("rule", []))
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise DeadlineError("rule ids must be unique")
    return rules


def rule_by_id(rule_id: str) -> Rule:
    for rule in load_rules():
        if rule.id == rule_id:
            return rule
    raise DeadlineError(f"unknown rule {rule_id!r}")


def find_rule(jurisdiction: str, customer_kind: str) -> Rule:
    if customer_kind not in CUSTOMER_KINDS:
        raise DeadlineError(
            f"customer kind must be one of {', '.join(CUSTOMER_KINDS)}, not {customer_kind!r}"
        )
    code = jurisdiction.upper()
    for rule in load_rules():
        if rule.jurisdiction in (code, "*") and customer_kind in rule.customer_kinds:
            return rule
    raise DeadlineError(f"no rule for {code}/{customer_kind}")


def zone_for(jurisdiction: str, default: str = "Europe/Warsaw") -> ZoneInfo:
    return ZoneInfo(JURISDICTION_TZ.get(jurisdiction.upper(), default))


def _holidays(country: str, years: range) -> holidays.HolidayBase | None:
    try:
        return holidays.country_holidays(country.upper(), years=years)
    except NotImplementedError:
        return None


def is_working_day(day: date, country: str) -> bool:
    if day.weekday() >= 5:
        return False
    cal = _holidays(country, range(day.year, day.year + 1))
    return cal is None or day not in cal


def next_working_day(day: date, country: str) -> date:
    while not is_working_day(day, country):
        day += timedelta(days=1)
    return day


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_business_days(start: date, days: int, country: str) -> date:
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, country):
            counted += 1
    return day


def _count(
    rule: Rule, received: date, jurisdiction: str, days: int | None, months: int | None
) -> date:
    if months:
        due = add_months(received, months)
    elif days and rule.day_type == "business":
        due = add_business_days(received, days, jurisdiction)
    elif days:
        # day_after_receipt: day 1 is the day after receipt, so day N is received + N (art. 111 k.c.).
        offset = days if rule.start == "day_after_receipt" else days - 1
        due = received + timedelta(days=offset)
    else:
        raise DeadlineError(f"rule {rule.id} has no period")
    if rule.holiday_rollover:
        due = next_working_day(due, jurisdiction)
    return due


def end_of_day(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz)


def statutory_deadline(
    *,
    jurisdiction: str,
    customer_kind: str,
    received_at: datetime,
    rule: Rule | None = None,
    holiday_rollover: bool | None = None,
) -> Deadline:
    """The statutory deadline for a complaint received at `received_at` (an aware datetime).

    `holiday_rollover` overrides the rule's own setting (the organisation's choice, see rules.toml).
    """
    if received_at.tzinfo is None:
        raise DeadlineError("received_at must carry a time zone")
    rule = rule or find_rule(jurisdiction, customer_kind)
    if holiday_rollover is not None and holiday_rollover != rule.holiday_rollover:
        rule = replace(rule, holiday_rollover=holiday_rollover)
    if not rule.has_deadline:
        return Deadline(rule=rule, due_date=None, due_at=None)
    tz = zone_for(jurisdiction)
    received = received_at.astimezone(tz).date()
    due = _count(rule, received, jurisdiction, rule.days, rule.months)
    extended = (
        _count(rule, received, jurisdiction, rule.extension_days, None)
        if rule.extension_days
        else None
    )
    return Deadline(rule=rule, due_date=due, due_at=end_of_day(due, tz), extended_due_date=extended)


def commitment_deadline(
    *, jurisdiction: str, received_at: datetime, days: int, statutory_due_at: datetime | None
) -> datetime:
    """The default commitment: `days` after receipt, never after the statutory deadline."""
    tz = zone_for(jurisdiction)
    due = end_of_day(received_at.astimezone(tz).date() + timedelta(days=days), tz)
    if statutory_due_at is not None and due > statutory_due_at:
        return statutory_due_at
    return due
