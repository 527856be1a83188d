"""`amends register-export [--year YYYY] [--output FILE]`: the Bulgarian complaint register
as CSV (UTF-8 with BOM, the KZP model columns), to standard output or a file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amends.intake import register


class Command(BaseCommand):
    help = "Export the Bulgarian complaint register (ЗЗП art. 127) as CSV for Excel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", help="Only complaints made in this year (Sofia time).")
        parser.add_argument(
            "--format", choices=["csv"], default="csv", help="File format (CSV only for now)."
        )
        parser.add_argument(
            "--output", "-o", type=Path, help="Write to this file instead of standard output."
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            year = register.parse_year(opts["year"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        found = register.entries(year).iterator()
        if opts["output"] is None:
            out = getattr(self.stdout, "_out", None) or sys.stdout
            register.write_csv(out, found)
            return
        with opts["output"].open("w", encoding="utf-8", newline="") as out:
            count = register.write_csv(out, found)
        self.stderr.write(
            ngettext(
                "%(count)s register entry written to %(path)s.",
                "%(count)s register entries written to %(path)s.",
                count,
            )
            % {"count": count, "path": opts["output"]}
        )
        if count == 0:
            self.stderr.write(_("The register has no entries for this period."))
