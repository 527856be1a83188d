"""Checks that need the case: promised dates, fault, owner's name, public channel."""

from datetime import date

import pytest

from amends.playbook import Context, Fault, check_reply

TODAY = date(2026, 11, 23)
PROMISE = {
    "en": "I'm sorry. You will receive my answer by 4 December.",
    "pl": "Przepraszam. Odpowiedź otrzyma Pan do 4 grudnia.",
    "bg": "Съжалявам. Ще получите отговор до 4 декември.",
    "fi": "Pahoittelen. Saatte vastauksen viimeistään 4.12.",
}


def kinds(review):
    return {c.kind for c in review.checks}


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_promise_after_the_commitment_date_is_caught(lang):
    ctx = Context(today=TODAY, commitment_due=date(2026, 11, 30))
    review = check_reply(PROMISE[lang], lang, ctx)
    assert "date_after_commitment" in kinds(review)
    (check,) = [c for c in review.checks if c.kind == "date_after_commitment"]
    assert "2026-12-04" in check.advice_ui
    assert "2026-11-30" in check.advice_ui


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_promise_after_the_statutory_date_is_caught(lang):
    ctx = Context(today=TODAY, statutory_due=date(2026, 12, 1), commitment_due=date(2026, 12, 10))
    review = check_reply(PROMISE[lang], lang, ctx)
    assert kinds(review) == {"date_after_statutory"}


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_promise_within_both_dates_is_fine(lang):
    ctx = Context(today=TODAY, statutory_due=date(2026, 12, 7), commitment_due=date(2026, 12, 4))
    assert kinds(check_reply(PROMISE[lang], lang, ctx)) == set()


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
@pytest.mark.parametrize("fault", [Fault.OURS, Fault.UNCLEAR_INFO])
def test_our_fault_without_apology_is_caught(lang, fault):
    text = {
        "en": "The refund is on its way.",
        "pl": "Zwrot jest w drodze.",
        "bg": "Възстановяването е на път.",
        "fi": "Hyvitys on matkalla.",
    }[lang]
    review = check_reply(text, lang, Context(today=TODAY, fault=fault))
    assert "fault_ours_no_apology" in kinds(review)
    assert "fault_ours_no_apology" not in kinds(
        check_reply(PROMISE[lang], lang, Context(today=TODAY, fault=fault))
    )


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_customer_fault_needs_no_apology(lang):
    review = check_reply("OK.", lang, Context(today=TODAY, fault=Fault.CUSTOMER))
    assert "fault_ours_no_apology" not in kinds(review)


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_missing_owner_name_is_caught_and_inflected_name_accepted(lang):
    ctx = Context(today=TODAY, owner="Anna Nowak")
    assert "owner_name_missing" in kinds(check_reply(PROMISE[lang], lang, ctx))
    signed = {"en": "Anna", "pl": "Z Anną Nowak", "bg": "Анна", "fi": "Annan puolesta"}[lang]
    owner = "Анна" if lang == "bg" else "Anna Nowak"
    ctx = Context(today=TODAY, owner=owner)
    assert "owner_name_missing" not in kinds(check_reply(PROMISE[lang] + "\n" + signed, lang, ctx))


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_case_details_on_a_public_channel_are_caught(lang):
    ctx = Context(today=TODAY, channel="social")
    review = check_reply(PROMISE[lang] + " #100234 / 249 PLN", lang, ctx)
    assert "public_channel" in kinds(review)
    assert "public_channel" not in kinds(check_reply(PROMISE[lang], lang, ctx))
    private = Context(today=TODAY, channel="email")
    assert "public_channel" not in kinds(check_reply(PROMISE[lang] + " #100234", lang, private))


def test_score_is_explained_by_its_deductions():
    ctx = Context(today=TODAY, owner="Anna", fault=Fault.OURS)
    review = check_reply("You should have read the manual. We will reply soon.", "en", ctx)
    assert review.score == max(0, 100 - sum(d.points for d in review.deductions))
    assert {d.kind for d in review.deductions} >= {
        "blame_customer",
        "vague_delay",
        "fault_ours_no_apology",
        "owner_name_missing",
    }
