"""The dashboard page and each figure's CSV export, over the same filters.

Managers see every case; an agent sees the figures of the cases they own. A bad filter gets
the form back with its errors (400), never a partial dashboard. The figures come from a fresh
snapshot when there is one (amends/insights/snapshots.py), and the CSV from the same source.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amends.insights import snapshots
from amends.insights.forms import DashboardFilterForm


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm.bound(request.GET)
    if not form.is_valid():
        return render(
            request, "insights/dashboard.html", {"form": form, "nav": "insights"}, status=400
        )
    filters = form.filters()
    query = urlencode(filters.query())
    source = snapshots.dashboard(request.user, filters)
    items = [
        {
            "figure": figure,
            "chart_id": f"chart-{figure.key}",
            "csv_url": reverse("insights:export", args=[figure.key]) + "?" + query,
        }
        for figure in source.figures
    ]
    previous = filters.previous()
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "items": items,
            "filters": filters,
            "previous": previous,
            "query": query,
            "source": source,
            "refresh_minutes": max(1, snapshots.max_age() // 60),
            "nav": "insights",
        },
    )


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    """A manager's "Recompute now": the figures of these filters live, kept as the snapshot."""
    if not getattr(request.user, "is_manager", False):
        raise PermissionDenied(_("Only managers can recompute the figures."))
    form = DashboardFilterForm.bound(request.GET)
    if not form.is_valid():
        return render(
            request, "insights/dashboard.html", {"form": form, "nav": "insights"}, status=400
        )
    filters = form.filters()
    snapshots.recompute(request.user, filters)
    return redirect(reverse("insights:dashboard") + "?" + urlencode(filters.query()))


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | float | int):
        return str(value)
    return str(value)


@login_required
@require_GET
def export(request: HttpRequest, key: str) -> HttpResponse:
    form = DashboardFilterForm.bound(request.GET)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    filters = form.filters()
    try:
        figure = snapshots.figure(request.user, filters, key)
    except KeyError:
        raise Http404("No such figure") from None
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{figure.key}-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(figure.headers)
    for row in figure.rows:
        writer.writerow([_csv_value(v) for v in row])
    return response
