"""Triage of incoming complaints: irritation, exposure, category, priority and advice, with
their reasons, in all four languages."""

import json
import math

import pytest

from amends.playbook.triage import (
    CategoryHint,
    Priority,
    Signal,
    load_triage_lexicon,
    triage,
)

LANGS = ["en", "pl", "bg", "fi"]

CALM = {
    "en": "Hello, the kettle I ordered last week arrived with a cracked lid. Could you send a "
    "replacement lid or tell me how to return it? Thank you.",
    "pl": "Dzień dobry, czajnik zamówiony w zeszłym tygodniu przyszedł z pękniętą pokrywką. "
    "Czy mogą Państwo przysłać nową pokrywkę albo napisać, jak go zwrócić? Dziękuję.",
    "bg": "Здравейте, каната, която поръчах миналата седмица, пристигна с пукнат капак. Може ли "
    "да ми изпратите нов капак или да ми кажете как да я върна? Благодаря.",
    "fi": "Hei, viime viikolla tilaamani vedenkeitin saapui kansi haljenneena. Voisitteko lähettää "
    "uuden kannen tai kertoa, miten palautan sen? Kiitos.",
}

ANGRY = {
    "en": "THIS IS A COMPLETE DISGRACE!!! You are a bunch of idiots and scammers. "
    "Where is my money?!",
    "pl": "TO JEST SKANDAL!!! Jesteście bandą oszustów, oszuści i tyle. Gdzie są moje pieniądze?!",
    "bg": "ТОВА Е ПЪЛНО БЕЗОБРАЗИЕ!!! Вие сте мошеници и крадци. Къде са ми парите?!",
    "fi": "TÄMÄ ON TÖRKEÄÄ TOUHUA!!! Olette huijareita ja roistoja. Missä rahani ovat?!",
}

LEGAL = {
    "en": "I have had enough. I will go to court and report you to trading standards.",
    "pl": "Mam dość. Zgłoszę do UOKiK i sprawa trafi do sądu.",
    "bg": "Писна ми. Ще подам жалба в КЗП и ще ви съдя.",
    "fi": "Nyt riittää. Vien asian kuluttajariitalautakuntaan.",
}

LEGAL_NEGATED = {
    "en": "I will not go to court over this, I just want the right part.",
    "pl": "Nie chcę iść do sądu, proszę tylko o właściwą część.",
    "bg": "Няма да ходя в съда, искам само правилната част.",
    "fi": "En aio viedä asiaa kuluttajariitalautakuntaan, haluan vain oikean osan.",
}

LEGAL_CONDITIONAL = {
    "en": "If you don't refund me by Friday I will go to court.",
    "pl": "Jeśli nie zwrócicie pieniędzy do piątku pójdę do sądu.",
    "bg": "Ако не ми върнете парите до петък ще подам жалба в КЗП.",
    "fi": "Jos ette palauta rahoja perjantaihin mennessä vien asian kuluttajariitalautakuntaan.",
}

PUBLIC_THREAT = {
    "en": "If nobody answers I will write a review on Trustpilot and tell everyone.",
    "pl": "Wystawię opinię na Ceneo i opiszę wszystko na Facebooku.",
    "bg": "Ще пиша във Фейсбук и ще оставя отзив в Google.",
    "fi": "Kirjoitan arvostelun ja laitan kaiken someen.",
}

SAFETY = {
    "en": "The heater caught fire last night and the socket is black from the smoke.",
    "pl": "Suszarka zaczęła dymić, a potem poraził mnie prąd przy wyłączaniu.",
    "bg": "Зарядното започна да дими и имаше пожар в кухнята.",
    "fi": "Laturi alkoi savuta ja siitä syttyi tulipalo keittiössä.",
}

REPEATED = {
    "en": "This is the third time I write about the missing parcel.",
    "pl": "Po raz trzeci piszę w sprawie zaginionej paczki.",
    "bg": "За трети път пиша за изгубения пакет.",
    "fi": "Kirjoitan jo kolmatta kertaa kadonneesta paketista.",
}

WAITING = {
    "en": "I have been waiting for three weeks for the refund.",
    "pl": "Czekam na zwrot pieniędzy od trzech tygodni.",
    "bg": "Чакам възстановяването на парите от три седмици.",
    "fi": "Olen odottanut hyvitystä kolme viikkoa.",
}

LEAVE = {
    "en": "I am going to cancel my subscription and switch to another provider.",
    "pl": "Rezygnuję z usług i przechodzę do konkurencji.",
    "bg": "Прекратявам договора и минавам към друг доставчик.",
    "fi": "Irtisanon sopimuksen ja vaihdan toiseen operaattoriin.",
}

CATEGORIES = [
    CategoryHint("Delivery", ("deliver*", "courier", "parcel", "dostaw*", "kurier*", "paczk*",
                              "пакет*", "доставк*", "куриер*", "toimitu*", "paket*")),
    CategoryHint("Billing", ("invoice*", "refund*", "faktur*", "zwrot*", "фактур*",
                             "възстановяван*", "lasku*", "hyvit*")),
]  # fmt: skip


def test_weights_read_back_as_noisy_or():
    result = triage(ANGRY["en"], lang="en")
    weights = [r.weight for r in result.reasons_for(Signal.IRRITATION)]
    assert result.irritation == round(1 - math.prod(1 - w for w in weights), 3)
    assert 0 <= result.irritation <= 1


@pytest.mark.parametrize("lang", LANGS)
def test_calm_complaint_has_low_irritation_and_normal_priority(lang):
    result = triage(CALM[lang], lang=lang)
    assert result.irritation < 0.2
    assert result.exposure == 0
    assert result.priority == Priority.NORMAL
    assert result.advice == ()


@pytest.mark.parametrize("lang", LANGS)
def test_angry_complaint_with_capitals_exclamations_and_insults_calls_for_a_call(lang):
    result = triage(ANGRY[lang], lang=lang)
    kinds = result.kinds()
    assert {"insult", "capitals", "exclamation"} <= kinds
    assert result.irritation >= 0.6
    assert result.priority in (Priority.HIGH, Priority.URGENT)
    assert "call_customer" in result.advice_kinds()
    (call,) = [a for a in result.advice if a.kind == "call_customer"]
    assert call.text == load_triage_lexicon(lang).advice["call_customer"]
    assert call.text_ui == load_triage_lexicon("en").advice["call_customer"]


@pytest.mark.parametrize("lang", LANGS)
def test_evidence_spans_point_into_the_text(lang):
    result = triage(ANGRY[lang], lang=lang)
    for reason in result.reasons:
        if reason.match is not None:
            assert ANGRY[lang][reason.match.start : reason.match.end] == reason.match.text


@pytest.mark.parametrize("lang", LANGS)
def test_legal_threat_raises_priority_and_asks_for_the_statutory_deadline(lang):
    result = triage(LEGAL[lang], lang=lang)
    assert "threat_legal" in result.kinds()
    assert result.priority in (Priority.HIGH, Priority.URGENT)
    assert "legal_deadline" in result.advice_kinds()


@pytest.mark.parametrize("lang", LANGS)
def test_negated_legal_threat_does_not_count(lang):
    result = triage(LEGAL_NEGATED[lang], lang=lang)
    assert "threat_legal" not in result.kinds()
    assert "legal_deadline" not in result.advice_kinds()


@pytest.mark.parametrize("lang", LANGS)
def test_negation_inside_a_condition_leaves_the_threat_standing(lang):
    assert "threat_legal" in triage(LEGAL_CONDITIONAL[lang], lang=lang).kinds()


@pytest.mark.parametrize("lang", LANGS)
def test_threat_to_go_public_raises_exposure_and_irritation(lang):
    result = triage(PUBLIC_THREAT[lang], lang=lang)
    assert "threat_public" in {r.kind for r in result.reasons_for(Signal.EXPOSURE)}
    assert "threat_public" in {r.kind for r in result.reasons_for(Signal.IRRITATION)}
    assert result.exposure >= 0.5
    assert "direct_channel" in result.advice_kinds()


@pytest.mark.parametrize("lang", LANGS)
def test_public_channel_means_exposure_and_a_direct_channel(lang):
    result = triage(CALM[lang], lang=lang, channel="social")
    assert result.exposure >= 0.5
    assert "public_channel" in result.kinds()
    assert "direct_channel" in result.advice_kinds()
    assert result.priority == Priority.HIGH


def test_public_url_counts_as_exposure():
    result = triage(CALM["en"], lang="en", public_url="https://facebook.com/posts/1")
    assert "public_url" in result.kinds()
    assert result.exposure >= 0.5


@pytest.mark.parametrize("lang", LANGS)
def test_safety_words_make_it_urgent(lang):
    result = triage(SAFETY[lang], lang=lang)
    assert result.priority == Priority.URGENT
    assert "safety" in result.kinds()
    assert "safety" in result.advice_kinds()


@pytest.mark.parametrize("lang", LANGS)
def test_no_safety_issue_is_not_urgent(lang):
    text = {
        "en": "There was no smoke and no fire, the lamp just does not switch on.",
        "pl": "Nie było dymu ani pożaru, lampa po prostu się nie włącza.",
        "bg": "Нямаше дим, лампата просто не светва.",
        "fi": "Ei savua eikä tulipaloa, lamppu ei vain syty.",
    }[lang]
    result = triage(text, lang=lang)
    assert "safety" not in result.kinds()
    assert result.priority == Priority.NORMAL


@pytest.mark.parametrize("lang", LANGS)
def test_repeated_contact_in_the_text(lang):
    result = triage(REPEATED[lang], lang=lang)
    assert "repeated_contact" in result.kinds()
    assert result.irritation >= 0.3


def test_previous_contacts_argument_is_a_reason_without_a_span():
    result = triage(CALM["en"], lang="en", previous_contacts=3)
    (reason,) = [r for r in result.reasons if r.kind == "repeated_contact"]
    assert reason.match is None
    assert reason.weight == 0.45
    assert reason.detail == "previous_contacts=3"


@pytest.mark.parametrize("lang", LANGS)
def test_waiting_time_in_the_text(lang):
    assert "waiting" in triage(WAITING[lang], lang=lang).kinds()


def test_waiting_days_argument_grows_with_the_wait():
    week = triage(CALM["en"], lang="en", waiting_days=7).irritation
    month = triage(CALM["en"], lang="en", waiting_days=30).irritation
    assert 0 < week < month <= 0.4


@pytest.mark.parametrize("lang", LANGS)
def test_threat_to_leave(lang):
    result = triage(LEAVE[lang], lang=lang)
    assert "threat_leave" in result.kinds()
    assert result.irritation >= 0.35


@pytest.mark.parametrize("lang", LANGS)
def test_category_suggestion_with_evidence(lang):
    result = triage(REPEATED[lang], lang=lang, categories=CATEGORIES)
    assert result.category == "Delivery"
    assert result.category_match is not None
    assert result.category_match.evidence


def test_category_from_pairs_objects_and_the_subject():
    class Row:
        name = "Billing"
        keywords = "invoice*\nrefund*"

    pairs = [("Delivery", ["courier"]), Row()]
    result = triage("Hello.", lang="en", subject="Wrong invoice", categories=pairs)
    assert result.category == "Billing"
    assert result.category_match is not None
    assert result.category_match.score == 2  # a match in the subject counts twice
    assert result.category_match.evidence[0].source == "subject"
    assert triage(CALM["en"], lang="en", categories=pairs).category is None


def test_a_bad_category_keyword_is_skipped():
    result = triage("The courier lost it.", lang="en", categories=[("Delivery", ["?", "courier"])])
    assert result.category == "Delivery"


def test_short_acronyms_and_order_numbers_are_not_shouting():
    text = (
        "The DHL parcel AB-12345 with the PDF invoice and the HDMI cable never came, order XK2291."
    )
    result = triage(text, lang="en")
    assert "capitals" not in result.kinds()


def test_a_whole_complaint_in_capitals_is_shouting():
    result = triage("WHERE IS MY PARCEL I PAID THREE WEEKS AGO", lang="en")
    (caps,) = [r for r in result.reasons if r.kind == "capitals"]
    assert caps.weight == 0.5


def test_repeats_of_one_kind_weigh_less():
    result = triage("Idiots. Morons. Clowns.", lang="en")
    assert [r.weight for r in result.reasons if r.kind == "insult"] == [0.4, 0.2, 0.1]


def test_quoted_words_are_not_the_customer_s():
    result = triage('Your terms say "we will never go to court over a refund".', lang="en")
    assert "threat_legal" not in result.kinds()


def test_high_value_customer_and_close_deadline():
    assert triage(CALM["en"], lang="en", customer_value=80_000).priority == Priority.HIGH
    assert triage(CALM["en"], lang="en", customer_value=1_000).priority == Priority.NORMAL
    assert triage(CALM["en"], lang="en", days_to_deadline=2).priority == Priority.HIGH
    assert triage(CALM["en"], lang="en", days_to_deadline=5).priority == Priority.NORMAL
    both = triage(CALM["en"], lang="en", days_to_deadline=1, customer_value=90_000)
    assert both.priority == Priority.URGENT
    assert {"deadline", "high_value"} <= {r.kind for r in both.reasons_for(Signal.PRIORITY)}


@pytest.mark.parametrize("lang", LANGS)
def test_customer_who_says_no_rush_gets_low_priority(lang):
    text = {
        "en": "No rush, but the shelf I bought has a small scratch.",
        "pl": "Nie ma pośpiechu, ale kupiona półka ma małą rysę.",
        "bg": "Няма бързане, но рафтът, който купих, има малка драскотина.",
        "fi": "Ei kiirettä, mutta ostamassani hyllyssä on pieni naarmu.",
    }[lang]
    assert triage(text, lang=lang).priority == Priority.LOW


@pytest.mark.parametrize("lang", LANGS)
def test_language_is_detected_when_not_given(lang):
    result = triage(CALM[lang])
    assert result.language == lang
    assert 0 < result.language_confidence <= 1


def test_advice_in_the_complaint_language_and_the_ui_language():
    result = triage(ANGRY["pl"], lang="pl", ui_lang="fi")
    (call,) = [a for a in result.advice if a.kind == "call_customer"]
    assert call.text.startswith("Klient jest bardzo zdenerwowany")
    assert call.text_ui.startswith("Asiakas on hyvin ärtynyt")


def test_to_dict_has_the_documented_shape_and_is_json():
    data = triage(LEGAL["pl"], lang="pl", categories=CATEGORIES).to_dict()
    assert {
        "language",
        "irritation",
        "exposure",
        "category",
        "priority",
        "advice",
        "reasons",
    } <= set(data)
    assert data["priority"] in {"low", "normal", "high", "urgent"}
    assert {"kind", "text", "text_ui"} <= set(data["advice"][0])
    assert {"kind", "signal", "weight", "text", "span"} <= set(data["reasons"][0])
    json.dumps(data)


@pytest.mark.parametrize("lang", LANGS)
def test_every_triage_lexicon_has_advice_and_labels(lang):
    lex = load_triage_lexicon(lang)
    assert set(lex.advice) == {"call_customer", "direct_channel", "legal_deadline", "safety"}
    for key in ("irritation", "exposure", "priority", "low", "urgent", "threat_legal", "safety"):
        assert key in lex.ui
    assert all(lex.tables[kind][0] is not None for kind in lex.tables)
