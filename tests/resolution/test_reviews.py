"""Reviews after the resolution (D-4) and the blameless internal review (E-3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from amends.cases.models import Customer, EventKind, Visibility
from amends.resolution import services
from amends.resolution.models import CustomerReview, InternalReview
from tests.resolution.helpers import make_resolvable

BLAME = {
    "en": ("The courier lost the parcel.", "The courier lost"),
    "pl": ("Kurier zgubił paczkę.", "Kurier zgubił"),
    "bg": ("Куриерът изгуби пратката.", "Куриерът изгуби"),
    "fi": ("Kuriiri hukkasi paketin.", "Kuriiri hukkasi"),
}
BLAME_CUSTOMER = {
    "en": "You should have read the manual before installing it.",
    "pl": "Powinien Pan był przeczytać instrukcję przed montażem.",
    "bg": "Трябваше да прочетете инструкцията преди монтажа.",
    "fi": "Teidän olisi pitänyt lukea käyttöohje ennen asennusta.",
}
CAUSES = {
    "en": "The assembly guide did not say which screws to use.",
    "pl": "Instrukcja montażu nie mówiła, których śrub użyć.",
    "bg": "Инструкцията за монтаж не посочваше кои винтове да се използват.",
    "fi": "Asennusohjeessa ei kerrottu, mitä ruuveja käytetään.",
}
JURISDICTION = {"en": "PL", "pl": "PL", "bg": "BG", "fi": "FI"}


@pytest.fixture
def resolved(case, ania):
    make_resolvable(case, ania)
    return services.resolve(case, actor=ania)


@pytest.fixture
def case_in(make_case, ania):
    def make(lang: str):
        customer = Customer.objects.create(
            name="Customer " + lang, language=lang, jurisdiction=JURISDICTION[lang]
        )
        return make_case(customer, owner=ania, language=lang)

    return make


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_the_internal_review_names_causes_not_culprits(case_in, ania, lang) -> None:
    case = case_in(lang)
    text, phrase = BLAME[lang]
    with pytest.raises(ValidationError) as error:
        services.write_internal_review(
            case, actor=ania, what_happened=CAUSES[lang], contributing_causes=text
        )
    (message,) = error.value.messages
    assert phrase in message
    assert "causes" in message
    assert "E-3" in message
    with pytest.raises(ValidationError, match="names a culprit"):
        services.write_internal_review(
            case, actor=ania, what_happened=BLAME_CUSTOMER[lang], contributing_causes=CAUSES[lang]
        )
    assert not InternalReview.objects.exists()
    review = services.write_internal_review(
        case, actor=ania, what_happened=CAUSES[lang], contributing_causes=CAUSES[lang]
    )
    assert review.written_by == ania
    event = case.events.get(kind=EventKind.REVIEW)
    assert event.visibility == Visibility.INTERNAL
    assert event.data == {"change": "internal_review"}


def test_writing_the_internal_review_again_edits_it(case, ania, marta) -> None:
    services.write_internal_review(
        case, actor=ania, what_happened="Leak.", contributing_causes=CAUSES["pl"]
    )
    review = services.write_internal_review(
        case, actor=marta, what_happened="Leak at the hose.", contributing_causes=CAUSES["pl"]
    )
    assert InternalReview.objects.get().what_happened == "Leak at the hose."
    assert review.written_by == marta
    assert case.events.filter(kind=EventKind.REVIEW).last().data["change"] == (
        "internal_review_edited"
    )


def test_the_internal_review_needs_both_texts(case, ania) -> None:
    with pytest.raises(ValidationError, match="what happened"):
        services.write_internal_review(case, actor=ania, what_happened="", contributing_causes="x")
    with pytest.raises(ValidationError, match="contributing causes"):
        services.write_internal_review(case, actor=ania, what_happened="x", contributing_causes="")


def test_a_customer_review_follows_the_resolution(case, resolved, ania) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="follows the resolution"):
        services.write_customer_review(case, actor=ania, held_on=today, notes="x")
    # `case` is the same row as `resolved`, before the resolution; reload it.
    resolved.refresh_from_db()
    review = services.write_customer_review(
        resolved,
        actor=ania,
        held_on=today,
        notes="We went through the installation together.",
        recommendations="Level the washer once a year.",
        changes="Installation guide rewritten.",
    )
    assert CustomerReview.objects.get() == review
    assert review.recommendations == "Level the washer once a year."
    with pytest.raises(ValidationError, match="future"):
        services.write_customer_review(
            resolved, actor=ania, held_on=today + timedelta(days=2), notes="x"
        )
    with pytest.raises(ValidationError, match="names a culprit"):
        services.write_customer_review(
            resolved, actor=ania, held_on=today, notes=BLAME_CUSTOMER["pl"]
        )
    assert resolved.events.filter(kind=EventKind.REVIEW).count() == 1


def test_another_teams_agent_cannot_write_reviews(resolved, boryana) -> None:
    with pytest.raises(PermissionDenied):
        services.write_internal_review(
            resolved, actor=boryana, what_happened="x", contributing_causes="y"
        )


def test_prevention_actions_have_owners_dates_and_the_root_cause(
    resolved, ania, piotr, boryana, soon
) -> None:
    action = services.add_prevention_action(
        resolved, actor=ania, title="Rewrite the assembly guide", owner=piotr, due=soon
    )
    assert action.cause == services.investigation_for(resolved).root_cause
    with pytest.raises(ValidationError, match="past"):
        services.add_prevention_action(
            resolved,
            actor=ania,
            title="x",
            owner=piotr,
            due=timezone.localdate() - timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        services.complete_prevention_action(action, actor=boryana)
    services.complete_prevention_action(action, actor=piotr)
    action.refresh_from_db()
    assert action.done_at is not None
    changes = resolved.events.filter(kind=EventKind.REVIEW).values_list("data__change", flat=True)
    assert list(changes) == ["prevention_action", "prevention_done"]
