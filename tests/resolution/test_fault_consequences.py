"""What the fault means for the next reply (B-2, A-4, D-3): the coach reads it from the case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from amends.cases.models import Customer, EventKind
from amends.playbook.coach import check_reply
from amends.playbook.review import Fault as CoachFault
from amends.resolution import services
from amends.resolution.models import Fault

NO_APOLOGY = {
    "en": "The refund is on its way.",
    "pl": "Zwrot jest w drodze.",
    "bg": "Възстановяването е на път.",
    "fi": "Hyvitys on matkalla.",
}
APOLOGY = {
    "en": "I'm sorry, the mistake was ours. The refund is on its way.",
    "pl": "Przepraszam, to nasz błąd. Zwrot jest w drodze.",
    "bg": "Съжалявам, грешката е наша. Възстановяването е на път.",
    "fi": "Pahoittelen, virhe oli meidän. Hyvitys on matkalla.",
}
BLAME = {
    "en": "You should have read the manual before installing it.",
    "pl": "Powinien Pan był przeczytać instrukcję przed montażem.",
    "bg": "Трябваше да прочетете инструкцията преди монтажа.",
    "fi": "Teidän olisi pitänyt lukea käyttöohje ennen asennusta.",
}
JURISDICTION = {"en": "PL", "pl": "PL", "bg": "BG", "fi": "FI"}


@pytest.fixture
def case_in(make_case, ania):
    def make(lang: str):
        customer = Customer.objects.create(
            name="Customer " + lang, language=lang, jurisdiction=JURISDICTION[lang]
        )
        return make_case(customer, owner=ania, language=lang)

    return make


def checks(case, text: str) -> set[str]:
    review = check_reply(text, case.language, services.coach_context(case))
    return {c.kind for c in review.checks}


def test_the_context_carries_owner_customer_dates_in_the_customers_zone_and_channel(
    case, ania
) -> None:
    context = services.coach_context(case, today=date(2026, 1, 5), purpose="hand_over")
    assert context.owner == "Ania Nowak"
    assert context.customer == "Jan Kowalski"
    assert context.commitment_due == timezone.localtime(case.commitment_due).date()
    assert context.statutory_due is not None
    assert context.channel == "email"
    assert context.today == date(2026, 1, 5)
    assert context.purpose == "hand_over"
    assert context.fault is None, "undetermined fault means the coach knows nothing"


def test_the_statutory_date_is_left_out_once_answered(case, ania) -> None:
    from amends.cases import services as case_services

    case_services.record_reply(case, actor=ania, text="Odpowiedź.", substantive=True)
    case.refresh_from_db()
    assert services.coach_context(case).statutory_due is None


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_our_fault_makes_the_coach_ask_for_an_apology(case_in, ania, lang) -> None:
    case = case_in(lang)
    assert "fault_ours_no_apology" not in checks(case, NO_APOLOGY[lang])
    services.set_fault(case, actor=ania, fault=Fault.OURS)
    assert services.coach_context(case).fault is CoachFault.OURS
    assert "fault_ours_no_apology" in checks(case, NO_APOLOGY[lang])
    assert "fault_ours_no_apology" not in checks(case, APOLOGY[lang])


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_unclear_information_also_needs_an_apology(case_in, ania, lang) -> None:
    case = case_in(lang)
    services.set_fault(case, actor=ania, fault=Fault.UNCLEAR_INFO)
    assert services.coach_context(case).fault is CoachFault.UNCLEAR_INFO
    assert "fault_ours_no_apology" in checks(case, NO_APOLOGY[lang])


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_the_customers_fault_still_forbids_blame(case_in, ania, lang) -> None:
    case = case_in(lang)
    services.set_fault(case, actor=ania, fault=Fault.CUSTOMER)
    context = services.coach_context(case)
    assert context.fault is CoachFault.CUSTOMER
    review = check_reply(BLAME[lang], lang, context)
    assert "blame_customer" in review.flag_kinds()
    assert "fault_ours_no_apology" not in {c.kind for c in review.checks}


def test_unclear_information_is_improved_tracked_to_done_and_listed(
    case, ania, piotr, marta, boryana, cause
) -> None:
    services.set_root_cause(case, actor=ania, cause=cause)
    services.set_fault(case, actor=ania, fault=Fault.UNCLEAR_INFO)
    assert services.missing_for_resolution(case) == [
        "The unclear information needs an improvement task (A-4)."
    ]
    due = timezone.localdate() + timedelta(days=14)
    task = services.add_improvement(
        case,
        actor=ania,
        information="Which screws to use for a concrete wall",
        location="Assembly guide, page 4",
        owner=piotr,
        due=due,
    )
    assert services.missing_for_resolution(case) == []
    assert list(services.open_improvements()) == [task]
    with pytest.raises(PermissionDenied):
        services.complete_improvement(task, actor=boryana)
    services.complete_improvement(task, actor=piotr)  # the task's owner
    task.refresh_from_db()
    assert task.done_at is not None
    assert list(services.open_improvements()) == []
    with pytest.raises(ValidationError, match="done already"):
        services.complete_improvement(task, actor=marta)
    changes = case.events.filter(kind=EventKind.IMPROVEMENT).values_list("data__change", flat=True)
    assert list(changes) == ["added", "done"]


def test_an_improvement_needs_what_where_an_owner_and_a_future_date(case, ania, piotr) -> None:
    past = timezone.localdate() - timedelta(days=1)
    future = timezone.localdate() + timedelta(days=3)
    with pytest.raises(ValidationError, match="which information"):
        services.add_improvement(
            case, actor=ania, information=" ", location="FAQ", owner=piotr, due=future
        )
    with pytest.raises(ValidationError, match="where"):
        services.add_improvement(
            case, actor=ania, information="Returns", location="", owner=piotr, due=future
        )
    with pytest.raises(ValidationError, match="past"):
        services.add_improvement(
            case, actor=ania, information="Returns", location="FAQ", owner=piotr, due=past
        )
    with pytest.raises(ValidationError, match="active staff"):
        services.add_improvement(
            case, actor=ania, information="Returns", location="FAQ", owner=None, due=future
        )
