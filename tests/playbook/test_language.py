"""Language detection, sentence splitting and quoted spans."""

import pytest

from amends.playbook.language import (
    UNDETERMINED,
    detect_language,
    quoted_spans,
    split_sentences,
)

SAMPLES = {
    "en": "I am sorry that your parcel arrived damaged; I will handle your case personally.",
    "pl": "Przepraszam, że przesyłka dotarła uszkodzona; osobiście zajmę się Pana sprawą.",
    "bg": "Съжалявам, че пратката пристигна повредена; лично ще се погрижа за Вашия случай.",
    "fi": "Pahoittelen, että paketti saapui vaurioituneena; hoidan asianne henkilökohtaisesti.",
}


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_each_served_language_is_detected_with_confidence(lang):
    detection = detect_language(SAMPLES[lang])
    assert detection.lang == lang
    assert detection.served == lang
    assert detection.confidence > 0.5


@pytest.mark.parametrize("text", ["ok", "Hi!", "12345 678", ""])
def test_text_too_short_is_undetermined(text):
    assert detect_language(text).lang == UNDETERMINED


def test_undetermined_text_still_names_a_served_language_to_coach_in():
    assert detect_language("Ок").served == "bg"
    assert detect_language("ok").served == "en"


def test_neighbour_language_is_reported_but_coached_in_a_served_one():
    detection = detect_language(
        "Dobrý den, omlouváme se za zpoždění zásilky a věc vyřešíme co nejdříve."
    )
    assert detection.lang in {"cs", "sk"}
    assert detection.served in {"pl", "en", "bg", "fi"}


def test_sentences_keep_their_offsets_and_questions():
    text = "I'm sorry. Are you sorry?\nDear Anna,\nthanks. See 27.11. for details."
    sentences = split_sentences(text)
    for s in sentences:
        assert text[s.start : s.end] == s.text
    assert [s.is_question for s in sentences][:2] == [False, True]


def test_hard_wrapped_line_is_not_a_sentence_break():
    text = "We will send the replacement\nparts by Friday. Thank you."
    assert [s.text for s in split_sentences(text)] == [
        "We will send the replacement\nparts by Friday.",
        "Thank you.",
    ]


def test_abbreviations_do_not_end_a_sentence():
    sentences = split_sentences(
        "Proszę przesłać np. Zdjęcie paragonu. Dziękuję.", frozenset({"np."})
    )
    assert len(sentences) == 2


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('You wrote "you should apologise" to us.', '"you should apologise"'),
        ("Napisał Pan „to wasza wina”, rozumiem.", "„to wasza wina”"),
        ("Написахте „вината е ваша“ и разбирам.", "„вината е ваша“"),
        ("Kirjoititte ”pyydän anteeksi” viestissä.", "”pyydän anteeksi”"),
    ],
)
def test_quotes_in_every_language_style_are_found(text, quoted):
    ((start, end),) = quoted_spans(text)
    assert text[start:end] == quoted
