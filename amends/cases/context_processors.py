"""Counts shown on every staff page: my overdue and due-soon cases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from amends.cases.models import Case, OrganisationSettings


def desk(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.path.startswith(("/admin/", "/api/")):
        return {}
    now = timezone.now()
    soon = OrganisationSettings.current().due_soon_days
    mine = Case.objects.owned_by(user)
    return {
        "desk_overdue": mine.overdue(now).count(),
        "desk_due_soon": mine.due_before(now + timedelta(days=soon)).count()
        - mine.overdue(now).count(),
    }
