"""The dashboard's figures in the order they are shown, and which are for managers only."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from django.utils import timezone

from amends.cases.models import OrganisationSettings
from amends.insights import causes, costs, metrics
from amends.insights.metrics import Context, Figure, FigureFunction, Filters

FIGURES: dict[str, FigureFunction] = {
    "volume-channel": partial(metrics.volume, dimension="channel"),
    "volume-language": partial(metrics.volume, dimension="language"),
    "volume-category": partial(metrics.volume, dimension="category"),
    "volume-product-line": partial(metrics.volume, dimension="product-line"),
    "complaint-rate": metrics.complaint_rate,
    "response-times": metrics.response_times,
    "commitments": metrics.commitments_kept,
    "statutory": metrics.statutory,
    "statutory-at-risk": metrics.statutory_at_risk,
    "fault": metrics.fault_split,
    "improvements": metrics.open_improvements,
    "compensation": costs.compensation_paid,
    "handling-cost": costs.handling_cost,
    "reserve": costs.reserve,
    "reserve-trend": costs.reserve_trend,
    "pareto": causes.pareto,
    "prevention": causes.prevention,
    "retention": causes.retention_by_ending,
    "retention-fault": causes.retention_by_fault,
    "satisfaction": metrics.satisfaction,
    "let-go": causes.let_go,
}
MANAGERS_ONLY = frozenset({"let-go"})


def keys_for(user: Any) -> list[str]:
    return [k for k in FIGURES if user.is_manager or k not in MANAGERS_ONLY]


def context(user: Any, filters: Filters, now: datetime | None = None) -> Context:
    return Context(
        user=user, filters=filters, now=now or timezone.now(), org=OrganisationSettings.current()
    )


def figure(key: str, ctx: Context) -> Figure:
    """One figure; KeyError for a key the user may not have."""
    if key not in keys_for(ctx.user):
        raise KeyError(key)
    return FIGURES[key](ctx)


def dashboard(ctx: Context) -> list[Figure]:
    return [FIGURES[key](ctx) for key in keys_for(ctx.user)]
