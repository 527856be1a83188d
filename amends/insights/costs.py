"""What complaints cost: compensation and goodwill paid, the cost of handling, and the
complaint-cost reserve per product line (B-3), with its trend.

Money is counted when it happens: compensation on the day it was paid, handling time on the day
of the work (each staff event; a case's base minutes on the day it was received). The handling
estimate is amends.resolution.history's (its minutes per event kind), summed here in SQL.
The reserve counts money in the organisation's currency (ResolutionSettings.currency, that of
the hourly rate): compensation paid and revenue entered in another currency are left out and
counted beside the figure, as there is no exchange rate to convert them with.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case as When_
from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import formats
from django.utils.translation import gettext as _

from amends.cases.models import Event, EventKind, ProductLine
from amends.insights.metrics import Context, Figure, Filters
from amends.insights.models import RevenueEntry
from amends.resolution.history import BASE_MINUTES, EVENT_MINUTES, event_minutes
from amends.resolution.models import (
    Compensation,
    CompensationKind,
    CompensationStatus,
    ResolutionSettings,
)

TREND_PERIODS = 6
NO_LINE = 0  # the key of cases without a product line
CENT = Decimal("0.01")


def _bucket(name: str, periods: list[Filters]) -> When_:
    whens = []
    for index, period in enumerate(periods):
        start, until = period.bounds()
        whens.append(When(Q(**{f"{name}__gte": start, f"{name}__lt": until}), then=Value(index)))
    return When_(*whens, default=Value(-1), output_field=IntegerField())


def _span(periods: list[Filters], name: str) -> Q:
    starts = [p.bounds()[0] for p in periods]
    ends = [p.bounds()[1] for p in periods]
    return Q(**{f"{name}__gte": min(starts), f"{name}__lt": max(ends)})


Key = tuple[int, int]  # (product line id or NO_LINE, period index)


def handling_minutes(ctx: Context, periods: list[Filters]) -> dict[Key, int]:
    """Handling minutes per product line and period: two grouped queries, once per page."""
    return ctx.shared(("handling", tuple(periods)), lambda: _handling_minutes(ctx, periods))


def _handling_minutes(ctx: Context, periods: list[Filters]) -> dict[Key, int]:
    cases = ctx.scope
    minutes: dict[Key, int] = {}
    work = (
        Event.objects.filter(
            _span(periods, "at"),
            case__in=cases.values("pk"),
            kind__in=[*EVENT_MINUTES, EventKind.PHONE_CALL],
        )
        .annotate(bucket=_bucket("at", periods), minutes=event_minutes())
        .values("case__product_line_id", "bucket")
        .annotate(total=Sum("minutes"))
        .order_by()
    )
    for row in work:
        key = (row["case__product_line_id"] or NO_LINE, row["bucket"])
        minutes[key] = minutes.get(key, 0) + (row["total"] or 0)
    received = (
        cases.filter(_span(periods, "received_at"))
        .annotate(bucket=_bucket("received_at", periods))
        .values("product_line_id", "bucket")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for line in received:
        key = (line["product_line_id"] or NO_LINE, line["bucket"])
        minutes[key] = minutes.get(key, 0) + line["n"] * BASE_MINUTES
    return minutes


def _paid(ctx: Context, periods: list[Filters]) -> Any:
    return Compensation.objects.filter(
        _span(periods, "paid_at"),
        status=CompensationStatus.PAID,
        case__in=ctx.scope.values("pk"),
    ).annotate(bucket=_bucket("paid_at", periods))


Paid = tuple[dict[Key, tuple[Decimal, Decimal]], int]


def paid_by_line(ctx: Context, periods: list[Filters], currency: str) -> Paid:
    """(compensation, goodwill) paid in `currency` per product line and period, and how many
    lines were paid in another currency: one grouped query, once per page."""
    return ctx.shared(
        ("paid", tuple(periods), currency), lambda: _paid_by_line(ctx, periods, currency)
    )


def _paid_by_line(ctx: Context, periods: list[Filters], currency: str) -> Paid:
    money = DecimalField(max_digits=16, decimal_places=2)
    goodwill = Q(kind=CompensationKind.GOODWILL)
    rows = (
        _paid(ctx, periods)
        .values("case__product_line_id", "bucket", "currency")
        .annotate(
            lines=Count("pk"),
            compensation=Coalesce(
                Sum("amount", filter=~goodwill), Value(Decimal(0)), output_field=money
            ),
            goodwill=Coalesce(
                Sum("amount", filter=goodwill), Value(Decimal(0)), output_field=money
            ),
        )
        .order_by()
    )
    rows = list(rows)
    sums = {
        (r["case__product_line_id"] or NO_LINE, r["bucket"]): (
            r["compensation"].quantize(CENT),
            r["goodwill"].quantize(CENT),
        )
        for r in rows
        if r["currency"] == currency
    }
    return sums, sum(r["lines"] for r in rows if r["currency"] != currency and r["bucket"] >= 0)


def revenue_by_line(
    periods: list[Filters], product_line_id: int | None, currency: str
) -> tuple[dict[Key, Decimal], int]:
    """Revenue in `currency` per line and period (an entry that straddles a period counts pro
    rata by days), and how many entries of the periods are in another currency."""
    first = min(p.start for p in periods)
    last = max(p.end for p in periods)
    entries = RevenueEntry.objects.filter(period_start__lte=last, period_end__gte=first)
    if product_line_id:
        entries = entries.filter(product_line_id=product_line_id)
    revenue: dict[Key, Decimal] = {}
    other = 0
    # Revenue rows are few (a line a month), not cases: prorating them here is cheap.
    for entry in entries:
        if entry.currency != currency:
            other += 1
            continue
        for index, period in enumerate(periods):
            overlap = (
                min(entry.period_end, period.end) - max(entry.period_start, period.start)
            ).days + 1
            if overlap > 0:
                key = (entry.product_line_id, index)
                share = entry.amount * overlap / entry.days
                revenue[key] = revenue.get(key, Decimal(0)) + share
    return {k: v.quantize(CENT) for k, v in revenue.items()}, other


def reserve_percent(
    compensation: Decimal, goodwill: Decimal, handling: Decimal, revenue: Decimal
) -> Decimal | None:
    """The complaint-cost reserve (B-3): what complaints cost as a share of the line's revenue."""
    if revenue <= 0:
        return None
    return (100 * (compensation + goodwill + handling) / revenue).quantize(CENT)


def _trend_periods(filters: Filters, count: int) -> list[Filters]:
    """This period and the `count - 1` before it, oldest first."""
    periods = [filters]
    for _i in range(count - 1):
        periods.append(periods[-1].previous())
    return list(reversed(periods))


def _line_names(ids: set[int]) -> dict[int, str]:
    names = dict(ProductLine.objects.filter(pk__in=ids - {NO_LINE}).values_list("pk", "name"))
    names[NO_LINE] = _("(none)")
    return names


def _period_label(period: Filters) -> str:
    start = formats.date_format(period.start, "SHORT_DATE_FORMAT")
    end = formats.date_format(period.end, "SHORT_DATE_FORMAT")
    return f"{start} – {end}"


def compensation_paid(ctx: Context) -> Figure:
    labels = dict(CompensationKind.choices)
    current, previous = ctx.in_current("paid_at"), ctx.in_previous("paid_at")
    rows = (
        Compensation.objects.filter(
            ctx.in_either("paid_at"),
            status=CompensationStatus.PAID,
            case__in=ctx.scope.values("pk"),
        )
        .values("kind", "case__product_line__name", "currency")
        .annotate(current=Sum("amount", filter=current), previous=Sum("amount", filter=previous))
        .order_by("kind", "case__product_line__name", "currency")
    )
    table: list[list[Any]] = [
        [
            str(labels.get(r["kind"], r["kind"])),
            r["case__product_line__name"] or _("(none)"),
            r["currency"],
            (r["current"] or Decimal(0)).quantize(CENT),
            (r["previous"] or Decimal(0)).quantize(CENT),
        ]
        for r in rows
    ]
    by_kind: dict[str, list[Decimal]] = {}
    for kind, _line, _currency, cur, prev in table:
        totals = by_kind.setdefault(kind, [Decimal(0), Decimal(0)])
        totals[0] += cur
        totals[1] += prev
    return Figure(
        key="compensation",
        title=_("Compensation and goodwill paid"),
        description=_(
            "Ledger lines marked paid in the period, by kind and product line. Goodwill is what "
            "we gave beyond the agreement (B-5)."
        ),
        headers=[
            _("Kind"),
            _("Product or service line"),
            _("Currency"),
            _("This period"),
            _("Previous period"),
        ],
        rows=table,
        chart={
            "type": "bar",
            "labels": list(by_kind),
            "datasets": [
                {"label": _("This period"), "data": [float(v[0]) for v in by_kind.values()]},
                {"label": _("Previous period"), "data": [float(v[1]) for v in by_kind.values()]},
            ],
        },
    )


def _hourly_rate() -> Decimal:
    return ResolutionSettings.current().hourly_rate


def _currency() -> str:
    return ResolutionSettings.current().currency


def handling_cost(ctx: Context) -> Figure:
    periods = [ctx.filters.previous(), ctx.filters]
    minutes = handling_minutes(ctx, periods)
    rate = _hourly_rate()
    lines = sorted({line for line, _b in minutes}, key=lambda x: (x == NO_LINE, x))
    names = _line_names(set(lines))
    table: list[list[Any]] = []
    for line in lines:
        hours = [Decimal(minutes.get((line, i), 0)) / 60 for i in (1, 0)]
        table.append(
            [
                names.get(line, str(line)),
                hours[0].quantize(CENT),
                (hours[0] * rate).quantize(CENT),
                (hours[1] * rate).quantize(CENT),
            ]
        )
    return Figure(
        key="handling-cost",
        title=_("Cost of handling"),
        description=_(
            "Estimated handling hours of the work done in the period (minutes per timeline "
            "event, and a base per complaint received), times the hourly rate of %(rate)s."
        )
        % {"rate": f"{formats.number_format(rate, 2)} {_currency()}"},
        headers=[_("Product or service line"), _("Hours"), _("Cost"), _("Previous period")],
        rows=table,
        chart=_line_chart_pair(table),
        summary=[(_("Total cost"), sum((r[2] for r in table), Decimal(0)))],
    )


def _line_chart_pair(table: list[list[Any]]) -> dict[str, Any]:
    return {
        "type": "bar",
        "labels": [r[0] for r in table],
        "datasets": [
            {"label": _("This period"), "data": [float(r[2]) for r in table]},
            {"label": _("Previous period"), "data": [float(r[3]) for r in table]},
        ],
    }


@dataclass
class Reserve:
    """Per product line, per period: compensation, goodwill, handling cost, revenue and
    reserve %, in `currency`; and what was left out for being in another currency."""

    lines: dict[int, list[dict[str, Any]]]
    currency: str
    other_paid: int  # compensation lines paid in another currency
    other_revenue: int  # revenue entries in another currency

    def left_out(self) -> list[tuple[str, Any]]:
        """The figure's summary: the money not counted, if any."""
        out: list[tuple[str, Any]] = []
        if self.other_paid:
            out.append((_("Compensation lines in another currency, left out"), self.other_paid))
        if self.other_revenue:
            out.append((_("Revenue entries in another currency, left out"), self.other_revenue))
        return out


def reserve_table(ctx: Context, periods: list[Filters]) -> Reserve:
    """The reserve of each product line and period, in the organisation's currency."""
    currency = _currency()
    minutes = handling_minutes(ctx, periods)
    paid, other_paid = paid_by_line(ctx, periods, currency)
    revenue, other_revenue = revenue_by_line(periods, ctx.filters.product_line_id, currency)
    rate = _hourly_rate()
    lines = {k[0] for k in (*minutes, *paid, *revenue) if k[1] >= 0}
    out: dict[int, list[dict[str, Any]]] = {}
    for line in lines:
        out[line] = []
        for index in range(len(periods)):
            compensation, goodwill = paid.get((line, index), (Decimal(0), Decimal(0)))
            handling = (Decimal(minutes.get((line, index), 0)) / 60 * rate).quantize(CENT)
            income = revenue.get((line, index), Decimal(0))
            out[line].append(
                {
                    "compensation": compensation,
                    "goodwill": goodwill,
                    "handling": handling,
                    "revenue": income,
                    "reserve": reserve_percent(compensation, goodwill, handling, income),
                }
            )
    return Reserve(out, currency, other_paid, other_revenue)


def reserve(ctx: Context) -> Figure:
    periods = [ctx.filters.previous(), ctx.filters]
    result = reserve_table(ctx, periods)
    data = result.lines
    names = _line_names(set(data))
    table = []
    for line in sorted(data, key=lambda x: (x == NO_LINE, names.get(x, ""))):
        previous, current = data[line]
        table.append(
            [
                names.get(line, str(line)),
                current["compensation"],
                current["goodwill"],
                current["handling"],
                current["compensation"] + current["goodwill"] + current["handling"],
                current["revenue"],
                current["reserve"],
                previous["reserve"],
            ]
        )
    return Figure(
        key="reserve",
        title=_("Complaint-cost reserve"),
        description=_(
            "Per product or service line: (compensation + goodwill + handling cost) / revenue of "
            "the line in the period, in %%: the share to build into prices (B-3). Amounts in "
            "%(currency)s."
        )
        % {"currency": result.currency},
        headers=[
            _("Product or service line"),
            _("Compensation"),
            _("Goodwill"),
            _("Handling cost"),
            _("Total cost"),
            _("Revenue"),
            _("Reserve (%)"),
            _("Previous period (%)"),
        ],
        rows=table,
        chart={
            "type": "bar",
            "labels": [r[0] for r in table],
            "datasets": [
                {"label": _("This period"), "data": [_float(r[6]) for r in table]},
                {"label": _("Previous period"), "data": [_float(r[7]) for r in table]},
            ],
        },
        summary=result.left_out(),
    )


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def reserve_trend(ctx: Context) -> Figure:
    periods = _trend_periods(ctx.filters, TREND_PERIODS)
    result = reserve_table(ctx, periods)
    data = result.lines
    names = _line_names(set(data))
    lines = sorted((line for line in data if line != NO_LINE), key=lambda x: names.get(x, ""))
    labels = [_period_label(p) for p in periods]
    table = [
        [label, *(data[line][i]["reserve"] for line in lines)] for i, label in enumerate(labels)
    ]
    return Figure(
        key="reserve-trend",
        title=_("Complaint-cost reserve over the last periods (%)"),
        description=_("The reserve of each line for this period and the five before it."),
        headers=[_("Period"), *(names[line] for line in lines)],
        rows=table,
        chart={
            "type": "line",
            "labels": labels,
            "datasets": [
                {
                    "label": names[line],
                    "data": [_float(data[line][i]["reserve"]) for i in range(len(periods))],
                }
                for line in lines
            ],
        },
        summary=result.left_out(),
    )
