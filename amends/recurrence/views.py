"""The "Similar cases" panel of the case page and the managers' page of growing clusters."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from amends.cases.access import visible_cases
from amends.cases.models import Case
from amends.recurrence import clusters, lookup


def similar_panel(request: HttpRequest, case: Case) -> dict[str, Any]:
    """The context of recurrence/partials/similar.html: the case must be visible to the user."""
    found = lookup.similar_cases(case, user=request.user)
    return {"similar": {"pending": found is None, "cases": found or []}}


@login_required
@require_GET
def cluster_list(request: HttpRequest) -> HttpResponse:
    """Managers: groups of alike complaints, this period against the one before."""
    if not getattr(request.user, "is_manager", False):
        raise PermissionDenied("Managers only.")
    now = timezone.now()
    found = clusters.growing_clusters(visible_cases(request.user), at=now)
    return render(
        request,
        "recurrence/clusters.html",
        {
            "clusters": found,
            "days": clusters.PERIOD_DAYS,
            "nav": "recurrence",
        },
    )
