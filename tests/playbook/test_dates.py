"""Dates and terms in replies, resolved to calendar dates relative to "today"."""

from datetime import date

import pytest

from amends.playbook.dates import add_working_days, find_dates

TODAY = date(2026, 11, 23)  # a Monday


def first(text, lang, today=TODAY):
    mentions = find_dates(text, lang, today)
    assert mentions, f"no date found in {text!r}"
    return mentions[0].date


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # The examples of the issue.
        ("en", "You will have it by Friday 27 November.", date(2026, 11, 27)),
        ("en", "Within 7 days you will receive a binding answer.", date(2026, 11, 30)),
        ("pl", "Odpowiem jutro do 12:00.", date(2026, 11, 24)),
        ("bg", "Ще Ви отговоря до петък.", date(2026, 11, 27)),
        ("fi", "Vastaan viimeistään perjantaina 28.11.", date(2026, 11, 28)),
        # More shapes per language.
        ("en", "I will call you tomorrow.", date(2026, 11, 24)),
        ("en", "in two working days", date(2026, 11, 25)),
        ("en", "by the end of the week", date(2026, 11, 27)),
        ("en", "on December 3rd", date(2026, 12, 3)),
        ("en", "by 2026-12-01", date(2026, 12, 1)),
        ("en", "within 24 hours", date(2026, 11, 24)),
        ("pl", "w ciągu 7 dni", date(2026, 11, 30)),
        ("pl", "w ciągu trzech dni roboczych", date(2026, 11, 26)),
        ("pl", "do piątku, 27 listopada 2026 r.", date(2026, 11, 27)),
        ("pl", "za tydzień", date(2026, 11, 30)),
        ("pl", "do końca miesiąca", date(2026, 11, 30)),
        ("pl", "pojutrze", date(2026, 11, 25)),
        ("bg", "в рамките на 7 дни", date(2026, 11, 30)),
        ("bg", "до 27 ноември 2026 г.", date(2026, 11, 27)),
        ("bg", "утре", date(2026, 11, 24)),
        ("bg", "в срок от три работни дни", date(2026, 11, 26)),
        ("fi", "7 päivän kuluessa", date(2026, 11, 30)),
        ("fi", "kahden viikon kuluessa", date(2026, 12, 7)),
        ("fi", "27. marraskuuta", date(2026, 11, 27)),
        ("fi", "huomenna klo 12", date(2026, 11, 24)),
        ("fi", "perjantaihin mennessä", date(2026, 11, 27)),
    ],
)
def test_terms_resolve_to_calendar_dates(lang, text, expected):
    assert first(text, lang) == expected


@pytest.mark.parametrize("lang", ["en", "pl", "bg", "fi"])
def test_numeric_dates_work_in_every_language(lang):
    assert first("27.11.2026", lang) == date(2026, 11, 27)
    assert first("2026-12-01", lang) == date(2026, 12, 1)


def test_date_without_year_long_past_means_next_year():
    assert first("by 5 January", "en", date(2026, 11, 23)) == date(2027, 1, 5)
    assert first("on 2 November", "en", date(2026, 11, 23)) == date(2026, 11, 2)


def test_weekday_means_the_next_one_after_today():
    assert first("on Monday", "en", TODAY) == date(2026, 11, 30)


def test_weekday_next_to_an_explicit_date_is_one_mention():
    (mention,) = find_dates("by Friday, 27 November", "en", TODAY)
    assert mention.text == "Friday, 27 November"
    assert mention.kind == "explicit"


def test_times_and_versions_are_not_dates():
    assert find_dates("klo 12.00 ja versio 2.3", "fi", TODAY) == []


def test_working_days_skip_the_weekend():
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)
