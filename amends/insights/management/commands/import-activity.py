"""`amends import-activity FILE.csv`: purchases, renewals and cancellations (docs/operators.md)."""

from __future__ import annotations

from typing import Any

from amends.insights import services
from amends.insights.management.commands._importing import LedgerImport


class Command(LedgerImport):
    help = (
        "Import customer activity (columns customer_email, date, kind, amount, source, "
        "source_key). All rows or none; a row seen before is skipped."
    )
    columns = services.ACTIVITY_COLUMNS
    required = services.REQUIRED_ACTIVITY

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(
            options["path"],
            options["encoding"],
            lambda rows, path: services.import_activity(rows),
        )
