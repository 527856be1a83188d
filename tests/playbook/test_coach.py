"""The reply coach: elements, flags, negation, questions and quotes in all four languages."""

from datetime import date

import pytest

from amends.playbook import Context, check_reply
from amends.playbook.lexicon import ELEMENTS, FLAGS

TODAY = date(2026, 11, 23)
CTX = Context(today=TODAY)

# The model reply of PRODUCT.md C, as an agent would write it in each language.
MODEL_REPLY = {
    "en": (
        "I'm sorry this happened. I understand why you are upset; I would be too. My name is Anna "
        "and I will handle this case and help you find a solution. So that I understand it well, "
        "please explain once more what the problem is. Within 7 days you will receive a binding "
        "answer from me."
    ),
    "pl": (
        "Przepraszam, że tak się stało. Rozumiem, dlaczego jest Pan zdenerwowany; na Pana miejscu "
        "czułabym to samo. Nazywam się Anna i zajmę się tą sprawą oraz pomogę znaleźć rozwiązanie. "
        "Żebym dobrze zrozumiała sytuację, proszę jeszcze raz opisać, na czym polega problem. "
        "W ciągu 7 dni otrzyma Pan ode mnie wiążącą odpowiedź."
    ),
    "bg": (
        "Съжалявам, че това се случи. Разбирам защо сте разстроени; и аз бих се ядосала. Казвам се "
        "Анна и лично ще се погрижа за този случай и ще Ви помогна да намерим решение. За да разбера "
        "добре, моля, опишете още веднъж какъв е проблемът. В рамките на 7 дни ще получите от мен "
        "обвързващ отговор."
    ),
    "fi": (
        "Pahoittelen, että näin kävi. Ymmärrän hyvin, miksi olette harmissanne; olisin itsekin. "
        "Nimeni on Anna, ja hoidan tämän asian ja autan löytämään ratkaisun. Jotta ymmärrän asian "
        "oikein, voisitteko kertoa vielä kerran, mikä ongelma on? Saatte minulta sitovan vastauksen "
        "7 päivän kuluessa."
    ),
}


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_model_reply_has_every_element_and_no_flag(lang):
    review = check_reply(MODEL_REPLY[lang], lang, CTX)
    assert {k for k, e in review.elements.items() if e.present} == set(ELEMENTS)
    assert review.flags == ()
    assert review.next_step_date == date(2026, 11, 30)
    assert review.score == 100


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_language_is_detected_when_not_given(lang):
    review = check_reply(MODEL_REPLY[lang], context=CTX)
    assert review.language == lang


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_empty_reply_misses_everything_with_advice_in_both_languages(lang):
    review = check_reply("Hello.", lang, CTX, ui_lang="pl")
    for element in review.elements.values():
        assert not element.present
        assert element.advice
        assert element.advice_ui
    assert review.elements["apology"].advice_ui.startswith("Przeproś")
    assert review.score == 100 - 15 - 10 - 15 - 10 - 20


# Negated apologies, questions and the customer's quoted words are no apology.
NOT_AN_APOLOGY = {
    "en": [
        "I am not sorry.",
        "Are you sorry?",
        'You wrote "you should apologise to me".',
        "We never apologise for the weather.",
    ],
    "pl": [
        "Nie przepraszam.",
        "Czy Pan przeprasza?",
        "Napisał Pan: „macie mnie przeprosić”.",
        "Oczekuje Pan przeprosin.",
    ],
    "bg": [
        "Не съжалявам.",
        "Съжалявате ли?",
        "Написахте „извинете се“.",
        "За съжаление пратката закъсня.",
    ],
    "fi": [
        "En pahoittele.",
        "Pahoitteletteko?",
        "Kirjoititte ”pyydä anteeksi”.",
        "Vaaditte anteeksipyyntöä.",
    ],
}


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_negation_questions_and_quotes_are_no_apology(lang):
    for text in NOT_AN_APOLOGY[lang]:
        review = check_reply(text, lang, CTX)
        assert not review.elements["apology"].present, text


APOLOGY_FORMS = {
    "en": [
        "I'm sorry for the delay.",
        "We apologise for the mistake.",
        "Please accept our apologies.",
    ],
    "pl": ["Przepraszam za kłopot.", "Przepraszamy za opóźnienie.", "Bardzo nam przykro."],
    "bg": ["Извинявам се за забавянето.", "Извиняваме се.", "Съжаляваме за неудобството."],
    "fi": [
        "Pahoittelen viivästystä.",
        "Pahoittelemme tapahtunutta.",
        "Pahoitteluni virheestä.",
        "Olemme pahoillamme.",
    ],
}


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_inflected_and_formal_forms_count_as_apology(lang):
    for text in APOLOGY_FORMS[lang]:
        assert check_reply(text, lang, CTX).elements["apology"].present, text


FLAGGED = {
    "en": {
        "blame_customer": "You should have read the manual before installing it.",
        "blame_others": "The courier lost your parcel, not us.",
        "defensive": "That is not true: we did nothing wrong.",
        "lecturing": "As anyone knows, the warranty does not cover water damage.",
        "vague_delay": "We will get back to you soon.",
    },
    "pl": {
        "blame_customer": "Powinien Pan był przeczytać instrukcję przed montażem.",
        "blame_others": "Kurier zgubił Pana paczkę.",
        "defensive": "To nieprawda, nie popełniliśmy żadnego błędu.",
        "lecturing": "Jak wszyscy wiedzą, gwarancja nie obejmuje zalania.",
        "vague_delay": "Odezwiemy się wkrótce.",
    },
    "bg": {
        "blame_customer": "Трябваше да прочетете инструкцията преди монтажа.",
        "blame_others": "Куриерът изгуби пратката Ви.",
        "defensive": "Това не е вярно, не носим никаква отговорност.",
        "lecturing": "Както всеки знае, гаранцията не покрива наводнения.",
        "vague_delay": "Ще се свържем с Вас възможно най-скоро.",
    },
    "fi": {
        "blame_customer": "Teidän olisi pitänyt lukea käyttöohje ennen asennusta.",
        "blame_others": "Kuriiri hukkasi pakettinne.",
        "defensive": "Tämä ei pidä paikkaansa, emme ole tehneet mitään väärää.",
        "lecturing": "Kuten kaikki tietävät, takuu ei kata vesivahinkoja.",
        "vague_delay": "Palaamme asiaan mahdollisimman pian.",
    },
}


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
@pytest.mark.parametrize("kind", FLAGS)
def test_forbidden_moves_are_flagged_with_span_and_advice(lang, kind):
    text = FLAGGED[lang][kind]
    review = check_reply(text, lang, CTX)
    found = [f for f in review.flags if f.kind == kind]
    assert found, f"{kind} not found in {text!r}"
    assert text[found[0].start : found[0].end] == found[0].text
    assert found[0].advice
    assert found[0].advice_ui


NOT_BLAME = {
    "en": [
        "We never blame our customers.",
        "It was not your fault.",
        "I have asked the courier to collect the parcel tomorrow.",
    ],
    "pl": [
        "Nigdy nie obwiniamy klientów.",
        "To nie była Pana wina.",
        "Poprosiłam kuriera o odbiór paczki jutro.",
    ],
    "bg": [
        "Никога не обвиняваме клиентите си.",
        "Не е по Ваша вина.",
        "Помолих куриера да вземе пратката утре.",
    ],
    "fi": [
        "Emme koskaan syytä asiakkaitamme.",
        "Se ei ole teidän vikanne.",
        "Pyysin kuriiria noutamaan paketin huomenna.",
    ],
}


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_negated_blame_and_neutral_mentions_are_not_flagged(lang):
    for text in NOT_BLAME[lang]:
        kinds = check_reply(text, lang, CTX).flag_kinds()
        assert not kinds & {"blame_customer", "blame_others"}, text


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_vague_promise_with_a_date_in_the_sentence_is_not_vague(lang):
    text = {
        "en": "We will get back to you by Friday 27 November.",
        "pl": "Odezwiemy się do piątku, 27 listopada.",
        "bg": "Ще се свържем с Вас до 27 ноември.",
        "fi": "Palaamme asiaan viimeistään 27.11.",
    }[lang]
    review = check_reply(text, lang, CTX)
    assert "vague_delay" not in review.flag_kinds()
    assert review.next_step_date == date(2026, 11, 27)


def test_past_dates_are_not_a_next_step():
    review = check_reply("Your order of 12 November arrived damaged.", "en", CTX)
    assert not review.elements["next_step"].present


def test_unsupported_language_is_refused():
    with pytest.raises(ValueError, match="unsupported"):
        check_reply("Hallo", "de", CTX)


def test_json_shape_matches_the_issue():
    data = check_reply(
        FLAGGED["pl"]["blame_customer"] + " " + MODEL_REPLY["pl"], "pl", CTX
    ).to_dict()
    assert data["language"] == "pl"
    assert isinstance(data["score"], int)
    assert set(data["elements"]) == set(ELEMENTS)
    assert data["elements"]["apology"]["present"] is True
    assert isinstance(data["elements"]["apology"]["evidence"], list)
    assert data["elements"]["next_step"]["date"] == "2026-11-30"
    flag = data["flags"][0]
    assert flag["kind"] == "blame_customer"
    assert flag["span"] == [0, len("Powinien Pan był przeczytać")]
    assert {"text", "advice", "advice_ui"} <= set(flag)
