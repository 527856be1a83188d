"""Rules the coach applies in every language (issue 3): past weekdays and section numbers are
no next step, glued optional groups are refused, longer negation windows and double negation,
single-quoted speech, every subject/predicate pair, and exclusions that must overlap a match."""

from datetime import date

import pytest

from amends.playbook import Context, check_reply
from amends.playbook.dates import find_dates, is_deadline
from amends.playbook.lexicon import LexiconError, parse_lexicon

TODAY = date(2026, 11, 23)  # a Monday
CTX = Context(today=TODAY)
LANGS = ["en", "pl", "bg", "fi"]


def next_step(text, lang):
    return check_reply(text, lang, CTX).next_step_date


# 1. A weekday told about the past ("on Monday we sent") and a section number ("§ 5.3.",
#    "point 3.2.") are no next step; a promised weekday still is.
PAST_WEEKDAY = {
    "en": ["On Monday we sent you the parcel.", "The parcel left our warehouse on Friday."],
    "pl": ["W poniedziałek wysłaliśmy paczkę.", "W piątek kurier przyjechał pod Pana adres."],
    "bg": ["В понеделник изпратихме пратката.", "В петък куриерът дойде на адреса."],
    "fi": ["Maanantaina lähetimme paketin.", "Kuriiri kävi perjantaina osoitteessanne."],
}
SECTION_NUMBER = {
    "en": ["As point 3.2. of the contract says, the fee applies.", "See § 5.3. of the terms."],
    "pl": ["Zgodnie z pkt 3.2. umowy opłata jest należna.", "Zob. § 12.4. regulaminu."],
    "bg": ["Съгласно т. 3.2. от договора таксата се дължи.", "Вижте чл. 5.1. от условията."],
    "fi": ["Ehtojen kohdan 3.2. mukaan maksu peritään.", "Katso ehtojen § 5.3. määräys."],
}
PROMISED_WEEKDAY = {
    "en": [("I will call you on Friday.", 27), ("You will have it by Friday.", 27)],
    "pl": [("Zadzwonię do Pana w piątek.", 27), ("Odpowiem do piątku.", 27)],
    "bg": [("Ще Ви се обадя в петък.", 27), ("Ще Ви отговоря до петък.", 27)],
    "fi": [("Soitan teille perjantaina.", 27), ("Vastaan perjantaihin mennessä.", 27)],
}


@pytest.mark.parametrize("lang", LANGS)
def test_past_weekday_is_no_next_step(lang):
    for text in PAST_WEEKDAY[lang]:
        assert next_step(text, lang) is None, text
        (mention,) = find_dates(text, lang, TODAY)
        assert mention.date < TODAY, text  # the weekday that has just passed


@pytest.mark.parametrize("lang", LANGS)
def test_section_numbers_are_not_dates(lang):
    for text in SECTION_NUMBER[lang]:
        assert find_dates(text, lang, TODAY) == [], text


@pytest.mark.parametrize("lang", LANGS)
def test_promised_weekday_is_still_a_next_step(lang):
    for text, day in PROMISED_WEEKDAY[lang]:
        assert next_step(text, lang) == date(2026, 11, day), text


# 2. "[x]y" compiles to "xy or y", never "x y": the loader refuses it and names file and phrase.
GLUED = {
    "en": "[just]to confirm",
    "pl": "najszybciej jak [to]możliwe",
    "bg": "[много]неприятно",
    "fi": "ei [olisi]pitänyt tapahtua",
}


@pytest.mark.parametrize("lang", LANGS)
def test_glued_optional_group_is_refused_with_file_and_phrase(lang):
    phrase = GLUED[lang]
    with pytest.raises(LexiconError, match=r"x\.toml \[clarify\]") as info:
        parse_lexicon(lang, {"clarify": {"phrases": ["hello", phrase]}}, "x.toml")
    assert repr(phrase) in str(info.value)
    assert "space" in str(info.value)


# 3. A negation a few more words before the match still cancels it, and a negated negation
#    ("we cannot deny", "nie możemy nie") affirms.
FAR_NEGATION = {
    "en": ("It was not at any point really your fault.", "blame_customer"),
    "pl": ("To nie była w tej sytuacji Pana wina.", "blame_customer"),
    "bg": ("Не беше в този случай Ваша вина.", "blame_customer"),
    "fi": ("Se ei ollut missään tapauksessa teidän vikanne.", "blame_customer"),
}
DOUBLE_NEGATION = {
    "en": "We cannot deny we made a mistake with your order.",
    "pl": "Nie możemy nie przeprosić za to opóźnienie.",
    "bg": "Не можем да не съжаляваме за забавянето.",
    "fi": "Emme voi olla pyytämättä anteeksi tätä viivettä.",
}


@pytest.mark.parametrize("lang", LANGS)
def test_negation_reaches_five_words_back(lang):
    text, kind = FAR_NEGATION[lang]
    assert kind not in check_reply(text, lang, CTX).flag_kinds(), text


@pytest.mark.parametrize("lang", LANGS)
def test_double_negation_affirms(lang):
    text = DOUBLE_NEGATION[lang]
    assert check_reply(text, lang, CTX).elements["apology"].present, text


# 4. Single-quoted speech is the customer's words; apostrophes inside words open no quote.
SINGLE_QUOTED = {
    "en": "You wrote: 'you should have told me earlier'. I understand.",
    "pl": "Napisał Pan: ‚to wasza wina‘. Rozumiem to.",
    "bg": "Написахте: ‚вината е ваша‘. Разбирам Ви.",
    "fi": "Kirjoititte: ’se on teidän vikanne’. Ymmärrän.",
}
APOSTROPHES_IN_WORDS = {
    "en": "We don't know the driver's route. You should have read the manual, it's clear.",
    "pl": "Sklep 'Dom' ma nowy adres. Powinien Pan był przeczytać instrukcję.",
    "bg": "Магазинът 'Дом' е затворен. Трябваше да прочетете инструкцията.",
    "fi": "Kauppa 'Koti' on kiinni. Teidän olisi pitänyt lukea käyttöohje.",
}


@pytest.mark.parametrize("lang", LANGS)
def test_single_quoted_words_are_the_customers(lang):
    review = check_reply(SINGLE_QUOTED[lang], lang, CTX)
    assert "blame_customer" not in review.flag_kinds(), SINGLE_QUOTED[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_apostrophes_open_no_quote(lang):
    review = check_reply(APOSTROPHES_IN_WORDS[lang], lang, CTX)
    assert "blame_customer" in review.flag_kinds(), APOSTROPHES_IN_WORDS[lang]


# 5. Every subject/predicate pair of a clause counts: when the first predicate is negated,
#    a later one still pairs with the subject (a predicate after ", but" is in another clause:
#    see test_a_subject_does_not_pair_with_a_predicate_of_the_next_clause).
# 6. An exclusion drops a pair only when it overlaps the subject or the predicate, not when it
#    stands in the words between them.
LATER_PREDICATE = {
    "en": "The courier was not careless at the door and then in the van messed up the delivery.",
    "pl": "Kurier nie był niekompetentny przy drzwiach i potem w aucie zgubił paczkę.",
    "bg": "Куриерът не беше небрежен при вратата и после в колата се оказа виновен за загубата.",
    "fi": "Kuriiri ei ollut huolimaton ovella ja autossa hän hukkasi paketin.",
}
LOOKALIKE_BETWEEN = {
    "pl": "Kurier, któremu Pan wydał wczoraj w sklepie paczkę do zwrotu, niestety ją zgubił.",
    "bg": "Куриерът, на когото прехвърляме вината вече втори път тази седмица, е виновен.",
    "fi": "Kuriiri, jonka asentajan olisi pitänyt tavata, hukkasi paketin.",
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_later_predicate_pairs_when_the_first_is_negated(lang):
    text = LATER_PREDICATE[lang]
    assert "blame_others" in check_reply(text, lang, CTX).flag_kinds(), text


@pytest.mark.parametrize("lang", ["pl", "bg", "fi"])
def test_exclusion_between_subject_and_predicate_does_not_drop_the_pair(lang):
    text = LOOKALIKE_BETWEEN[lang]
    assert "blame_others" in check_reply(text, lang, CTX).flag_kinds(), text


@pytest.mark.parametrize("lang", ["pl", "bg"])
def test_exclusion_overlapping_the_predicate_drops_the_pair(lang):
    text = {
        "pl": "Magazyn zapewnia, że nie było winy po jego stronie.",
        "bg": "Куриерът не прехвърля вината на никого.",
    }[lang]
    assert "blame_others" not in check_reply(text, lang, CTX).flag_kinds(), text


# Stems cover the inflected forms: gender and number of Polish past tenses, the Bulgarian
# masculine "-ен" adjectives, Finnish case endings with possessive suffixes.
INFLECTED_BLAME = {
    "pl": [
        ("Koleżanki z działu wysyłki pomyliły zamówienia.", "blame_others"),
        ("Paczkę niestety zgubiła firma kurierska.", "blame_others"),
    ],
    "bg": [
        ("Куриерът е виновен за забавянето.", "blame_others"),
        ("Вие сте виновен за повредата.", "blame_customer"),
    ],
    "fi": [
        ("Vahinko johtui virheestänne.", "blame_customer"),
        ("Reklamaationne on perusteeton.", "defensive"),
    ],
}


@pytest.mark.parametrize("lang", ["pl", "bg", "fi"])
def test_stems_cover_inflected_forms(lang):
    for text, kind in INFLECTED_BLAME[lang]:
        assert kind in check_reply(text, lang, CTX).flag_kinds(), text


# A clock time ("12:00") or a decimal comma ("1,5") is no clause break: the date before it still
# covers the promise after it, so a dated promise with a time is no vague delay.
CLOCK_PROMISE = {
    "en": "Tomorrow by 12:00 we will get back to you.",
    "pl": "Jutro do 12:00 odezwiemy się do Pana.",
    "bg": "Утре до 12:00 ще Ви се обадим.",
    "fi": "Huomenna klo 12:00 mennessä palaamme asiaan.",
}
CLOCK_VAGUE = {
    "en": "At 12:00 we received your message and we will get back to you soon.",
    "pl": "O 12:00 dostaliśmy Pana wiadomość i odezwiemy się wkrótce.",
    "bg": "В 12:00 получихме съобщението Ви и ще Ви се обадим скоро.",
    "fi": "Saimme viestinne klo 12:00 ja palaamme asiaan pian.",
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_clock_time_does_not_split_the_dated_promise(lang):
    review = check_reply(CLOCK_PROMISE[lang], lang, CTX)
    assert review.next_step_date == date(2026, 11, 24)
    assert "vague_delay" not in {f.kind for f in review.flags}


@pytest.mark.parametrize("lang", LANGS)
def test_a_clock_time_is_no_next_step_for_a_vague_promise(lang):
    review = check_reply(CLOCK_VAGUE[lang], lang, CTX)
    assert "vague_delay" in {f.kind for f in review.flags}


# A date without a year, a duration and a "today" word told about the past (a clause in a past
# tense without a future or request form) are no next step; with a future form they still are,
# and so are a date still ahead ("I booked it for 28 November") and a term after a comma that
# closes the past clause.
PAST_TERMS = {
    "en": [
        "The engagement letter was countersigned by you on 3 March.",
        "Sorry that the sole came away after a week.",
        "The courier tried today at 10:40, but nobody answered the door.",
    ],
    "pl": [
        "Umowę podpisał Pan 3 marca.",
        "W ciągu 3 dni od dostawy pojawiły się rysy.",
        "Kurier próbował doręczyć paczkę dziś około 10:40.",
    ],
    "bg": [
        "Договорът беше подписан от Вас на 3 март.",
        "Пратката пристигна след два дни.",
        "Куриерът дойде днес в 10:40.",
    ],
    "fi": [
        "Lähetimme laskun 3. maaliskuuta.",
        "Kuriiri toimitti paketin kolmen päivän kuluessa.",
        "Kuljettajamme yritti toimitusta tänään klo 10.40.",
    ],
}
FUTURE_TERMS = {
    "en": [
        ("As we agreed, we will call you on 3 December.", date(2026, 12, 3)),
        ("As we discussed, you will get the refund within 7 days.", date(2026, 11, 30)),
        ("We checked it and will send the label today at 15:00.", TODAY),
        ("I booked the delivery for 28 November.", date(2026, 11, 28)),
        ("We opened the complaint, you get the refund within 7 days.", date(2026, 11, 30)),
    ],
    "pl": [
        ("Jak ustaliliśmy, zadzwonię do Pana 3 grudnia.", date(2026, 12, 3)),
        ("Jak ustaliliśmy, odpowiemy w ciągu 7 dni.", date(2026, 11, 30)),
        ("Sprawdziłam to i wyślę etykietę jeszcze dziś.", TODAY),
        ("Zamówiłam doręczenie na sobotę 28 listopada.", date(2026, 11, 28)),
        ("Reklamację założyłem, zwrot dostaniesz w ciągu 7 dni.", date(2026, 11, 30)),
    ],
    "bg": [
        ("Както се разбрахме, ще Ви се обадим на 3 декември.", date(2026, 12, 3)),
        ("Както се разбрахме, ще отговорим в рамките на 7 дни.", date(2026, 11, 30)),
        ("Проверихме и ще изпратим етикета още днес.", TODAY),
        ("Поръчахме доставката за 28 ноември.", date(2026, 11, 28)),
        ("Регистрирахме рекламацията, парите получавате в рамките на 7 дни.", date(2026, 11, 30)),
    ],
    "fi": [
        ("Kuten sovimme, tulemme asentamaan laitteen 3. joulukuuta.", date(2026, 12, 3)),
        ("Kuten sovimme, voitte palauttaa tuotteen 7 päivän kuluessa.", date(2026, 11, 30)),
        ("Tarkistimme asian, ja voit noutaa paketin vielä tänään.", TODAY),
        ("Tilasimme toimituksen 28. marraskuuta.", date(2026, 11, 28)),
        ("Avasimme reklamaation, saat hyvityksen 7 päivän kuluessa.", date(2026, 11, 30)),
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_date_or_term_told_about_the_past_is_no_next_step(lang):
    for text in PAST_TERMS[lang]:
        assert next_step(text, lang) is None, text
        (mention,) = find_dates(text, lang, TODAY)
        assert mention.past, text
        assert mention.date <= TODAY, text


@pytest.mark.parametrize("lang", LANGS)
def test_a_date_or_term_with_a_future_form_is_still_a_next_step(lang):
    for text, day in FUTURE_TERMS[lang]:
        assert next_step(text, lang) == day, text


# "The next day" is no term: only with a number ("the next 3 days") or a "within" word.
NEXT_UNIT = {
    "en": "Next day prices are shown in the app every afternoon.",
    "pl": "Ceny na następny dzień widać w aplikacji, a następnego dnia rano są stałe.",
    "bg": "Цените за следващия ден се виждат в приложението, в следващите дни също.",
    "fi": "Seuraavan päivän tuntihinnat näet sovelluksesta aina iltapäivällä.",
}
NEXT_UNITS_TERM = {
    "en": ["We will answer within the next 3 days.", "We will answer within the next day."],
    "pl": ["Odpowiemy w ciągu następnych 3 dni.", "Odpowiemy w ciągu następnego dnia."],
    "bg": ["Ще отговорим в следващите 3 дни.", "Ще отговорим в рамките на следващия ден."],
    "fi": ["Vastaamme seuraavan 3 päivän aikana.", "Vastaamme seuraavan päivän aikana."],
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_next_day_alone_is_no_term(lang):
    assert find_dates(NEXT_UNIT[lang], lang, TODAY) == [], NEXT_UNIT[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_the_next_days_with_a_number_or_within_are_a_term(lang):
    for text in NEXT_UNITS_TERM[lang]:
        assert next_step(text, lang) is not None, text


# A match that starts with a clause-break word ("because you added", "jak już pisałem", "ако
# бяхте прочели", "kun hän vapautuu") opens a new clause: a negation of the clause before it does
# not cancel it. A negation inside the match's own clause still does.
NEGATION_BEFORE_NEW_CLAUSE = {
    "en": (
        "The payment didn't go through because you added the item after paying.",
        "blame_customer",
    ),
    "pl": ("Paczka nie dotarła jak już pisałem w poprzedniej wiadomości.", "lecturing"),
    "bg": ("Проблемът не щеше да възникне ако бяхте прочели инструкцията.", "blame_customer"),
    "fi": ("Asentaja ei ole nyt paikalla kun hän vapautuu soitamme teille.", "vague_delay"),
}
NEGATION_IN_OWN_CLAUSE = {
    "en": ("The payment didn't go through, and that is not your fault.", "blame_customer"),
    "pl": ("Paczka nie dotarła i nie jest to Pana wina.", "blame_customer"),
    "bg": ("Пратката не пристигна и това не е Ваша вина.", "blame_customer"),
    "fi": ("Paketti ei tullut, eikä se ole teidän vikanne.", "blame_customer"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_negation_does_not_reach_a_match_that_opens_a_new_clause(lang):
    text, kind = NEGATION_BEFORE_NEW_CLAUSE[lang]
    assert kind in check_reply(text, lang, CTX).flag_kinds(), text


@pytest.mark.parametrize("lang", LANGS)
def test_a_negation_in_the_matchs_own_clause_still_cancels_it(lang):
    text, kind = NEGATION_IN_OWN_CLAUSE[lang]
    assert kind not in check_reply(text, lang, CTX).flag_kinds(), text


# A vague promise followed, in the same sentence, by a clause that starts with an "at the latest"
# word ([dates].at_the_latest) and holds a date is dated. A later clause with a date but without
# that word, or with the word but no date, leaves it vague.
VAGUE_THEN_LATEST = {
    "en": "We will get back to you soon, no later than 27 November.",
    "pl": "Czekamy na odpowiedź od producenta, najpóźniej do piątku 27 listopada.",
    "bg": "Очакваме отговор от производителя, не по-късно от 27 ноември.",
    "fi": "Palaamme asiaan pian, viimeistään 27.11.",
}
VAGUE_THEN_OTHER_CLAUSE = {
    "en": [
        "We will get back to you soon, the courier comes on 27 November.",
        "We will get back to you soon, at the latest when we hear from them.",
    ],
    "pl": [
        "Czekamy na odpowiedź od producenta, kurier przyjedzie 27 listopada.",
        "Czekamy na odpowiedź od producenta, najpóźniej gdy się odezwie.",
    ],
    "bg": [
        "Очакваме отговор от производителя, куриерът идва на 27 ноември.",
        "Очакваме отговор от производителя, най-късно когато се обадят.",
    ],
    "fi": [
        "Palaamme asiaan pian, kuriiri tulee 27.11.",
        "Palaamme asiaan, viimeistään kun valmistaja vastaa.",
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_vague_promise_followed_by_an_at_the_latest_date_is_dated(lang):
    review = check_reply(VAGUE_THEN_LATEST[lang], lang, CTX)
    assert "vague_delay" not in review.flag_kinds(), VAGUE_THEN_LATEST[lang]
    assert review.next_step_date == date(2026, 11, 27)


@pytest.mark.parametrize("lang", LANGS)
def test_a_vague_promise_followed_by_another_clause_stays_vague(lang):
    for text in VAGUE_THEN_OTHER_CLAUSE[lang]:
        assert "vague_delay" in check_reply(text, lang, CTX).flag_kinds(), text


# A subject pairs with a predicate of its own clause only: a comma followed by a new-clause word
# ([negation].new_clauses: but/and, ale/i, но/и, mutta/ja) starts another clause. A comma alone
# does not: an insertion between commas keeps the pair.
PAIR_ACROSS_CLAUSES = {
    "en": "Our technician came on Monday, and the fault was in the fuse box.",
    "pl": "Kurier przyjechał, ale winny był zły kod do bramy.",
    "bg": "Куриерът дойде, но вината е в грешния код на входа.",
    "fi": "Kuljettaja soitti, mutta syy on väärässä ovikoodissa.",
}
PAIR_AROUND_INSERTION = {
    "en": "The courier, who we hired last year, is to blame for the delay.",
    "pl": "Kurier, którego zatrudniliśmy w zeszłym roku, zgubił paczkę.",
    "bg": "Куриерът, когото наехме миналата година, е виновен за загубата.",
    "fi": "Kuriiri, jonka palkkasimme viime vuonna, hukkasi paketin.",
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_subject_does_not_pair_with_a_predicate_of_the_next_clause(lang):
    text = PAIR_ACROSS_CLAUSES[lang]
    assert "blame_others" not in check_reply(text, lang, CTX).flag_kinds(), text


@pytest.mark.parametrize("lang", LANGS)
def test_a_subject_pairs_across_an_insertion_between_commas(lang):
    text = PAIR_AROUND_INSERTION[lang]
    assert "blame_others" in check_reply(text, lang, CTX).flag_kinds(), text


# A negation inside the "..." gap of a phrase cancels the match as one before it does ("the
# courier has not lost it", "Куриерът не е изгубил"); a negated negation still affirms, and a
# negation that is the phrase's own first word is no gap.
GAP_NEGATED = {
    "en": [("The courier has not lost your parcel.", "blame_others")],
    "pl": [("Kurier na pewno nie zgubił paczki.", "blame_others")],
    "bg": [
        ("Куриерът не е изгубил пратката.", "blame_others"),
        ("Случаят не е при мен.", "ownership"),
    ],
    "fi": [("Ymmärrän, että ette ole pettynyt.", "empathy")],
}
GAP_AFFIRMED = {
    "en": [
        ("The courier has lost your parcel.", "blame_others"),
        ("The courier cannot deny he lost your parcel.", "blame_others"),
    ],
    "pl": [
        ("Kurier na pewno zgubił paczkę.", "blame_others"),
        ("Nie mamy wpływu na pracę kuriera.", "blame_others"),
    ],
    "bg": [("Куриерът е изгубил пратката.", "blame_others")],
    "fi": [("Ymmärrän, että olette pettynyt.", "empathy")],
}


def found_kinds(text, lang):
    review = check_reply(text, lang, CTX)
    return review.flag_kinds() | {k for k, e in review.elements.items() if e.present}


@pytest.mark.parametrize("lang", LANGS)
def test_a_negation_inside_the_gap_of_a_phrase_cancels_it(lang):
    for text, kind in GAP_NEGATED[lang]:
        assert kind not in found_kinds(text, lang), text


@pytest.mark.parametrize("lang", LANGS)
def test_a_gap_without_a_negation_still_matches(lang):
    for text, kind in GAP_AFFIRMED[lang]:
        assert kind in found_kinds(text, lang), text


# "By the end of next week" / "of next month" is a term ([dates].end_of_next_week,
# end_of_next_month): the Friday of next week, the last day of next month, and it dates the
# promise it goes with, so it is no vague delay ("next week" alone still is in en).
END_OF_NEXT = {
    "en": [
        ("We will get back to you by the end of next week.", date(2026, 12, 4)),
        ("I will send the refund before the end of next month.", date(2026, 12, 31)),
        ("You will have the answer by the end of this week.", date(2026, 11, 27)),
    ],
    "pl": [
        ("Odezwiemy się do końca przyszłego tygodnia.", date(2026, 12, 4)),
        ("Zwrot wyślę do końca następnego miesiąca.", date(2026, 12, 31)),
        ("Odpowiedź dostanie Pan do końca tego tygodnia.", date(2026, 11, 27)),
    ],
    "bg": [
        ("Ще Ви се обадим до края на идната седмица.", date(2026, 12, 4)),
        ("Ще Ви отговорим до края на следващата седмица.", date(2026, 12, 4)),
        ("Ще възстановим сумата до края на следващия месец.", date(2026, 12, 31)),
    ],
    "fi": [
        ("Palaamme asiaan ensi viikon loppuun mennessä.", date(2026, 12, 4)),
        ("Hyvitys maksetaan seuraavan kuukauden loppuun mennessä.", date(2026, 12, 31)),
        ("Vastaamme tämän viikon loppuun mennessä.", date(2026, 11, 27)),
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_end_of_next_week_or_month_is_a_dated_next_step(lang):
    for text, day in END_OF_NEXT[lang]:
        review = check_reply(text, lang, CTX)
        assert review.next_step_date == day, text
        assert "vague_delay" not in review.flag_kinds(), text


def test_end_of_next_week_is_the_friday_of_the_next_calendar_week():
    # Said on a Saturday, "next week" is the one starting on the coming Monday.
    for today in (date(2026, 11, 28), date(2026, 11, 29), date(2026, 11, 23)):
        (mention,) = find_dates("by the end of next week", "en", today)
        assert mention.date == date(2026, 12, 4), today
    (mention,) = find_dates("do końca przyszłego tygodnia", "pl", date(2026, 11, 30))
    assert mention.date == date(2026, 12, 11)


# A deadline ([dates].deadline / deadline_after: "by", "within", "do", "до", "mennessä") in a
# later clause of the sentence dates the vague promise before it, also after an insertion
# between commas; a plain date in a later clause does not (see VAGUE_THEN_OTHER_CLAUSE), nor a
# deadline before the vague words.
VAGUE_THEN_DEADLINE = {
    "en": [
        ("We are looking into it, and I will reply by Friday 27 November.", date(2026, 11, 27)),
        (
            "We will reply by the e-mail given in your request, within 5 working days.",
            date(2026, 11, 30),
        ),
    ],
    "pl": [
        ("Trwa analiza, wynik podam do piątku 27 listopada.", date(2026, 11, 27)),
        (
            "Odpowiemy na adres e-mail, podany w zgłoszeniu, w ciągu 5 dni roboczych.",
            date(2026, 11, 30),
        ),
    ],
    "bg": [
        ("Проверяваме въпроса, ще Ви отговоря до петък, 27 ноември.", date(2026, 11, 27)),
        (
            "Ще Ви отговорим по имейла, посочен в заявката, до 5 работни дни.",
            date(2026, 11, 30),
        ),
    ],
    "fi": [
        ("Selvitämme asiaa, vastaan perjantaihin 27.11. mennessä.", date(2026, 11, 27)),
        (
            "Vastaamme sähköpostiin, jonka annoitte tilauksessa, 5 arkipäivän kuluessa.",
            date(2026, 11, 30),
        ),
    ],
}
DEADLINE_THEN_VAGUE = {
    "en": "We ship the parcel by Friday, and the refund follows soon.",
    "pl": "Paczkę wyślemy do piątku, a zwrot pieniędzy wkrótce.",
    "bg": "Ще изпратим пратката до петък, а парите ще върнем скоро.",
    "fi": "Lähetämme paketin perjantaihin mennessä, ja hyvitys tulee pian.",
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_deadline_in_a_later_clause_dates_a_vague_promise(lang):
    for text, day in VAGUE_THEN_DEADLINE[lang]:
        review = check_reply(text, lang, CTX)
        assert "vague_delay" not in review.flag_kinds(), text
        assert review.next_step_date == day, text


@pytest.mark.parametrize("lang", LANGS)
def test_a_deadline_before_the_vague_words_leaves_them_vague(lang):
    text = DEADLINE_THEN_VAGUE[lang]
    assert "vague_delay" in check_reply(text, lang, CTX).flag_kinds(), text


@pytest.mark.parametrize("lang", LANGS)
def test_deadline_marks_only_deadlines(lang):
    # the first date of each VAGUE_THEN_DEADLINE reply is a deadline; a courier's date is none
    for text, _ in VAGUE_THEN_DEADLINE[lang]:
        assert any(is_deadline(text, m, lang) for m in find_dates(text, lang, TODAY)), text
    for text in VAGUE_THEN_OTHER_CLAUSE[lang][:1]:
        assert not any(is_deadline(text, m, lang) for m in find_dates(text, lang, TODAY)), text


# A weekday after an apology for something ([dates].apology_for), in the same clause with no
# comma between, is what went wrong, so in the past: no next step. A "please" inside the apology
# formula asks for nothing. After a comma or a new clause, or with a future word, the weekday
# is still a promise.
APOLOGY_FOR_PAST_DAY = {
    "en": [
        "Please accept our apologies for the cold water in your room on Saturday.",
        "We are sorry for the missed delivery on Thursday.",
    ],
    "pl": [
        "Proszę przyjąć nasze przeprosiny za zimną wodę w Pana pokoju w sobotę.",
        "Przepraszamy za nieudaną dostawę w czwartek.",
    ],
    "bg": [
        "Моля, приемете нашите извинения за студената вода в стаята Ви в събота.",
        "Извиняваме се за пропуснатата доставка в четвъртък.",
    ],
    "fi": [
        "Pahoittelemme kylmää vettä huoneessanne lauantaina.",
        "Olemme pahoillamme torstain epäonnistuneesta toimituksesta.",
    ],
}
APOLOGY_THEN_PROMISED_DAY = {
    "en": [
        "Sorry for the delay, the technician comes on Saturday.",
        "We apologise for the delay and will deliver it on Saturday.",
        "Please accept our apologies for the delay; we will deliver on Saturday.",
    ],
    "pl": [
        "Przepraszamy za opóźnienie, technik przyjedzie w sobotę.",
        "Przepraszamy za opóźnienie i dostarczymy paczkę w sobotę.",
        "Proszę przyjąć przeprosiny za opóźnienie; paczkę dostarczymy w sobotę.",
    ],
    "bg": [
        "Извиняваме се за забавянето, техникът идва в събота.",
        "Извиняваме се за забавянето и ще доставим в събота.",
        "Моля, приемете нашите извинения за забавянето; ще доставим в събота.",
    ],
    "fi": [
        "Pahoittelemme viivästystä, asentaja tulee lauantaina.",
        "Pahoittelemme viivästystä ja toimitamme paketin lauantaina.",
        "Pahoittelemme viivästystä; toimitamme paketin lauantaina.",
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_weekday_in_an_apology_for_something_is_past(lang):
    for text in APOLOGY_FOR_PAST_DAY[lang]:
        assert next_step(text, lang) is None, text
        (mention,) = find_dates(text, lang, TODAY)
        assert mention.past, text
        assert mention.date < TODAY, text


@pytest.mark.parametrize("lang", LANGS)
def test_a_weekday_after_the_apology_clause_is_still_a_promise(lang):
    for text in APOLOGY_THEN_PROMISED_DAY[lang]:
        assert next_step(text, lang) == date(2026, 11, 28), text


# A question opening with a question word ([clarify].question_words) asks the customer for
# details, and so does a check phrase with a colon before a statement ending in "?"
# ([clarify].check_words). Without the "?", with "why" (often rhetorical), or with the check
# phrase but no question, it is no clarification.
OPENING_QUESTION = {
    "en": [
        "When did the problem start?",
        "Which floor is the flat on?",
        "Let me check: your router was already replaced?",
    ],
    "pl": ["Kiedy pojawił się problem?", "Dla pewności: router był już raz wymieniany?"],
    "bg": ["Кога започна проблемът?", "За сигурност: рутерът вече е бил сменян?"],
    "fi": ["Milloin ongelma alkoi?", "Tarkistan vielä: reititin on jo kerran vaihdettu?"],
}
NO_OPENING_QUESTION = {
    "en": [
        "When the parcel arrives, we will call you.",
        "Why would we refuse a refund?",
        "Let me check: the router was replaced in May.",
    ],
    "pl": [
        "Kiedy paczka dotrze, zadzwonimy do Pana.",
        "Dlaczego mielibyśmy odmówić zwrotu?",
        "Dla pewności: router wymieniliśmy w maju.",
    ],
    "bg": [
        "Когато пратката пристигне, ще Ви се обадим.",
        "Защо да отказваме възстановяване?",
        "За сигурност: рутерът беше сменен през май.",
    ],
    "fi": [
        "Kun paketti saapuu, soitamme teille.",
        "Miksi kieltäytyisimme hyvityksestä?",
        "Tarkistan vielä: reititin vaihdettiin toukokuussa.",
    ],
}


def clarifies(text, lang):
    return check_reply(text, lang, CTX).elements["clarify"].present


@pytest.mark.parametrize("lang", LANGS)
def test_a_question_opening_with_a_question_or_check_word_clarifies(lang):
    for text in OPENING_QUESTION[lang]:
        assert clarifies(text, lang), text


@pytest.mark.parametrize("lang", LANGS)
def test_a_statement_or_a_why_question_does_not_clarify(lang):
    for text in NO_OPENING_QUESTION[lang]:
        assert not clarifies(text, lang), text


def test_a_quoted_opening_question_is_the_customers():
    assert not clarifies('You wrote: "When will it finally arrive?"', "en")
    assert not clarifies('"When will it finally arrive?"', "en")


# "Only" right before a term ([dates].policy_before) states a rule, not our term: "we accept
# returns only within 14 days" is no next step. The same term without it, or with "only"
# elsewhere in the sentence, still is.
POLICY_TERM = {
    "en": "We accept returns only within 14 days.",
    "pl": "Zwroty przyjmujemy tylko w ciągu 14 dni.",
    "bg": "Връщания приемаме само в рамките на 14 дни.",
    "fi": "Palautukset hyväksytään vain 14 päivän kuluessa.",
}
PROMISED_TERM = {
    "en": ["We will refund you within 14 days.", "Only one thing: I will reply within 14 days."],
    "pl": ["Zwrócimy pieniądze w ciągu 14 dni.", "Tylko jedno: odpowiem w ciągu 14 dni."],
    "bg": [
        "Ще възстановим сумата в рамките на 14 дни.",
        "Само едно: ще отговоря в рамките на 14 дни.",
    ],
    "fi": ["Hyvitämme summan 14 päivän kuluessa.", "Vain yksi asia: vastaan 14 päivän kuluessa."],
}


@pytest.mark.parametrize("lang", LANGS)
def test_only_before_a_term_makes_it_a_rule(lang):
    assert next_step(POLICY_TERM[lang], lang) is None, POLICY_TERM[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_a_term_without_only_right_before_it_is_a_next_step(lang):
    for text in PROMISED_TERM[lang]:
        assert next_step(text, lang) == date(2026, 12, 7), text


# A vague promise is answered by the very next sentence when that one makes a promise of the
# same kind (a vague_delay phrase) with a date in its clause; a date alone there, or a dated
# promise two sentences later, leaves it vague.
VAGUE_THEN_DATED_SENTENCE = {
    "en": "We are looking into it. I will get back to you by Friday 27 November.",
    "pl": "Odezwiemy się wkrótce. Odpowiem do piątku 27 listopada.",
    "bg": "Ще Ви се обадим скоро. Ще Ви отговоря до петък, 27 ноември.",
    "fi": "Palaamme asiaan pian. Palaan asiaan perjantaihin 27.11. mennessä.",
}
VAGUE_THEN_OTHER_SENTENCE = {
    "en": [
        "We will get back to you soon. The courier comes on Friday 27 November.",
        "We will get back to you soon. Thank you. I will get back to you by 27 November.",
    ],
    "pl": [
        "Odezwiemy się wkrótce. Kurier przyjedzie w piątek 27 listopada.",
        "Odezwiemy się wkrótce. Dziękujemy. Odpowiem do piątku 27 listopada.",
    ],
    "bg": [
        "Ще Ви се обадим скоро. Куриерът идва в петък, 27 ноември.",
        "Ще Ви се обадим скоро. Благодарим Ви. Ще Ви отговоря до петък, 27 ноември.",
    ],
    "fi": [
        "Palaamme asiaan pian. Kuriiri tulee perjantaina 27.11.",
        "Palaamme asiaan pian. Kiitos. Palaan asiaan perjantaihin 27.11. mennessä.",
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_dated_promise_in_the_next_sentence_answers_a_vague_one(lang):
    review = check_reply(VAGUE_THEN_DATED_SENTENCE[lang], lang, CTX)
    assert "vague_delay" not in review.flag_kinds(), VAGUE_THEN_DATED_SENTENCE[lang]
    assert review.next_step_date == date(2026, 11, 27)


@pytest.mark.parametrize("lang", LANGS)
def test_a_date_alone_or_a_later_sentence_leaves_the_promise_vague(lang):
    for text in VAGUE_THEN_OTHER_SENTENCE[lang]:
        assert "vague_delay" in check_reply(text, lang, CTX).flag_kinds(), text
