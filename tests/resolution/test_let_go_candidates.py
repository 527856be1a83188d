"""The let-go candidates (E-4) at scale: SQL keeps the customers who can be flagged, the advisor
weighs only those, and the answer is the one the advisor gives over every customer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amends.cases import services as case_services
from amends.cases.models import Case, Customer, Event
from amends.intake import signals
from amends.resolution import advisors, history
from amends.resolution.models import Investigation, LetGoDecision, ResolutionSettings

pytestmark = pytest.mark.django_db

INSULT = "Jesteście bandą oszustów i złodziei!"


def customer(name: str, value: str | int = 10_000) -> Customer:
    return Customer.objects.create(name=name, language="pl", annual_value=Decimal(value))


def cases(make_case, who: Customer, owner, n: int, *, fault: str | None = None) -> list[Case]:
    made = [make_case(who, owner=owner) for _ in range(n)]
    for case in made:
        if fault is not None:
            Investigation.objects.create(case=case, fault=fault)
    return made


def insult(case: Case) -> None:
    signals.refresh(case, text=INSULT, channel="email")


def full_evaluation() -> list[tuple[int, dict[str, object]]]:
    """The advisor over every customer, each case's hours reckoned in Python from its events."""
    settings = ResolutionSettings.current()
    limits = history.thresholds(settings)
    minutes: dict[int, int] = {}
    for case_id, kind, data in Event.objects.values_list("case_id", "kind", "data"):
        minutes[case_id] = minutes.get(case_id, 0) + history._event_minutes(kind, data or {})
    faults = dict(Investigation.objects.values_list("case_id", "fault"))
    found = []
    for who in Customer.objects.order_by("name", "pk"):
        decided = who.let_go.order_by("-decided_at").first()
        mine = list(who.cases.order_by("received_at", "pk"))
        if decided is not None and not any(c.received_at > decided.decided_at for c in mine):
            continue
        records = tuple(
            advisors.CaseRecord(
                reference=c.reference,
                fault=faults.get(c.pk, "undetermined"),
                handling_hours=(Decimal(history.BASE_MINUTES + minutes.get(c.pk, 0)) / 60).quantize(
                    Decimal("0.01")
                ),
                abusive=history._abusive(c.signals),
            )
            for c in mine
        )
        advice = advisors.advise_let_go(
            advisors.LetGoInput(who.annual_value, settings.hourly_rate, records), limits
        )
        if advice.recommended:
            found.append((who, advice))
    found.sort(key=lambda pair: -pair[1].score)
    return [(who.pk, advice.to_json()) for who, advice in found]


def test_sql_prefilter_and_the_full_evaluation_agree_at_each_threshold(make_case, ania, marta):
    ResolutionSettings.objects.update_or_create(pk=1, defaults={"hourly_rate": Decimal(40)})
    # Unfounded: three is the limit.
    cases(make_case, customer("A unfounded 3"), ania, 3, fault="customer")
    cases(make_case, customer("B unfounded 2"), ania, 2, fault="none")
    # Abusive: two cases with insults is the limit.
    for case in cases(make_case, customer("C abusive 2"), ania, 2):
        insult(case)
    insult(cases(make_case, customer("D abusive 1"), ania, 1)[0])
    # Signals that mention "insult" without an insult: the text pre-filter lets them through,
    # the advisor does not count them.
    for case in cases(make_case, customer("E insult mentioned"), ania, 2):
        Case.objects.filter(pk=case.pk).update(
            signals={"reasons": [{"kind": "caps", "quote": "insult"}]}
        )
    # Cost: one unfounded case of 15 + 45 minutes = 1.00 h x 40 = 40.00.
    for name, value in (("F cost 40.00", "40.00"), ("G cost under 40.01", "40.01")):
        case = cases(make_case, customer(name, value), ania, 1, fault="customer")[0]
        case_services.log_phone_call(case, actor=ania, summary="Rozmowa", minutes=45)
    # Each case's hours are rounded before they are summed: 3 x 20 minutes is 3 x 0.33 h,
    # 0.99 h x 40 = 39.60 (not 40.00).
    for name, value in (("H rounded 39.60", "39.60"), ("I rounded under 39.61", "39.61")):
        three = cases(make_case, customer(name, value), ania, 3)
        Investigation.objects.create(case=three[0], fault="customer")
        for case in three:
            case_services.add_note(case, actor=ania, text="Sprawdzić umowę")
    # Costly, but every complaint was founded: our problem, not a customer to let go.
    costly = cases(make_case, customer("J founded costly", 1), ania, 2, fault="ours")
    case_services.add_note(costly[0], actor=ania, text="Do wyjaśnienia")
    # No annual value known: no cost signal, however long the calls.
    case = cases(make_case, customer("K value unknown", 0), ania, 1, fault="customer")[0]
    case_services.log_phone_call(case, actor=ania, summary="Długa rozmowa", minutes=600)
    # A call logged without minutes counts CALL_MINUTES: 15 + 15 = 30 minutes, 0.50 h x 40.
    case = cases(make_case, customer("L call unlogged", 20), ania, 1, fault="customer")[0]
    case_services.log_phone_call(case, actor=ania, summary="Oddzwonienie")
    # Decided on: left out until a new case arrives.
    for name in ("M decided", "N decided, new case"):
        who = customer(name)
        cases(make_case, who, ania, 3, fault="customer")
        LetGoDecision.objects.create(customer=who, outcome="keep", reason="Ważny", decided_by=marta)
    cases(make_case, Customer.objects.get(name="N decided, new case"), ania, 1)

    settings = ResolutionSettings.current()
    maybe = {
        c.name for c in history._may_be_let_go(history.thresholds(settings), settings.hourly_rate)
    }
    candidates = history.let_go_candidates()
    flagged = {c.name for c, _a in candidates}

    assert [(c.pk, a.to_json()) for c, a in candidates] == full_evaluation()
    assert flagged == {
        "A unfounded 3",
        "C abusive 2",
        "F cost 40.00",
        "H rounded 39.60",
        "L call unlogged",
        "N decided, new case",
    }
    # SQL lets through every flagged customer and, of the others, only the text look-alike and
    # those a few cents under the cost limit (its bound allows for the advisor's rounding).
    assert maybe - flagged == {"E insult mentioned", "G cost under 40.01", "I rounded under 39.61"}
    assert flagged <= maybe


def test_let_go_candidates_take_the_same_queries_for_two_or_twenty_customers(make_case, ania):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            history.let_go_candidates()
        return len(queries)

    ResolutionSettings.current()
    for i in range(2):
        cases(make_case, customer(f"Few {i}"), ania, 3, fault="customer")
    few = count()
    for i in range(18):
        who = customer(f"Many {i}", 5)
        made = cases(make_case, who, ania, 3 if i % 2 else 1, fault="none")
        case_services.add_note(made[0], actor=ania, text="Kolejna reklamacja")
        insult(made[-1])
    assert len(history.let_go_candidates()) == 20
    assert count() == few == 4
