"""Every template, filled in every language, passes the coach: no flag, every element it needs."""

from datetime import date

import pytest

from amends.playbook import PURPOSE_ELEMENTS, Context, check_reply
from amends.playbook.templates import PURPOSES, CaseFacts, TemplateError, fill_template, format_date

TODAY = date(2026, 11, 23)
ANSWER = date(2026, 11, 27)
FACTS = {
    "en": CaseFacts(
        "Maria Lopez", "Anna Reed", "AM-2026-0042", ANSWER,
        details_needed="a photo of the damaged parcel and your order number",
        remedy="a new sofa delivered free of charge",
        reason="the damage was reported after the 14-day period agreed in the contract",
        previous_owner_name="Peter Smith",
    ),
    "pl": CaseFacts(
        "Jan Kowalski", "Anna Nowak", "AM-2026-0042", ANSWER,
        details_needed="zdjęcie uszkodzonej przesyłki oraz numer zamówienia",
        remedy="wymiana sofy na nową z bezpłatną dostawą",
        reason="uszkodzenie zgłoszono po upływie 14 dni określonych w umowie",
        previous_owner_name="Piotr Wiśniewski",
    ),
    "bg": CaseFacts(
        "Мария Иванова", "Анна Петрова", "AM-2026-0042", ANSWER,
        details_needed="снимка на повредената пратка и номера на поръчката",
        remedy="нов диван с безплатна доставка",
        reason="повредата е заявена след 14-дневния срок по договора",
        previous_owner_name="Петър Георгиев",
    ),
    "fi": CaseFacts(
        "Matti Virtanen", "Anna Korhonen", "AM-2026-0042", ANSWER,
        details_needed="kuvan vaurioituneesta paketista ja tilausnumeron",
        remedy="uusi sohva toimitettuna veloituksetta",
        reason="vahinko ilmoitettiin sopimuksen 14 päivän määräajan jälkeen",
        previous_owner_name="Pekka Mäkinen",
    ),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
@pytest.mark.parametrize("purpose", PURPOSES)
def test_filled_template_passes_the_coach(lang, purpose):
    facts = FACTS[lang]
    filled = fill_template(purpose, lang, facts)
    assert facts.case_ref in filled.subject
    assert "{" not in filled.body
    ctx = Context(today=TODAY, owner=facts.owner_name, purpose=purpose, commitment_due=ANSWER)
    review = check_reply(filled.body, lang, ctx)
    missing = [k for k in PURPOSE_ELEMENTS[purpose] if not review.elements[k].present]
    assert missing == []
    assert [(f.kind, f.text) for f in review.flags] == []
    assert review.checks == ()
    assert review.next_step_date == ANSWER
    assert review.score == 100


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_template_is_detected_in_its_own_language(lang):
    filled = fill_template("acknowledgement", lang, FACTS[lang])
    assert check_reply(filled.body, context=Context(today=TODAY)).language == lang


def test_facts_can_be_a_plain_dict_with_an_iso_date():
    filled = fill_template(
        "acknowledgement",
        "en",
        {
            "customer_name": "Maria",
            "owner_name": "Anna",
            "case_ref": "AM-1",
            "answer_date": "2026-11-27",
        },
    )
    assert "by Friday 27 November 2026" in filled.body


def test_missing_fact_is_named():
    facts = {
        "customer_name": "Maria",
        "owner_name": "Anna",
        "case_ref": "AM-1",
        "answer_date": ANSWER,
    }
    with pytest.raises(TemplateError, match="remedy"):
        fill_template("resolution_proposal", "en", facts)


def test_unknown_template_or_language_is_refused():
    with pytest.raises(TemplateError):
        fill_template("apology_poem", "en", FACTS["en"])
    with pytest.raises(TemplateError):
        fill_template("acknowledgement", "de", FACTS["en"])


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Friday 27 November 2026"),
        ("pl", "piątku, 27 listopada 2026 r."),
        ("bg", "петък, 27 ноември 2026 г."),
        ("fi", "perjantaina 27.11.2026"),
    ],
)
def test_answer_date_is_written_the_local_way(lang, expected):
    assert format_date(ANSWER, lang) == expected
