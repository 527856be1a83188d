"""`amends import-revenue FILE.csv`: revenue per product line and period (docs/operators.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from amends.insights import services
from amends.insights.management.commands._importing import LedgerImport


class Command(LedgerImport):
    help = (
        "Import revenue per product or service line (columns product_line, period_start, "
        "period_end, amount, currency). All rows or none; a known line and period is updated."
    )
    columns = services.REVENUE_COLUMNS
    required = services.REVENUE_COLUMNS[:4]

    def handle(self, *args: Any, **options: Any) -> None:
        self.run(
            options["path"],
            options["encoding"],
            lambda rows, path: services.import_revenue(rows, source=Path(path).name),
        )
