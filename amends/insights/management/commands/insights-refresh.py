"""`amends insights-refresh`: recompute the insights dashboard's standard snapshots now
(the worker does it every --insights-every seconds; docs/operators.md, "Insights at scale")."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amends.insights.snapshots import refresh_snapshots


class Command(BaseCommand):
    help = (
        "Recompute the insights dashboard for the default period and the last 365 days, for "
        "the managers and each active agent, in each UI language, and store the snapshots."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--language",
            action="append",
            default=[],
            help="Only this UI language (repeatable); every language by default.",
        )

    def handle(self, *args: Any, language: list[str], **options: Any) -> None:
        known = {code for code, _name in settings.LANGUAGES}
        unknown = sorted(set(language) - known)
        if unknown:
            raise CommandError(f"Unknown language: {', '.join(unknown)}")
        started = time.monotonic()
        stored = refresh_snapshots(languages=language or None)
        self.stdout.write(f"{stored} snapshots stored in {time.monotonic() - started:.1f} s")
