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
        "the scopes and UI languages in use (opened in the last 14 days, and the managers' in "
        "the default language), and store the snapshots."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--language",
            action="append",
            default=[],
            help="Only this UI language (repeatable); every language in use by default.",
        )
        parser.add_argument(
            "--everyone",
            action="store_true",
            help="Every active person's views in every language, not only those in use "
            "(e.g. before a roll-out, so nobody's first view is computed live).",
        )

    def handle(self, *args: Any, language: list[str], everyone: bool, **options: Any) -> None:
        known = {code for code, _name in settings.LANGUAGES}
        unknown = sorted(set(language) - known)
        if unknown:
            raise CommandError(f"Unknown language: {', '.join(unknown)}")
        started = time.monotonic()
        stored = refresh_snapshots(languages=language or None, everyone=everyone)
        self.stdout.write(f"{stored} snapshots stored in {time.monotonic() - started:.1f} s")
