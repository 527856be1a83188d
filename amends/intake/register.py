"""The Bulgarian complaint register as a file: the KZP model columns with their Bulgarian
headings (ЗЗП art. 127), for inspections and for printing; and the managers' download view.

The headings and the goods/service words are the regulator's, in Bulgarian whatever the
user's language, so they are not translated. The file is UTF-8 with a byte-order mark, so
Excel shows the Cyrillic correctly when it opens it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TextIO

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from amends.deadlines.engine import zone_for
from amends.intake.models import RegisterEntry, SubjectKind

ZONE = zone_for("BG")
BOM = "\ufeff"
# The KZP model register, column by column (kzp.bg "Примерен регистър за рекламации").
HEADINGS = (
    "№ по ред",
    "Дата и час на предявяване",
    "Име и адрес за контакт на потребителя",
    "Описание на рекламацията",
    "Приложени документи",
    "Претенция на потребителя",
    "Стока или услуга",
    "Име на лицето, приело рекламацията",
    "Подпис на потребителя",
)
SUBJECT_KIND = {SubjectKind.GOODS: "стока", SubjectKind.SERVICE: "услуга"}
FIRST_YEAR = 2000


def entries(year: int | None = None) -> Any:
    """Register entries in number order; those made in `year` (Sofia time) when given."""
    found = RegisterEntry.objects.order_by("number")
    if year is None:
        return found
    start = datetime(year, 1, 1, tzinfo=ZONE)
    end = datetime(year + 1, 1, 1, tzinfo=ZONE)
    return found.filter(made_at__gte=start, made_at__lt=end)


def row(entry: RegisterEntry) -> list[str]:
    made_at = entry.made_at.astimezone(ZONE)
    contact = ", ".join(v for v in (entry.consumer_name, entry.consumer_address) if v)
    return [
        str(entry.number),
        made_at.strftime("%d.%m.%Y %H:%M"),
        contact,
        entry.description,
        "; ".join(line for line in entry.documents.splitlines() if line.strip()),
        entry.requested_remedy,
        SUBJECT_KIND.get(SubjectKind(entry.subject_kind), entry.subject_kind),
        entry.accepted_by,
        "",  # signed on paper by the consumer, when the complaint is made in person
    ]


def write_csv(out: TextIO, found: Iterable[RegisterEntry]) -> int:
    """Write the register to `out` (opened with newline=""); return the number of entries."""
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    count = 0
    for entry in found:
        writer.writerow(row(entry))
        count += 1
    return count


def parse_year(value: str | None) -> int | None:
    """The year asked for, or None for the whole register; ValidationError when not a year."""
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except ValueError:
        year = 0
    if not FIRST_YEAR <= year <= timezone.now().year + 1:
        raise ValidationError(_("Give a year such as %(year)s.") % {"year": timezone.now().year})
    return year


def filename(year: int | None) -> str:
    return f"register-reklamacii-{year}.csv" if year else "register-reklamacii.csv"


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    """The register as a CSV download, for managers (?year=YYYY for one calendar year)."""
    if not getattr(request.user, "is_manager", False):
        raise PermissionDenied(_("Only managers can export the complaint register."))
    try:
        year = parse_year(request.GET.get("year"))
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(year)}"'
    write_csv(response, entries(year).iterator())  # type: ignore[arg-type]
    return response
