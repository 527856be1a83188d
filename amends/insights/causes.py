"""Learning from complaints: the root-cause Pareto, whether prevention actions worked (before and
after), retention after a complaint by how it ended, and the let-go list (A-3, A-6, E-3, E-4)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import (
    Case as When_,
)
from django.db.models import (
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from amends.insights.metrics import Context, Figure
from amends.insights.models import ActivityKind, CustomerActivity
from amends.resolution.history import let_go_candidates
from amends.resolution.models import Fault, PreventionAction, Proposal, ProposalStatus

TOP_CAUSES = 5
# Complaints of a cause are counted this many days before and after a prevention action.
BEFORE_AFTER_DAYS = 90
RETENTION_DAYS = 180

ENDINGS = {
    "agreed": gettext_lazy("A proposal agreed"),
    "declined": gettext_lazy("Proposals declined"),
    "none": gettext_lazy("No proposal decided"),
}


def _pareto_rows(ctx: Context) -> list[dict[str, Any]]:
    rows: Any = (
        ctx.scope.filter(ctx.in_current("received_at"), investigation__root_cause__isnull=False)
        .values(
            "investigation__root_cause",
            "investigation__root_cause__name",
            "investigation__root_cause__parent__name",
        )
        .annotate(n=Count("pk"))
        .order_by("-n", "investigation__root_cause__name")
    )
    return list(rows)


def _cause_name(row: dict[str, Any]) -> str:
    parent = row["investigation__root_cause__parent__name"]
    name = row["investigation__root_cause__name"]
    return f"{parent} › {name}" if parent else name


def pareto(ctx: Context) -> Figure:
    rows = _pareto_rows(ctx)
    total = sum(r["n"] for r in rows)
    table = []
    running = 0
    for row in rows:
        running += row["n"]
        table.append(
            [
                _cause_name(row),
                row["n"],
                round(100 * row["n"] / total, 1),
                round(100 * running / total, 1),
            ]
        )
    return Figure(
        key="pareto",
        title=_("Root causes (Pareto)"),
        description=_(
            "Complaints received in the period by the root cause the investigation found, most "
            "frequent first, with the cumulative share."
        ),
        headers=[_("Root cause"), _("Complaints"), _("Share (%)"), _("Cumulative (%)")],
        rows=table,
        chart={
            "type": "pareto",
            "labels": [r[0] for r in table],
            "datasets": [
                {"label": _("Complaints"), "data": [r[1] for r in table]},
                {"label": _("Cumulative (%)"), "data": [r[3] for r in table]},
            ],
        },
    )


def _cause_count(ctx: Context, start: str, until: str) -> Subquery:
    """Complaints in scope of the outer action's cause received in [start, until) of the outer row."""
    cases = (
        ctx.scope.filter(
            investigation__root_cause=OuterRef("cause"),
            received_at__gte=OuterRef(start),
            received_at__lt=OuterRef(until),
        )
        .order_by()
        .values("investigation__root_cause")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(cases, output_field=IntegerField())


def prevention(ctx: Context) -> Figure:
    """For the top causes' done prevention actions: complaints of that cause per 30 days in the
    N days before the action was done and in the N days after (or the days since, if fewer)."""
    top = [r["investigation__root_cause"] for r in _pareto_rows(ctx)[:TOP_CAUSES]]
    window = timedelta(days=BEFORE_AFTER_DAYS)
    moment = DateTimeField()
    actions = (
        PreventionAction.objects.filter(cause__in=top, done_at__isnull=False)
        .select_related("cause", "cause__parent")
        .annotate(
            window_start=ExpressionWrapper(F("done_at") - window, output_field=moment),
            window_end=ExpressionWrapper(F("done_at") + window, output_field=moment),
        )
        .annotate(
            before=Coalesce(_cause_count(ctx, "window_start", "done_at"), Value(0)),
            after=Coalesce(_cause_count(ctx, "done_at", "window_end"), Value(0)),
        )
        .order_by("cause__name", "done_at")
    )
    table = []
    for action in actions:
        assert action.done_at is not None
        elapsed = min(BEFORE_AFTER_DAYS, max((ctx.now - action.done_at).days, 1))
        before = round(action.before * 30 / BEFORE_AFTER_DAYS, 2)
        after = round(action.after * 30 / elapsed, 2)
        change = round(100 * (after - before) / before, 1) if before else None
        table.append(
            [str(action.cause), action.title, action.done_at.date(), before, after, change]
        )
    return Figure(
        key="prevention",
        title=_("Prevention actions: before and after"),
        description=_(
            "For each done prevention action of the top causes: complaints of that cause per 30 "
            "days in the %(days)s days before the action was done and in the %(days)s days after "
            "(or the days since, if fewer)."
        )
        % {"days": BEFORE_AFTER_DAYS},
        headers=[
            _("Root cause"),
            _("Action"),
            _("Done"),
            _("Before (per 30 days)"),
            _("After (per 30 days)"),
            _("Change (%)"),
        ],
        rows=table,
        chart={
            "type": "bar",
            "labels": [r[1] for r in table],
            "datasets": [
                {"label": _("Before (per 30 days)"), "data": [r[3] for r in table]},
                {"label": _("After (per 30 days)"), "data": [r[4] for r in table]},
            ],
        },
    )


def _activity(kinds: list[str]) -> Exists:
    return Exists(
        CustomerActivity.objects.filter(
            customer=OuterRef("customer"),
            kind__in=kinds,
            date__gt=OuterRef("received_day"),
            date__lte=OuterRef("retention_end"),
        )
    )


def _retention_cases(ctx: Context) -> Any:
    # EXISTS, probing the proposals' case index: an IN over all agreed proposals would outgrow
    # the default work_mem and be rescanned for every case.
    decided = Proposal.objects.filter(case=OuterRef("pk"))
    ending = When_(
        When(Exists(decided.filter(status=ProposalStatus.AGREED)), then=Value("agreed")),
        When(Exists(decided.filter(status=ProposalStatus.DECLINED)), then=Value("declined")),
        default=Value("none"),
        output_field=CharField(),
    )
    return (
        ctx.scope.filter(ctx.in_current("received_at"))
        .annotate(
            received_day=TruncDate("received_at"),
            retention_end=ExpressionWrapper(
                TruncDate("received_at") + timedelta(days=RETENTION_DAYS), output_field=DateField()
            ),
        )
        .annotate(
            ending=ending,
            stayed=_activity([ActivityKind.PURCHASE, ActivityKind.RENEWAL]),
            left=_activity([ActivityKind.CANCELLATION]),
        )
    )


def _retention_figure(
    key: str, title: str, group: str, labels: dict[Any, Any], ctx: Context
) -> Figure:
    rows = (
        _retention_cases(ctx)
        .values(group)
        .annotate(
            customers=Count("customer", distinct=True),
            stayed_n=Count("customer", distinct=True, filter=Q(stayed=True)),
            left_n=Count("customer", distinct=True, filter=Q(left=True)),
        )
        .order_by()
    )
    # In the order of the choices (NULLs sort differently in PostgreSQL and SQLite).
    order = list(labels)
    ordered = sorted(rows, key=lambda r: order.index(r[group] or Fault.UNDETERMINED))
    table = [
        [
            str(labels.get(r[group] or Fault.UNDETERMINED, r[group])),
            r["customers"],
            r["stayed_n"],
            r["left_n"],
            round(100 * r["stayed_n"] / r["customers"], 1) if r["customers"] else None,
        ]
        for r in ordered
    ]
    return Figure(
        key=key,
        title=title,
        description=_(
            "Customers who complained in the period, and of them those who bought or renewed "
            "within %(days)s days after the complaint, and those who cancelled."
        )
        % {"days": RETENTION_DAYS},
        headers=[
            _("How it ended"),
            _("Customers"),
            _("Bought or renewed"),
            pgettext("customers who", "Cancelled"),
            _("Stayed (%)"),
        ],
        rows=table,
        chart={
            "type": "bar",
            "labels": [r[0] for r in table],
            "datasets": [
                {"label": _("Bought or renewed"), "data": [r[2] for r in table]},
                {"label": pgettext("customers who", "Cancelled"), "data": [r[3] for r in table]},
            ],
        },
    )


def retention_by_ending(ctx: Context) -> Figure:
    return _retention_figure(
        "retention", _("Retention after a complaint, by its ending"), "ending", ENDINGS, ctx
    )


def retention_by_fault(ctx: Context) -> Figure:
    return _retention_figure(
        "retention-fault",
        _("Retention after a complaint, by fault"),
        "investigation__fault",
        dict(Fault.choices),
        ctx,
    )


# The let-go figure lists this many, highest score first; the let-go page has them all.
LET_GO_SHOWN = 20


def let_go(ctx: Context) -> Figure:
    table = []
    flagged = let_go_candidates()
    for customer, advice in flagged[:LET_GO_SHOWN]:
        met = [e.code for e in advice.evidence if e.met]
        refs = sorted({r for e in advice.evidence for r in e.references})
        table.append([customer.name, advice.score, len(met), ", ".join(refs)])
    return Figure(
        key="let-go",
        title=_("Customers to let go"),
        description=_(
            "Customers the let-go advisor flags (E-4), the %(shown)s with the highest score; all "
            "of them, with the evidence, are on the let-go page."
        )
        % {"shown": LET_GO_SHOWN},
        headers=[_("Customer"), _("Score"), _("Signs met"), _("Cases")],
        rows=table,
        summary=[(_("Customers flagged"), len(flagged))],
    )
