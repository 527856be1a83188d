"""What the advisors need from the database: a customer's history, the handling time of cases,
and the advice for one case or for every customer (amends.resolution.advisors does the weighing).

Handling hours are an estimate: the desk keeps no timesheets. A case costs BASE_MINUTES for
intake and reading, each staff action on its timeline the minutes in EVENT_MINUTES, and a
phone call the minutes logged with it (CALL_MINUTES when none were given). The figures are
deliberately plain so a manager can check them by hand against the timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case as When_
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    JSONField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.db.models.lookups import Contains
from django.utils import timezone

from amends.cases.models import REFERENCE_PREFIX, Case, Customer, Event, EventKind
from amends.resolution import advisors
from amends.resolution.advice_text import ConcessionView, present_concession
from amends.resolution.models import (
    Compensation,
    CompensationStatus,
    Fault,
    Investigation,
    LetGoDecision,
    ResolutionSettings,
)

# The same dispute: another case of the same customer this close before the one advised on.
DISPUTE_WINDOW = timedelta(days=365)
# Compensation given counts towards the share for this long (the share is of *annual* value).
COMPENSATION_WINDOW = timedelta(days=365)

BASE_MINUTES = 15
CALL_MINUTES = 15
EVENT_MINUTES: dict[str, int] = {
    EventKind.REPLY: 20,
    EventKind.NOTE: 5,
    EventKind.CUSTOMER_MESSAGE: 10,
    EventKind.HANDED_OVER: 10,
    EventKind.INVESTIGATED: 30,
    EventKind.IMPROVEMENT: 10,
    EventKind.PROPOSAL: 30,
    EventKind.ACTION_ITEM: 10,
    EventKind.COMPENSATION: 10,
    EventKind.REVIEW: 30,
}
# Triage reason kinds that make a message abusive (amends.playbook.triage).
ABUSIVE_KINDS = frozenset({"insult"})


@dataclass(frozen=True)
class DisputeKey:
    """What makes two cases the same dispute: the order, or the category and product line."""

    order_reference: str
    category_id: int | None
    product_line_id: int | None
    before: datetime
    case_id: int | None = None
    repeat_of_id: int | None = None

    @classmethod
    def of(cls, case: Case) -> DisputeKey:
        return cls(
            order_reference=case.order_reference.strip(),
            category_id=case.category_id,
            product_line_id=case.product_line_id,
            before=case.received_at,
            case_id=case.pk,
            repeat_of_id=case.repeat_of_id,
        )

    def matches(self) -> Q | None:
        match = Q()
        if self.order_reference:
            match |= Q(order_reference__iexact=self.order_reference)
        if self.category_id is not None and self.product_line_id is not None:
            match |= Q(category_id=self.category_id, product_line_id=self.product_line_id)
        if self.repeat_of_id is not None:
            match |= Q(pk=self.repeat_of_id)
        if self.case_id is not None:
            match |= Q(repeat_of_id=self.case_id)
        return match or None


def thresholds(settings: ResolutionSettings | None = None) -> advisors.Thresholds:
    s = settings or ResolutionSettings.current()
    return advisors.Thresholds(
        concede_share=s.concede_share,
        persuade_share=s.persuade_share,
        repeat_limit=s.repeat_limit,
        unfounded_limit=s.unfounded_limit,
    )


def _faults(cases: QuerySet[Case]) -> dict[int, str]:
    return dict(Investigation.objects.filter(case__in=cases).values_list("case_id", "fault"))


def customer_history(
    customer: Customer, *, dispute_key: DisputeKey | None = None, at: datetime | None = None
) -> advisors.CustomerHistory:
    """The customer's earlier complaints; the case named by dispute_key is not counted."""
    at = at or timezone.now()
    cases = Case.objects.filter(customer=customer)
    if dispute_key is not None and dispute_key.case_id is not None:
        cases = cases.exclude(pk=dispute_key.case_id)
    faults = list(_faults(cases).values())
    repeats = 0
    if dispute_key is not None and (match := dispute_key.matches()) is not None:
        repeats = (
            cases.filter(match)
            .filter(
                received_at__lte=dispute_key.before,
                received_at__gte=dispute_key.before - DISPUTE_WINDOW,
            )
            .count()
        )
    since = at - COMPENSATION_WINDOW
    given = Compensation.objects.filter(
        Q(approved_at__gte=since) | Q(approved_at__isnull=True, proposed_at__gte=since),
        case__customer=customer,
        status__in=[CompensationStatus.APPROVED, CompensationStatus.PAID],
    ).aggregate(total=Sum("amount"))["total"]
    return advisors.CustomerHistory(
        complaints=cases.count(),
        founded=sum(1 for f in faults if f in advisors.FOUNDED),
        unfounded=sum(1 for f in faults if f in advisors.UNFOUNDED),
        same_dispute_repeats=repeats,
        compensation_given=given or Decimal(0),
    )


def _event_minutes(kind: str, data: dict[str, Any]) -> int:
    if kind == EventKind.PHONE_CALL:
        minutes = data.get("minutes")
        return int(minutes) if isinstance(minutes, int | float) and minutes >= 0 else CALL_MINUTES
    return EVENT_MINUTES.get(kind, 0)


def event_minutes() -> When_:
    """An event's handling minutes in SQL, as _event_minutes reckons them (a phone call's
    minutes are what cases.events.phone_call_logged stores: a whole number or none)."""
    return When_(
        *(When(kind=kind, then=Value(minutes)) for kind, minutes in EVENT_MINUTES.items()),
        # A call logged without minutes stores a JSON null: Cast alone would make it 0.
        When(
            Q(kind=EventKind.PHONE_CALL, data__minutes__gte=0) & ~Q(data__minutes=None),
            then=Cast(KT("data__minutes"), IntegerField()),
        ),
        When(kind=EventKind.PHONE_CALL, then=Value(CALL_MINUTES)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _case_minutes(events: QuerySet[Event]) -> dict[int, int]:
    """Each case's handling minutes from its staff events, summed in SQL (no base minutes)."""
    rows = (
        events.filter(kind__in=[*EVENT_MINUTES, EventKind.PHONE_CALL])
        .values("case_id")
        .annotate(total=Sum(event_minutes()))
        .order_by()
        .values_list("case_id", "total")
    )
    return {case_id: total or 0 for case_id, total in rows}


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def handling_hours(case_ids: list[int]) -> dict[int, Decimal]:
    """The estimated handling hours of each case (see the module docstring)."""
    work = _case_minutes(Event.objects.filter(case_id__in=case_ids))
    return {pk: _hours(BASE_MINUTES + work.get(pk, 0)) for pk in case_ids}


def _same_dispute_ids(case: Case, key: DisputeKey) -> list[int]:
    match = key.matches()
    if match is None:
        return []
    return list(
        Case.objects.filter(customer_id=case.customer_id)
        .exclude(pk=case.pk)
        .filter(match)
        .filter(received_at__lte=key.before, received_at__gte=key.before - DISPUTE_WINDOW)
        .values_list("pk", flat=True)
    )


def concession_for(
    case: Case, *, settings: ResolutionSettings | None = None
) -> advisors.ConcessionAdvice | None:
    """The concession advice for a case, or None when it has no disputed amount.

    The cost of fighting is the handling time of this dispute so far: this case and the
    earlier cases about the same dispute.
    """
    if case.disputed_amount is None:
        return None
    settings = settings or ResolutionSettings.current()
    key = DisputeKey.of(case)
    hours = handling_hours([case.pk, *_same_dispute_ids(case, key)])
    fault = Investigation.objects.filter(case=case).values_list("fault", flat=True).first()
    data = advisors.ConcessionInput(
        disputed_amount=case.disputed_amount,
        annual_value=case.customer.annual_value,
        handling_hours=sum(hours.values(), Decimal(0)),
        hourly_rate=settings.hourly_rate,
        fault=fault or Fault.UNDETERMINED,
        history=customer_history(case.customer, dispute_key=key),
    )
    return advisors.advise_concession(data, thresholds(settings))


def advisor_context(case: Case) -> dict[str, ConcessionView | None]:
    """Context for resolution/partials/advisor.html: `concession` is None without a disputed
    amount."""
    advice = concession_for(case)
    return {"concession": present_concession(advice) if advice is not None else None}


def _insult_text(signals: str) -> Contains:
    """A cheap text pre-filter of triage signals (JSON containment is not portable to SQLite):
    true for every abusive case (_abusive reads the signals properly), and for a few more."""
    return Contains(Cast(signals, TextField()), Value('"insult"'))


def _abusive(signals: Any) -> bool:
    reasons = signals.get("reasons", []) if isinstance(signals, dict) else []
    return any(isinstance(r, dict) and r.get("kind") in ABUSIVE_KINDS for r in reasons)


def _reference(pk: int) -> str:
    # Case.reference without building a Case: a model instance costs ~0.1 ms, and the let-go
    # list reads every case of tens of thousands of customers at scale.
    return f"{REFERENCE_PREFIX}{pk:06d}"


def let_go_inputs(
    customers: Sequence[Customer], *, hourly_rate: Decimal
) -> dict[int, advisors.LetGoInput]:
    """The let-go advisor's input for each customer, in a fixed number of queries.

    The cases come with their fault and handling minutes aggregated in SQL, and with their
    triage signals only when the text pre-filter finds an insult in them (_abusive decides).
    """
    ids = [c.pk for c in customers]
    rows = (
        Case.objects.filter(customer_id__in=ids)
        .annotate(
            fault=F("investigation__fault"),
            maybe_signals=When_(
                When(_insult_text("signals"), then=F("signals")),
                default=Value(None),
                output_field=JSONField(),
            ),
        )
        .order_by("received_at", "pk")
        .values_list("pk", "customer_id", "fault", "maybe_signals")
    )
    cases = list(rows)
    work = _case_minutes(Event.objects.filter(case__customer_id__in=ids))
    records: dict[int, list[advisors.CaseRecord]] = {pk: [] for pk in ids}
    for pk, customer_id, fault, signals in cases:
        records[customer_id].append(
            advisors.CaseRecord(
                reference=_reference(pk),
                fault=fault or Fault.UNDETERMINED,
                handling_hours=_hours(BASE_MINUTES + work.get(pk, 0)),
                abusive=_abusive(signals),
            )
        )
    return {
        c.pk: advisors.LetGoInput(c.annual_value, hourly_rate, tuple(records[c.pk]))
        for c in customers
    }


def let_go_advice(
    customer: Customer, *, settings: ResolutionSettings | None = None
) -> advisors.LetGoAdvice:
    settings = settings or ResolutionSettings.current()
    data = let_go_inputs([customer], hourly_rate=settings.hourly_rate)[customer.pk]
    return advisors.advise_let_go(data, thresholds(settings))


def _may_be_let_go(limits: advisors.Thresholds, hourly_rate: Decimal) -> QuerySet[Customer]:
    """The customers advise_let_go can recommend, found in SQL (a superset: the advisor decides).

    Per customer: the unfounded complaints (exact), the cases whose signals mention an insult
    (at least the abusive ones), and for the cost signal an upper bound of the handling cost.
    The advisor sums each case's hours rounded to 0.01 h, which adds at most 0.2 minutes to a
    case (m / 60 h is a whole hundredth plus 0, 1/3 or 2/3 of one), and rounds the cost to a
    cent: 60 x cost <= (minutes + 0.2 n) x rate + 0.3. A hundredth more covers SQLite's floats.
    So a customer a few cents under the cost limit may pass here; the advisor leaves them out.
    A customer a manager decided on is left out until a new case arrives.
    """
    limit = max(limits.unfounded_limit, 1)
    cases = Count("cases")
    unfounded = Count("cases", filter=Q(cases__investigation__fault__in=sorted(advisors.UNFOUNDED)))
    insulting = Count("cases", filter=_insult_text("cases__signals"))
    # One row per customer even without events; SUM as a plain function, not an aggregate, so
    # that Django neither groups the subquery nor puts it in the outer GROUP BY (PostgreSQL then
    # runs it only for the customers the cheaper signals leave undecided).
    work = Subquery(
        Event.objects.filter(
            case__customer_id=OuterRef("pk"), kind__in=[*EVENT_MINUTES, EventKind.PHONE_CALL]
        )
        .order_by()
        .annotate(total=Func(event_minutes(), template="COALESCE(SUM(%(expressions)s), 0)"))
        .values("total"),
        output_field=IntegerField(),
    )
    money = DecimalField(max_digits=30, decimal_places=6)
    cost_bound = ExpressionWrapper(
        (work + BASE_MINUTES * F("n") + Decimal("0.2") * F("n")) * Value(hourly_rate)
        + Decimal("0.31"),
        output_field=money,
    )
    last_decided = Subquery(
        LetGoDecision.objects.filter(customer_id=OuterRef("pk"))
        .order_by("-decided_at")
        .values("decided_at")[:1]
    )
    return (
        Customer.objects.annotate(
            n=cases,
            unfounded=unfounded,
            insulting=insulting,
            latest_case=Max("cases__received_at"),
            last_decided=last_decided,
        )
        .filter(Q(unfounded__gte=1) | Q(insulting__gte=1))
        .filter(Q(last_decided__isnull=True) | Q(latest_case__gt=F("last_decided")))
        .alias(cost_bound=cost_bound)
        .filter(
            Q(unfounded__gte=limit)
            | Q(insulting__gte=advisors.ABUSIVE_CASE_LIMIT)
            | Q(annual_value__gt=0, cost_bound__gte=60 * F("annual_value"))
        )
    )


def let_go_candidates() -> list[tuple[Customer, advisors.LetGoAdvice]]:
    """Customers the let-go advisor flags, highest score first, in a fixed number of queries.

    SQL keeps the customers who can be flagged (_may_be_let_go); the advisor weighs only those.
    """
    settings = ResolutionSettings.current()
    limits = thresholds(settings)
    customers = list(_may_be_let_go(limits, settings.hourly_rate).order_by("name", "pk"))
    inputs = let_go_inputs(customers, hourly_rate=settings.hourly_rate)
    found = [(c, advisors.advise_let_go(inputs[c.pk], limits)) for c in customers]
    return sorted(((c, a) for c, a in found if a.recommended), key=lambda pair: -pair[1].score)
