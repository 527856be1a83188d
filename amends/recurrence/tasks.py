"""Background tasks of recurrence. Tasks take ids and call a service."""

from __future__ import annotations

from django_tasks import task

from amends.cases.models import Case
from amends.recurrence import services


@task()
def embed_case(case_id: int) -> bool:
    """Embed one case after intake; a case deleted meanwhile is skipped."""
    case = Case.objects.filter(pk=case_id).first()
    return False if case is None else services.embed_case(case)
