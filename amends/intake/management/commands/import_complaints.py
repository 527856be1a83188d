"""`amends import FILE.csv | DIR | FILE.eml ...`: complaints from files, each through receive().

Idempotent: every row and file has a source key, so running the same import again stores
nothing twice. A refused item is reported and the rest go on; the exit status is 1 when
anything was refused.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from amends.intake.complaint import validate
from amends.intake.management.importing import BadFile, Item, Refused, items_for, reason
from amends.intake.models import Direction, Message
from amends.intake.services import receive


@dataclass
class Tally:
    imported: int = 0
    threaded: int = 0
    skipped: int = 0
    refused: list[str] = field(default_factory=list)


class Command(BaseCommand):
    help = (
        "Import complaints from CSV files (documented header) or .eml files and folders of "
        "them. Importing the same files again stores nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="CSV files, .eml files, folders.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and file and report; store nothing.",
        )
        parser.add_argument(
            "--encoding",
            default="utf-8",
            help="Encoding of CSV files (default utf-8; e.g. windows-1250 for older Excel).",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **opts: Any) -> None:
        tally = Tally()
        items: list[Item] = []
        for path in opts["paths"]:
            if not path.exists():
                tally.refused.append(_("%(path)s: no such file or folder.") % {"path": path})
                continue
            try:
                items.extend(items_for(path, encoding=opts["encoding"]))
            except BadFile as exc:
                tally.refused.append(str(exc))
            except OSError as exc:
                tally.refused.append(f"{path}: {exc.strerror or exc}")
        dry_run = opts["dry_run"]
        stream = self._progress_stream()
        progress = tqdm(
            items,
            total=len(items),
            unit=_("complaint"),
            file=stream,
            disable=opts["quiet"] or not stream.isatty(),
            dynamic_ncols=True,
        )
        seen: set[str] = set()
        for item in progress:
            try:
                if dry_run:
                    self._check(item, tally, seen)
                else:
                    self._import(item, tally)
            except Refused as exc:
                tally.refused.append(f"{item.label}: {exc}")
            except ValidationError as exc:
                tally.refused.append(f"{item.label}: {reason(exc)}")
        progress.close()
        self._report(tally, dry_run=dry_run)
        if tally.refused:
            raise CommandError(
                ngettext(
                    "%(count)s item was refused; nothing else changed for it.",
                    "%(count)s items were refused; nothing else changed for them.",
                    len(tally.refused),
                )
                % {"count": len(tally.refused)},
                returncode=1,
            )

    def _progress_stream(self) -> TextIO:
        # The bar writes carriage returns, which Django's OutputWrapper would end with newlines.
        out = getattr(self.stderr, "_out", None)
        return out if out is not None else sys.stderr

    def _import(self, item: Item, tally: Tally) -> None:
        result = receive(item.build())
        if result.duplicate:
            tally.skipped += 1
        elif result.created:
            tally.imported += 1
        else:
            tally.threaded += 1

    def _check(self, item: Item, tally: Tally, seen: set[str]) -> None:
        complaint = item.build()
        validate(complaint)
        earlier = Message.objects.filter(source_key=item.source_key).exists() or (
            complaint.message_id
            and Message.objects.filter(
                direction=Direction.IN, message_id=complaint.message_id
            ).exists()
        )
        if earlier or item.source_key in seen:
            tally.skipped += 1
        else:
            tally.imported += 1
        seen.add(item.source_key)

    def _report(self, tally: Tally, *, dry_run: bool) -> None:
        if dry_run:
            self.stdout.write(_("Dry run: nothing was stored."))
            lines = [
                (_("Would be imported:"), tally.imported),
                (_("Already imported (would be skipped):"), tally.skipped),
            ]
        else:
            lines = [
                (_("Imported as new cases:"), tally.imported),
                (_("Threaded or linked to existing cases:"), tally.threaded),
                (_("Already imported (skipped):"), tally.skipped),
            ]
        lines.append((_("Refused:"), len(tally.refused)))
        width = max(len(label) for label, _count in lines)
        for label, count in lines:
            self.stdout.write(f"{label:<{width}} {count:>6}")
        for line in tally.refused:
            self.stdout.write(f"  {line}", style_func=self.style.ERROR)
