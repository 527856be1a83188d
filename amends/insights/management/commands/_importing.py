"""What the two ledger imports share: read the file, call the service, report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from amends.insights.services import ImportResult, read_csv


class LedgerImport(BaseCommand):
    columns: tuple[str, ...] = ()
    required: tuple[str, ...] = ()

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A CSV file with a header row.")
        parser.add_argument("--encoding", default="utf-8")

    def run(self, path: Path, encoding: str, store: Callable[..., ImportResult]) -> None:
        try:
            text = path.read_text(encoding=encoding)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}
            ) from None
        try:
            result = store(read_csv(text, self.columns, self.required), path)
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(_("Nothing was imported.")) from None
        self.stdout.write(
            _("%(created)s new, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        )
