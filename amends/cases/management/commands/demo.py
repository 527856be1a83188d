"""`amends demo`: load demo staff, customers and cases (only into an empty desk)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amends.cases import demo


class Command(BaseCommand):
    help = "Create demo staff, customers and cases in four languages, and print the staff logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the logins) when the desk has data.",
        )

    def handle(self, *args: Any, if_empty: bool, **options: Any) -> None:
        logins_file = Path(settings.DATA_DIR) / "demo-logins.txt"
        if demo.has_data():
            if not if_empty:
                raise CommandError(
                    "The desk already has data; demo data is only loaded into an empty desk."
                )
            if logins_file.exists():
                self._print(
                    logins_file.read_text().splitlines(), note="Demo logins (created on first run):"
                )
            return
        logins = demo.create_demo(logins_file)
        self._print(["\t".join(row) for row in logins], note="Demo data loaded. Staff logins:")

    def _print(self, rows: list[str], *, note: str) -> None:
        self.stdout.write(self.style.SUCCESS(note))
        for row in rows:
            username, password, role = row.split("\t")
            self.stdout.write(f"  {username:<10} {password:<20} {role}")
