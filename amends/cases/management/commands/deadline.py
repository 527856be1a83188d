"""`amends deadline`: the statutory deadline and default commitment for a complaint."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amends.deadlines import engine


class Command(BaseCommand):
    help = (
        "Print the statutory deadline, its rule and consequence, and the default commitment date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jurisdiction", required=True, help="Country code, e.g. PL, BG, FI.")
        parser.add_argument("--customer-kind", required=True, choices=engine.CUSTOMER_KINDS)
        parser.add_argument(
            "--received",
            required=True,
            help="When the complaint arrived, ISO 8601 (local time of the jurisdiction).",
        )
        parser.add_argument(
            "--commitment-days", type=int, default=None, help="Default: the organisation setting."
        )
        parser.add_argument("--holiday-rollover", choices=["yes", "no"], default=None)
        parser.add_argument("--language", default="en", choices=["en", "pl", "bg", "fi"])
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args: Any, **opts: Any) -> None:
        jurisdiction = opts["jurisdiction"].upper()
        if len(jurisdiction) != 2 or not jurisdiction.isalpha():
            raise CommandError("--jurisdiction must be a two-letter country code, e.g. PL")
        try:
            received_at = datetime.fromisoformat(opts["received"])
        except ValueError:
            raise CommandError(
                f"--received is not an ISO date or date-time: {opts['received']!r}"
            ) from None
        if received_at.tzinfo is None:
            received_at = received_at.replace(tzinfo=engine.zone_for(jurisdiction))
        days = opts["commitment_days"]
        if days is None:
            days = _organisation_commitment_days()
        if days < 1:
            raise CommandError("--commitment-days must be at least 1")
        rollover = {"yes": True, "no": False, None: None}[opts["holiday_rollover"]]
        try:
            deadline = engine.statutory_deadline(
                jurisdiction=jurisdiction,
                customer_kind=opts["customer_kind"],
                received_at=received_at,
                holiday_rollover=rollover,
            )
        except engine.DeadlineError as exc:
            raise CommandError(str(exc)) from None
        commitment = engine.commitment_deadline(
            jurisdiction=jurisdiction,
            received_at=received_at,
            days=days,
            statutory_due_at=deadline.due_at,
        )
        rule = deadline.rule
        result = {
            "jurisdiction": jurisdiction,
            "customer_kind": opts["customer_kind"],
            "received_at": received_at.isoformat(),
            "rule": rule.id,
            "statutory_due": deadline.due_date.isoformat() if deadline.due_date else None,
            "statutory_due_at": deadline.due_at.isoformat() if deadline.due_at else None,
            "extended_due": deadline.extended_due_date.isoformat()
            if deadline.extended_due_date
            else None,
            "day_type": rule.day_type,
            "holiday_rollover": rule.holiday_rollover,
            "stops_when": rule.stops,
            "consequence": rule.consequence_in(opts["language"]),
            "source": rule.source,
            "caveat": rule.caveat,
            "default_commitment": commitment.date().isoformat(),
            "commitment_days": days,
        }
        if opts["as_json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        due = result["statutory_due"] or "none (organisation policy applies)"
        self.stdout.write(f"Rule:               {rule.id}")
        self.stdout.write(f"Statutory deadline: {due}")
        if result["extended_due"]:
            self.stdout.write(f"With reasoned notice: {result['extended_due']}")
        self.stdout.write(f"If missed:          {result['consequence']}")
        self.stdout.write(f"Default commitment: {result['default_commitment']} ({days} days)")
        self.stdout.write(f"Source:             {rule.source}")
        self.stdout.write(f"Caveat:             {rule.caveat}")


def _organisation_commitment_days() -> int:
    """The organisation's setting when the database is there; the built-in default otherwise."""
    from django.conf import settings
    from django.db import DatabaseError

    try:
        from amends.cases.models import OrganisationSettings

        row = (
            OrganisationSettings.objects.filter(pk=1)
            .values_list("default_commitment_days", flat=True)
            .first()
        )
    except DatabaseError:
        row = None
    return int(row or settings.AMENDS_DEFAULT_COMMITMENT_DAYS)
