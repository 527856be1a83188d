"""Dashboard snapshots: the finished figures of a dashboard stored per viewer scope, filters and
UI language, so the page is read from one row instead of recomputed over every case.

The worker refreshes the standard views (the default period and the last 365 days) every
`--insights-every` seconds for the scopes and UI languages in use: those someone opened the
dashboard in within VIEWED_WITHIN (DashboardViewer), and the managers' in the default language.
Any other view is computed live on its first request and kept. Titles and labels are
translated while the figures are computed (and the hourly rate in a description is formatted
for the language), so a snapshot is per language. Why snapshots: docs/operators.md, "Insights
at scale".
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import urlencode

from amends.accounts.models import User
from amends.insights import figures
from amends.insights.forms import DEFAULT_DAYS
from amends.insights.metrics import Figure, Filters
from amends.insights.models import DashboardSnapshot, DashboardViewer

STANDARD_DAYS = (DEFAULT_DAYS, 365)
# Snapshots nobody asked for again (custom filters, past periods) are deleted after this long.
KEEP = timedelta(days=1)
# A scope and language are refreshed while someone opened the dashboard in them this recently.
VIEWED_WITHIN = timedelta(days=14)


# --- the figures as JSON and back: Decimal, date and datetime keep their type ---


def encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        # As pairs: PostgreSQL's jsonb does not keep the keys' order, and the chart's JSON should
        # read as the live one does.
        return {"$dict": [[str(k), encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot store {type(value).__name__} in a dashboard snapshot")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((tag, text),) = value.items()
        if tag == "$decimal":
            return Decimal(text)
        if tag == "$datetime":
            return datetime.fromisoformat(text)
        if tag == "$date":
            return date.fromisoformat(text)
        if tag == "$float":
            return float(text)
        if tag == "$dict":
            return {k: decode(v) for k, v in text}
    return {k: decode(v) for k, v in value.items()}


def encode_figures(items: list[Figure]) -> list[dict[str, Any]]:
    return [
        {
            "key": f.key,
            "title": str(f.title),
            "description": str(f.description),
            "headers": [str(h) for h in f.headers],
            "rows": encode(f.rows),
            "chart": encode(f.chart),
            "summary": [[str(label), encode(value)] for label, value in f.summary],
        }
        for f in items
    ]


def decode_figures(data: list[dict[str, Any]]) -> list[Figure]:
    return [
        Figure(
            key=d["key"],
            title=d["title"],
            description=d["description"],
            headers=list(d["headers"]),
            rows=decode(d["rows"]),
            chart=decode(d["chart"]),
            summary=[(label, decode(value)) for label, value in d["summary"]],
        )
        for d in data
    ]


# --- the key, reading and storing ---


def scope_of(user: Any) -> str:
    """Managers share one scope (they see every case); an agent's figures count their own cases
    (amends.insights.metrics.scoped_cases), so each agent has their own."""
    return "managers" if user.is_manager else f"agent:{user.pk}"


def _key(user: Any, filters: Filters, language: str) -> dict[str, Any]:
    narrowing = {k: v for k, v in filters.query().items() if k not in ("start", "end")}
    return {
        "scope": scope_of(user),
        "period_start": filters.start,
        "period_end": filters.end,
        "filters": urlencode(sorted(narrowing.items())),
        "language": language,
    }


def max_age() -> int:
    return int(settings.AMENDS_INSIGHTS_MAX_AGE)


@dataclass
class Dashboard:
    """The figures of one page and where they came from."""

    figures: list[Figure]
    computed_at: datetime
    from_snapshot: bool


def _store(user: Any, filters: Filters, language: str, items: list[Figure], at: datetime) -> None:
    # One INSERT ... ON CONFLICT: a concurrent refresh of the same key simply wins or loses.
    DashboardSnapshot.objects.bulk_create(
        [
            DashboardSnapshot(
                **_key(user, filters, language), computed_at=at, data=encode_figures(items)
            )
        ],
        update_conflicts=True,
        unique_fields=["scope", "period_start", "period_end", "filters", "language"],
        update_fields=["computed_at", "data"],
    )


def recompute(user: Any, filters: Filters, *, language: str | None = None) -> Dashboard:
    """Compute the dashboard live (in `language`, the active one by default) and keep it."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        ctx = figures.context(user, filters)
        items = figures.dashboard(ctx)
        _store(user, filters, language, items, ctx.now)
    return Dashboard(figures=items, computed_at=ctx.now, from_snapshot=False)


def fresh_snapshot(user: Any, filters: Filters) -> DashboardSnapshot | None:
    """The snapshot of exactly this viewer scope, filters and language, if young enough."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    oldest = timezone.now() - timedelta(seconds=max_age())
    return DashboardSnapshot.objects.filter(
        **_key(user, filters, language), computed_at__gte=oldest
    ).first()


def viewed(user: Any) -> None:
    """Note that `user` opened the dashboard in the active language (one upsert)."""
    DashboardViewer.objects.bulk_create(
        [
            DashboardViewer(
                scope=scope_of(user),
                language=translation.get_language() or settings.LANGUAGE_CODE,
                viewed_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["scope", "language"],
        update_fields=["viewed_at"],
    )


def dashboard(user: Any, filters: Filters) -> Dashboard:
    """The page's figures: from a fresh snapshot, or computed live now and kept."""
    viewed(user)
    snapshot = fresh_snapshot(user, filters)
    if snapshot is not None:
        return Dashboard(
            figures=decode_figures(snapshot.data),
            computed_at=snapshot.computed_at,
            from_snapshot=True,
        )
    return recompute(user, filters)


def figure(user: Any, filters: Filters, key: str) -> Figure:
    """One figure for the CSV export, from the same source as the page: the fresh snapshot if
    there is one, else computed live. KeyError for a key the user may not have."""
    if key not in figures.keys_for(user):
        raise KeyError(key)
    snapshot = fresh_snapshot(user, filters)
    if snapshot is not None:
        for item in snapshot.data:
            if item["key"] == key:
                return decode_figures([item])[0]
    return figures.figure(key, figures.context(user, filters))


# --- the periodic refresh ---


def standard_filters(today: date | None = None) -> list[Filters]:
    """The periods the dashboard opens with (forms.DashboardFilterForm.bound) and the year."""
    today = today or timezone.localdate()
    return [
        Filters(start=today - timedelta(days=days - 1), end=today)
        for days in dict.fromkeys(STANDARD_DAYS)
    ]


def viewers() -> list[User]:
    """One manager (all managers share the figures) and every active agent."""
    people = list(User.objects.filter(is_active=True).order_by("pk"))
    managers = [u for u in people if u.is_manager][:1]
    return managers + [u for u in people if not u.is_manager]


def views_in_use(*, everyone: bool = False) -> list[tuple[User, str]]:
    """(a viewer of the scope, language) to refresh: the managers' in the default language and
    each scope and language someone opened the dashboard in within VIEWED_WITHIN; with
    `everyone`, every active person's scope in every language."""
    people = {scope_of(u): u for u in viewers()}
    wanted = {("managers", settings.LANGUAGE_CODE)}
    wanted |= set(
        DashboardViewer.objects.filter(viewed_at__gte=timezone.now() - VIEWED_WITHIN).values_list(
            "scope", "language"
        )
    )
    if everyone:
        wanted |= {(scope, code) for scope in people for code, _name in settings.LANGUAGES}
    # A scope whose person left or changed role ("agent:7" now a manager) has no viewer.
    return [(people[scope], code) for scope, code in sorted(wanted) if scope in people]


def refresh_snapshots(
    *,
    languages: list[str] | None = None,
    everyone: bool = False,
    stop: threading.Event | None = None,
) -> int:
    """Recompute and store the standard views in use (views_in_use), only in `languages` if
    given; delete snapshots nobody kept fresh. Returns how many were stored; stops early when
    `stop` is set."""
    stored = 0
    for user, language in views_in_use(everyone=everyone):
        if languages and language not in languages:
            continue
        for filters in standard_filters():
            if stop is not None and stop.is_set():
                return stored
            recompute(user, filters, language=language)
            stored += 1
    expired = timezone.now() - max(KEEP, timedelta(seconds=max_age()))
    DashboardSnapshot.objects.filter(computed_at__lt=expired).delete()
    return stored
