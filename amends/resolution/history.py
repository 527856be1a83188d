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

from django.db.models import F, Max, Q, QuerySet, Sum, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from amends.cases.models import Case, Customer, Event, EventKind
from amends.resolution import advisors
from amends.resolution.advice_text import ConcessionView, present_concession
from amends.resolution.models import (
    Compensation,
    CompensationStatus,
    Fault,
    Investigation,
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


def handling_hours(case_ids: list[int]) -> dict[int, Decimal]:
    """The estimated handling hours of each case (see the module docstring)."""
    minutes = dict.fromkeys(case_ids, BASE_MINUTES)
    kinds = [*EVENT_MINUTES, EventKind.PHONE_CALL]
    for case_id, kind, data in Event.objects.filter(
        case_id__in=case_ids, kind__in=kinds
    ).values_list("case_id", "kind", "data"):
        minutes[case_id] += _event_minutes(kind, data or {})
    return {pk: (Decimal(m) / 60).quantize(Decimal("0.01")) for pk, m in minutes.items()}


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


def _abusive(signals: Any) -> bool:
    reasons = signals.get("reasons", []) if isinstance(signals, dict) else []
    return any(isinstance(r, dict) and r.get("kind") in ABUSIVE_KINDS for r in reasons)


def let_go_inputs(
    customers: Sequence[Customer], *, hourly_rate: Decimal
) -> dict[int, advisors.LetGoInput]:
    """The let-go advisor's input for each customer, in a fixed number of queries."""
    cases = list(
        Case.objects.filter(customer__in=customers)
        .order_by("received_at", "pk")
        .only("pk", "customer_id", "signals", "received_at")
    )
    faults = dict(
        Investigation.objects.filter(case__customer__in=customers).values_list("case_id", "fault")
    )
    hours = handling_hours([c.pk for c in cases])
    records: dict[int, list[advisors.CaseRecord]] = {c.pk: [] for c in customers}
    for case in cases:
        records[case.customer_id].append(
            advisors.CaseRecord(
                reference=case.reference,
                fault=faults.get(case.pk, Fault.UNDETERMINED),
                handling_hours=hours[case.pk],
                abusive=_abusive(case.signals),
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


def let_go_candidates() -> list[tuple[Customer, advisors.LetGoAdvice]]:
    """Customers the let-go advisor flags, highest score first, in a fixed number of queries.

    Only customers with an unfounded or abusive case can be flagged (advise_let_go), so only
    they are weighed. A customer a manager decided on is left out until a new case arrives.
    """
    settings = ResolutionSettings.current()
    unfounded = Investigation.objects.filter(fault__in=sorted(advisors.UNFOUNDED)).values(
        "case__customer_id"
    )
    # A cheap text pre-filter; _abusive reads the signals properly.
    insulting = (
        Case.objects.annotate(signals_text=Cast("signals", TextField()))
        .filter(signals_text__contains='"insult"')
        .values("customer_id")
    )
    latest_case = Max("cases__received_at")
    last_decided = Max("let_go__decided_at")
    customers = list(
        Customer.objects.filter(Q(pk__in=unfounded) | Q(pk__in=insulting))
        .annotate(latest_case=latest_case, last_decided=last_decided)
        .filter(Q(last_decided__isnull=True) | Q(latest_case__gt=F("last_decided")))
        .order_by("name", "pk")
    )
    inputs = let_go_inputs(customers, hourly_rate=settings.hourly_rate)
    limits = thresholds(settings)
    found = [(c, advisors.advise_let_go(inputs[c.pk], limits)) for c in customers]
    return sorted(((c, a) for c, a in found if a.recommended), key=lambda pair: -pair[1].score)
