"""The dashboard's figures, computed in SQL from the case timeline (Event) and the ledgers.

Every figure is for a period and the filters, with the previous period of equal length beside
it, over the cases the user may see (managers all, an agent their own). Nothing here loops over
cases in Python: each figure is one or two aggregate queries, so the page needs the same number
of queries however many cases there are (tests/insights/test_dashboard_view.py counts them).
The money figures (compensation, handling cost, the reserve) live in amends/insights/costs.py.
Definitions are in docs/users.md, "Insights".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextChoices,
    When,
)
from django.db.models import Case as When_
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from amends.cases.access import visible_cases
from amends.cases.models import (
    CaseQuerySet,
    Channel,
    Customer,
    CustomerKind,
    Event,
    EventKind,
    Language,
    OrganisationSettings,
    State,
)
from amends.portal.models import SatisfactionRating
from amends.resolution.models import Fault, ImprovementTask

# A commitment is fulfilled by the next customer-visible step: a reply, or a forward state change.
FULFILS_COMMITMENT = (EventKind.REPLY, EventKind.STATE_CHANGED)
# The dashboard's lists (deadlines at risk, open improvement tasks) show this many, the most
# urgent first, and count them all: at scale there are thousands (1,724 open tasks at 1M cases).
AT_RISK_LIMIT = 50
T = TypeVar("T")


@dataclass(frozen=True)
class Filters:
    """The period (both days included, in the server's time zone) and the narrowing filters."""

    start: date
    end: date
    team_id: int | None = None
    channel: str = ""
    language: str = ""
    jurisdiction: str = ""
    product_line_id: int | None = None
    category_id: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Filters:
        """The period of equal length just before this one, with the same filters."""
        return replace(
            self,
            start=self.start - timedelta(days=self.days),
            end=self.start - timedelta(days=1),
        )

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as [from, until) instants."""
        zone = timezone.get_current_timezone()
        start = datetime.combine(self.start, time.min, tzinfo=zone)
        until = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone)
        return start, until

    def query(self) -> dict[str, str]:
        """The filters as query-string values (for the CSV links)."""
        values = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "team": str(self.team_id or ""),
            "channel": self.channel,
            "language": self.language,
            "jurisdiction": self.jurisdiction,
            "product_line": str(self.product_line_id or ""),
            "category": str(self.category_id or ""),
        }
        return {k: v for k, v in values.items() if v}


@dataclass
class Figure:
    """One figure: its table (headers and rows, plain values) and how to chart it."""

    key: str
    title: str
    description: str
    headers: list[str]
    rows: list[list[Any]]
    chart: dict[str, Any] | None = None
    summary: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class Context:
    """What every figure reads: who asks, the filters, the cases in scope, the time."""

    user: Any
    filters: Filters
    now: datetime
    org: OrganisationSettings
    # Results several figures of one page share (e.g. handling minutes: the handling cost and
    # the reserve), computed once per page; see `shared`.
    _shared: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def shared(self, key: Any, compute: Callable[[], T]) -> T:
        """`compute()` the first time `key` is asked for on this page, the same result after."""
        if key not in self._shared:
            self._shared[key] = compute()
        result: T = self._shared[key]
        return result

    @property
    def scope(self) -> CaseQuerySet:
        """The cases the user may see that match the filters, received at any time."""
        return scoped_cases(self.user, self.filters)

    @property
    def current(self) -> tuple[datetime, datetime]:
        return self.filters.bounds()

    @property
    def previous(self) -> tuple[datetime, datetime]:
        return self.filters.previous().bounds()

    def in_current(self, name: str) -> Q:
        start, until = self.current
        return Q(**{f"{name}__gte": start, f"{name}__lt": until})

    def in_previous(self, name: str) -> Q:
        start, until = self.previous
        return Q(**{f"{name}__gte": start, f"{name}__lt": until})

    def in_either(self, name: str) -> Q:
        return Q(**{f"{name}__gte": self.previous[0], f"{name}__lt": self.current[1]})


def scoped_cases(user: Any, filters: Filters) -> CaseQuerySet:
    """Managers see every case; an agent's dashboard counts the cases they own."""
    cases = visible_cases(user)
    if not user.is_manager:
        cases = cases.filter(owner=user)
    if filters.team_id:
        cases = cases.filter(team_id=filters.team_id)
    if filters.channel:
        cases = cases.filter(channel=filters.channel)
    if filters.language:
        cases = cases.filter(language=filters.language)
    if filters.jurisdiction:
        cases = cases.filter(customer__jurisdiction=filters.jurisdiction)
    if filters.product_line_id:
        cases = cases.filter(product_line_id=filters.product_line_id)
    if filters.category_id:
        cases = cases.filter(category_id=filters.category_id)
    return cases


# --- percentiles: percentile_cont on PostgreSQL, the same interpolation in Python elsewhere ---


class PercentileCont(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


class EpochSeconds(Func):
    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


def percentile(values: list[float], fraction: float) -> float | None:
    """Linear interpolation between the closest ranks, as PostgreSQL's percentile_cont."""
    if not values:
        return None
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


def _first_event(condition: Q) -> Subquery:
    return Subquery(
        Event.objects.filter(condition, case=OuterRef("pk")).order_by("at").values("at")[:1]
    )


def _since_receipt(at: Any) -> Any:
    return ExpressionWrapper(at - F("received_at"), output_field=DurationField())


RESOLVED = Q(kind=EventKind.STATE_CHANGED, data__to=State.RESOLVED)


def _first_resolution() -> Any:
    """When the case was first resolved. `resolved_at` is the latest resolution (reopening
    clears it), so only for the few reopened cases is the first one read off the timeline."""
    reopened = Event.objects.filter(kind=EventKind.REOPENED).values("case_id")
    return When_(
        When(pk__in=reopened, then=_first_event(RESOLVED)),
        default=F("resolved_at"),
        output_field=DateTimeField(),
    )


# The three response times, each from the first event that marks it on the timeline. The services
# write that event's time on the case in the same transaction (cases.services.acknowledge,
# record_reply and _move), so the Case columns are read instead of searching the timeline:
#   acknowledgement  the ACKNOWLEDGED event                 acknowledged_at (set once)
#   answer           the first substantive REPLY, or the     answered_at (set once, by the
#                    first STATE_CHANGED to proposed          first of the two)
#   resolution       the first STATE_CHANGED to resolved     resolved_at, but see _first_resolution
# tests/insights/test_milestones.py walks cases through the services and checks each column
# against its event.
TIMES: list[tuple[str, Promise, Callable[[], Any]]] = [
    ("acknowledgement", gettext_lazy("Acknowledgement"), lambda: F("acknowledged_at")),
    ("answer", gettext_lazy("First substantive answer"), lambda: F("answered_at")),
    ("resolution", gettext_lazy("Resolution"), _first_resolution),
]


def _response_durations(ctx: Context) -> dict[str, dict[str, tuple[int, Any, Any]]]:
    """{"c"/"p": {milestone: (cases, p50 hours, p90 hours)}} for cases received in each period:
    one query over both periods."""
    cases = ctx.scope.filter(ctx.in_either("received_at")).annotate(
        **{key: _since_receipt(at()) for key, _label, at in TIMES}
    )
    periods = {"c": ctx.in_current("received_at"), "p": ctx.in_previous("received_at")}
    out: dict[str, dict[str, tuple[int, Any, Any]]] = {"c": {}, "p": {}}
    if connection.vendor == "postgresql":
        aggregates: dict[str, Any] = {}
        for prefix, period in periods.items():
            for key, _label, _at in TIMES:
                epoch = EpochSeconds(F(key))
                measured = period & Q(**{f"{key}__isnull": False})
                aggregates[f"{prefix}_{key}_n"] = Count("pk", filter=measured)
                aggregates[f"{prefix}_{key}_50"] = PercentileCont(epoch, 0.5, filter=measured)
                aggregates[f"{prefix}_{key}_90"] = PercentileCont(epoch, 0.9, filter=measured)
        row = cases.aggregate(**aggregates)
        for prefix in periods:
            for key, _label, _at in TIMES:
                out[prefix][key] = (
                    row[f"{prefix}_{key}_n"],
                    _hours(row[f"{prefix}_{key}_50"]),
                    _hours(row[f"{prefix}_{key}_90"]),
                )
        return out
    # The portable fallback: the durations of both periods in one query, sorted here.
    current_start, current_until = ctx.current
    seconds: dict[str, dict[str, list[float]]] = {p: {k: [] for k, *_ in TIMES} for p in periods}
    keys = [key for key, *_ in TIMES]
    for received_at, *durations in cases.values_list("received_at", *keys):
        prefix = "c" if current_start <= received_at < current_until else "p"
        for key, duration in zip(keys, durations, strict=True):
            if duration is not None:
                seconds[prefix][key].append(duration.total_seconds())
    for prefix in periods:
        for key in keys:
            values = seconds[prefix][key]
            out[prefix][key] = (
                len(values),
                _hours(percentile(values, 0.5)),
                _hours(percentile(values, 0.9)),
            )
    return out


# --- the figures ---

DIMENSIONS: dict[str, tuple[Promise, str, type[TextChoices] | None]] = {
    "channel": (gettext_lazy("Complaints by channel"), "channel", Channel),
    "language": (gettext_lazy("Complaints by language"), "language", Language),
    "category": (gettext_lazy("Complaints by category"), "category__name", None),
    "product-line": (
        gettext_lazy("Complaints by product or service line"),
        "product_line__name",
        None,
    ),
}


def _label(value: Any, choices: type[TextChoices] | None) -> str:
    if value is None or value == "":
        return _("(none)")
    labels = dict(choices.choices) if choices else {}
    return str(labels.get(value, value))


def _pair_chart(
    labels: list[str], current: list[Any], previous: list[Any], kind: str = "bar"
) -> dict[str, Any]:
    return {
        "type": kind,
        "labels": labels,
        "datasets": [
            {"label": _("This period"), "data": current},
            {"label": _("Previous period"), "data": previous},
        ],
    }


def volume(ctx: Context, dimension: str) -> Figure:
    title, column, labels = DIMENSIONS[dimension]
    rows = (
        ctx.scope.filter(ctx.in_either("received_at"))
        .values(column)
        .annotate(
            current=Count("pk", filter=ctx.in_current("received_at")),
            previous=Count("pk", filter=ctx.in_previous("received_at")),
        )
        .order_by("-current", column)
    )
    table = [[_label(r[column], labels), r["current"], r["previous"]] for r in rows]
    return Figure(
        key=f"volume-{dimension}",
        title=str(title),
        description=_("Complaints received in the period, by when they arrived."),
        headers=[_("Group"), _("This period"), _("Previous period")],
        rows=table,
        chart=_pair_chart([r[0] for r in table], [r[1] for r in table], [r[2] for r in table]),
        summary=[
            (_("This period"), sum(r[1] for r in table)),
            (_("Previous period"), sum(r[2] for r in table)),
        ],
    )


def complaint_rate(ctx: Context) -> Figure:
    """Complaints per customer in each segment (kind and country): complaints / customers."""
    segments = ("customer__kind", "customer__jurisdiction")
    cases = (
        ctx.scope.filter(ctx.in_either("received_at"))
        .values(*segments)
        .annotate(
            current=Count("pk", filter=ctx.in_current("received_at")),
            previous=Count("pk", filter=ctx.in_previous("received_at")),
        )
    )
    customers = {
        (c["kind"], c["jurisdiction"]): c["n"]
        for c in Customer.objects.values("kind", "jurisdiction").annotate(n=Count("pk"))
    }
    kinds = dict(CustomerKind.choices)
    table = []
    for row in sorted(cases, key=lambda r: (r["customer__kind"], r["customer__jurisdiction"])):
        n = customers.get((row["customer__kind"], row["customer__jurisdiction"]), 0)
        label = f"{kinds.get(row['customer__kind'], row['customer__kind'])} · {row['customer__jurisdiction']}"
        table.append(
            [
                label,
                n,
                row["current"],
                round(row["current"] / n, 2) if n else None,
                round(row["previous"] / n, 2) if n else None,
            ]
        )
    return Figure(
        key="complaint-rate",
        title=_("Complaint rate per customer segment"),
        description=_(
            "Complaints received in the period divided by the customers of that kind and country."
        ),
        headers=[
            _("Segment"),
            _("Customers"),
            _("Complaints"),
            _("Complaints per customer"),
            _("Previous period"),
        ],
        rows=table,
        chart=_pair_chart([r[0] for r in table], [r[3] for r in table], [r[4] for r in table]),
    )


def response_times(ctx: Context) -> Figure:
    """Median and 90th percentile hours from receipt to each milestone, for cases received in the period."""
    durations = _response_durations(ctx)
    table = []
    for key, label, _at in TIMES:
        n, p50, p90 = durations["c"][key]
        _n, prev50, prev90 = durations["p"][key]
        table.append([str(label), n, p50, p90, prev50, prev90])
    return Figure(
        key="response-times",
        title=_("Response times (hours)"),
        description=_(
            "Hours from receipt to the acknowledgement, to the first substantive answer and to "
            "resolution, for complaints received in the period that reached that step."
        ),
        headers=[
            _("Step"),
            _("Cases"),
            _("Median"),
            _("90th percentile"),
            _("Previous median"),
            _("Previous 90th percentile"),
        ],
        rows=table,
        chart={
            "type": "bar",
            "labels": [r[0] for r in table],
            "datasets": [
                {"label": _("Median"), "data": [r[2] for r in table]},
                {"label": _("90th percentile"), "data": [r[3] for r in table]},
                {"label": _("Previous median"), "data": [r[4] for r in table]},
            ],
        },
    )


def _commitments(ctx: Context) -> QuerySet[Event]:
    """Every dated promise on the timeline (at receipt and each next step set), with its due
    time and the first fulfilling event after it was made."""
    due = Cast(Coalesce(KT("data__to"), KT("data__commitment_due")), output_field=DateTimeField())
    fulfilled = Subquery(
        Event.objects.filter(
            case=OuterRef("case"), kind__in=FULFILS_COMMITMENT, at__gt=OuterRef("at")
        )
        .order_by("at")
        .values("at")[:1]
    )
    return Event.objects.filter(
        case__in=ctx.scope.values("pk"),
        kind__in=(EventKind.RECEIVED, EventKind.COMMITMENT_SET),
    ).annotate(due=due, fulfilled=fulfilled)


def commitments_kept(ctx: Context) -> Figure:
    """Promises that fell due in the period (and before now): kept when a reply or a forward state
    change followed the promise no later than its due time."""
    periods = [(_("This period"), ctx.current), (_("Previous period"), ctx.previous)]
    windows = [Q(due__gte=start, due__lt=min(until, ctx.now)) for _label, (start, until) in periods]
    aggregates: dict[str, Any] = {}
    for index, window in enumerate(windows):
        aggregates[f"n{index}"] = Count("pk", filter=window)
        aggregates[f"kept{index}"] = Count("pk", filter=window & Q(fulfilled__lte=F("due")))
    # Both periods in one pass over the promises.
    row = _commitments(ctx).filter(windows[0] | windows[1]).aggregate(**aggregates)
    table = []
    for index, (label, _bounds) in enumerate(periods):
        n, kept = row[f"n{index}"], row[f"kept{index}"]
        table.append([label, n, kept, n - kept, round(100 * kept / n, 1) if n else None])
    return Figure(
        key="commitments",
        title=_("Commitments kept"),
        description=_(
            "Each dated next step promised to a customer that fell due in the period. It is kept "
            "when a reply or a forward state change followed the promise by its due time."
        ),
        headers=[_("Period"), _("Fell due"), _("Kept"), _("Not kept"), _("Kept (%)")],
        rows=table,
        chart={
            "type": "bar",
            "labels": [r[0] for r in table],
            "datasets": [{"label": _("Kept (%)"), "data": [r[4] for r in table]}],
            "max": 100,
        },
    )


def _deemed_accepted() -> Q:
    """Cases with a missed statutory deadline whose rule makes the complaint accepted. An IN over
    the few such events (hashed once), not an EXISTS probed for every case."""
    missed = (
        Event.objects.filter(kind=EventKind.DEADLINE_MISSED, data__deadline="statutory")
        .exclude(data__consequence="")
        .values("case_id")
    )
    return Q(pk__in=missed)


def statutory(ctx: Context) -> Figure:
    """Statutory deadlines that fell in the period: met, missed, pending; deemed accepted by law."""
    answered_in_time = Q(answered_at__isnull=False, answered_at__lte=F("statutory_due"))
    missed = Q(answered_at__gt=F("statutory_due")) | Q(
        answered_at__isnull=True, statutory_due__lt=ctx.now
    )
    cases = ctx.scope.filter(ctx.in_either("statutory_due"))
    deemed = _deemed_accepted()
    aggregates: dict[str, Any] = {}
    for prefix, period in (
        ("c", ctx.in_current("statutory_due")),
        ("p", ctx.in_previous("statutory_due")),
    ):
        aggregates |= {
            f"{prefix}_met": Count("pk", filter=period & answered_in_time),
            f"{prefix}_missed": Count("pk", filter=period & missed),
            f"{prefix}_all": Count("pk", filter=period),
            f"{prefix}_deemed": Count("pk", filter=period & missed & deemed),
            f"{prefix}_cost": Sum("disputed_amount", filter=period & missed & deemed),
        }
    row = cases.aggregate(**aggregates)
    labels = [
        _("Met"),
        _("Missed"),
        _("Not due yet"),
        _("Deemed accepted by law"),
        _("Cost of those deemed accepted"),
    ]

    def column(prefix: str) -> list[Any]:
        met, missed_, all_ = row[f"{prefix}_met"], row[f"{prefix}_missed"], row[f"{prefix}_all"]
        return [
            met,
            missed_,
            all_ - met - missed_,
            row[f"{prefix}_deemed"],
            (row[f"{prefix}_cost"] or Decimal(0)).quantize(Decimal("0.01")),
        ]

    current, previous = column("c"), column("p")
    table = [[label, c, p] for label, c, p in zip(labels, current, previous, strict=True)]
    return Figure(
        key="statutory",
        title=_("Statutory deadlines"),
        description=_(
            "Cases whose statutory deadline fell in the period: met (a substantive answer by the "
            "deadline), missed, or not due yet. Deemed accepted: missed where the law makes the "
            "complaint accepted; their cost is the amount the customers disputed."
        ),
        headers=[_("Deadlines"), _("This period"), _("Previous period")],
        rows=table,
        chart=_pair_chart(labels[:4], current[:4], previous[:4]),
    )


def statutory_at_risk(ctx: Context) -> Figure:
    """Open, unanswered cases whose statutory deadline is within the warning days, nearest first."""
    at_risk = ctx.scope.open().filter(
        answered_at__isnull=True,
        statutory_due__gte=ctx.now,
        statutory_due__lt=ctx.now + timedelta(days=ctx.org.at_risk_days),
    )
    cases = at_risk.select_related("customer", "owner").order_by("statutory_due", "pk")[
        :AT_RISK_LIMIT
    ]
    table = [
        [
            case.reference,
            case.subject,
            case.customer.name,
            case.owner.display_name if case.owner else "",
            timezone.localtime(case.statutory_due) if case.statutory_due else None,
        ]
        for case in cases
    ]
    return Figure(
        key="statutory-at-risk",
        title=_("Statutory deadlines at risk"),
        description=_(
            "Open cases without a substantive answer whose statutory deadline is within the "
            "warning days, nearest first (now, whatever the period); the first %(shown)s."
        )
        % {"shown": AT_RISK_LIMIT},
        headers=[_("Case"), _("Subject"), _("Customer"), _("Owner"), _("Statutory deadline")],
        rows=table,
        summary=[(_("At risk"), len(table) if len(table) < AT_RISK_LIMIT else at_risk.count())],
    )


def fault_split(ctx: Context) -> Figure:
    labels = dict(Fault.choices)
    rows = (
        ctx.scope.filter(ctx.in_either("received_at"))
        .values("investigation__fault")
        .annotate(
            current=Count("pk", filter=ctx.in_current("received_at")),
            previous=Count("pk", filter=ctx.in_previous("received_at")),
        )
        .order_by("-current", "investigation__fault")
    )
    table = [
        [
            str(labels.get(r["investigation__fault"] or Fault.UNDETERMINED)),
            r["current"],
            r["previous"],
        ]
        for r in rows
    ]
    return Figure(
        key="fault",
        title=_("Fault attribution"),
        description=_(
            "Whose fault the investigation found, for complaints received in the period "
            "(internal only)."
        ),
        headers=[_("Fault"), _("This period"), _("Previous period")],
        rows=table,
        chart={
            "type": "doughnut",
            "labels": [r[0] for r in table],
            "datasets": [{"label": _("This period"), "data": [r[1] for r in table]}],
        },
    )


def open_improvements(ctx: Context) -> Figure:
    open_tasks = ImprovementTask.objects.filter(
        done_at__isnull=True, case__in=ctx.scope.values("pk")
    )
    tasks = open_tasks.select_related("case", "owner").order_by("due", "pk")[:AT_RISK_LIMIT]
    table = [
        [t.information, t.location, t.owner.display_name, t.due, t.case.reference] for t in tasks
    ]
    return Figure(
        key="improvements",
        title=_("Open improvement tasks"),
        description=_(
            "Information of ours found unclear (A-4) whose fix is not done yet; the %(shown)s due "
            "soonest."
        )
        % {"shown": AT_RISK_LIMIT},
        headers=[_("Information"), _("Where it lives"), _("Owner"), _("Due"), _("Case")],
        rows=table,
        summary=[(_("Open"), len(table) if len(table) < AT_RISK_LIMIT else open_tasks.count())],
    )


def satisfaction(ctx: Context) -> Figure:
    """Ratings given in the period for cases in scope: averages and the 1-5 distributions."""
    ratings = SatisfactionRating.objects.filter(case__in=ctx.scope.values("pk"))
    current, previous = ctx.in_current("rated_at"), ctx.in_previous("rated_at")
    aggregates: dict[str, Any] = {
        "n": Count("pk", filter=current),
        "avg_outcome": Avg("outcome", filter=current),
        "avg_service": Avg("service", filter=current),
        "p_n": Count("pk", filter=previous),
        "p_outcome": Avg("outcome", filter=previous),
        "p_service": Avg("service", filter=previous),
    }
    for score in range(1, 6):
        aggregates[f"o{score}"] = Count("pk", filter=current & Q(outcome=score))
        aggregates[f"s{score}"] = Count("pk", filter=current & Q(service=score))
    row = ratings.aggregate(**aggregates)

    def avg(value: float | None) -> float | None:
        return None if value is None else round(float(value), 2)

    table: list[list[Any]] = [[score, row[f"o{score}"], row[f"s{score}"]] for score in range(1, 6)]
    return Figure(
        key="satisfaction",
        title=_("Satisfaction after closing"),
        description=_(
            "How customers rated the outcome and our service (1 poor to 5 very good), for ratings "
            "given in the period."
        ),
        headers=[_("Score"), _("Outcome"), pgettext("how we served the customer", "Service")],
        rows=table,
        chart={
            "type": "bar",
            "labels": [str(s) for s in range(1, 6)],
            "datasets": [
                {"label": _("Outcome"), "data": [r[1] for r in table]},
                {
                    "label": pgettext("how we served the customer", "Service"),
                    "data": [r[2] for r in table],
                },
            ],
        },
        summary=[
            (_("Ratings"), row["n"]),
            (_("Outcome, average"), avg(row["avg_outcome"])),
            (_("Service, average"), avg(row["avg_service"])),
            (_("Previous period: ratings"), row["p_n"]),
            (_("Previous period: outcome, average"), avg(row["p_outcome"])),
            (_("Previous period: service, average"), avg(row["p_service"])),
        ],
    )


FigureFunction = Callable[[Context], Figure]
