"""Finding dates and terms in a reply ("by Friday 27 November", "within 7 days", "jutro do 12:00",
"до петък", "viimeistään perjantaina 28.11.") and resolving them to calendar dates.

The words (months, weekdays, units, number words, "within") come from the ``[dates]`` table of
each lexicon; the shapes (day-month, ISO, d.m.) are shared by all languages.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from amends.playbook.lexicon import (
    SEP,
    FirstWords,
    LexiconError,
    WordStarts,
    first_keys,
    head_keys,
    load_lexicon,
    phrase_to_regex,
    word_starts,
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
UNITS = ("hour", "working_day", "day", "week", "month")
RELATIVE = (
    "today",
    "tomorrow",
    "day_after_tomorrow",
    "end_of_week",
    "end_of_month",
    "end_of_next_week",
    "end_of_next_month",
)

# A date without a year that lies further back than this is read as next year's:
# "by 5 January" written in November means January of the coming year.
PAST_YEAR_ROLLOVER_DAYS = 183
_DIGITS = frozenset("0123456789")
# A weekday named right before an explicit date ("Friday, 27 November") is part of it.
_JOINER = re.compile(r"[\s,.]*(?:the\s+)?")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    date: date
    kind: str  # explicit | weekday | relative | duration
    # Told about the past ("on Monday we sent", "countersigned on 3 March", "came away after a
    # week", "the courier tried today"): ``date`` is then on or before today, and no next step.
    past: bool = False
    # A rule, not a term of ours: "we accept returns only within 14 days" ([dates].policy_before).
    rule: bool = False


@dataclass(frozen=True)
class _Keyed:
    """A pattern tried only where a word starts with one of ``keys`` (all positions if None) and,
    when ``first`` is given, only at the words that can start it (see _Patterns.at_words)."""

    pattern: re.Pattern[str]
    keys: frozenset[str] | None
    first: FirstWords | None = None

    def finditer(self, text: str, starts: WordStarts) -> list[re.Match[str]]:
        if self.keys is None:
            return list(self.pattern.finditer(text))
        found = []
        for key in self.keys & starts.keys():
            for pos in starts[key]:
                m = self.pattern.match(text, pos)
                if m is not None:
                    found.append(m)
        return found

    def tried_at(self, word: str) -> bool:
        assert self.keys is not None
        assert self.first is not None
        return not self.keys.isdisjoint(head_keys(word)) and self.first.can_start(word)


@dataclass(frozen=True)
class _Patterns:
    explicit: tuple[_Keyed, ...]  # all start with a digit: tried where a word does
    month_first: _Keyed | None
    weekday: _Keyed | None
    relative: _Keyed | None
    # "<word> [<number>] <unit>"; a word of before_number counts only with a number (group "bn")
    duration_before: _Keyed | None
    duration_after: _Keyed | None
    numbers: Mapping[str, int]
    # "§ 5.3.", "point 3.2.": a number after one of these words is a section, not a date.
    section: re.Pattern[str] | None
    # A bare weekday is a promise after "by"/"do"/"до"/"viimeistään" or before "mennessä"; it is
    # in the past after "last"/"since", or in a clause with a past tense and no future marker.
    promise_before: re.Pattern[str] | None
    promise_after: re.Pattern[str] | None
    past_before: re.Pattern[str] | None
    past: re.Pattern[str] | None
    not_past: re.Pattern[str] | None
    clause_breaks: re.Pattern[str] | None
    # "at the latest", "najpóźniej": a clause that starts with one of these and holds a date
    # dates the vague promise right before it (see opens_with_latest).
    at_the_latest: re.Pattern[str] | None
    # [dates].deadline words right before a date or at its start, deadline_after words right
    # after it or at its end (see is_deadline).
    deadline_before: re.Pattern[str] | None
    deadline_start: re.Pattern[str] | None
    deadline_after: re.Pattern[str] | None
    deadline_end: re.Pattern[str] | None
    # An apology for something ("apologies for", "przepraszamy za", "pahoittelemme"): a weekday
    # or date after it in the same comma-free clause is what went wrong, so in the past.
    apology_for: _Keyed | None
    # "only" right before a term: "we accept returns ONLY within 14 days" states a rule.
    policy_before: re.Pattern[str] | None
    # word -> which of the word-keyed patterns (month_first ... weekday) to try where it starts
    _plans: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, hash=False)

    def at_words(self, text: str, starts: WordStarts) -> list[list[re.Match[str]]]:
        """The matches of month_first, duration_before, duration_after, relative and weekday, in
        one pass over the distinct words of the text (None patterns give no matches)."""
        keyed = (
            self.month_first,
            self.duration_before,
            self.duration_after,
            self.relative,
            self.weekday,
        )
        found: list[list[re.Match[str]]] = [[] for _ in keyed]
        by_word: dict[int, _Keyed] = {}
        for i, k in enumerate(keyed):
            if k is not None and k.keys is not None and k.first is not None:
                by_word[i] = k
            elif k is not None:
                found[i] = k.finditer(text, starts)
        plans = self._plans
        for word, positions in starts.tokens.items():
            plan = plans.get(word)
            if plan is None:
                if len(plans) >= 50_000:
                    plans.clear()
                plan = plans[word] = tuple(i for i, k in by_word.items() if k.tried_at(word))
            for i in plan:
                match = by_word[i].pattern.match
                for pos in positions:
                    m = match(text, pos)
                    if m is not None:
                        found[i].append(m)
        return found


def _keys(phrases: list[str]) -> frozenset[str] | None:
    keys: set[str] = set()
    for phrase in phrases:
        found = first_keys(phrase)
        if found is None:
            return None
        keys |= found
    return frozenset(keys)


def _keyed(
    pattern: re.Pattern[str] | None, phrases: list[str], beginnings: tuple[str, ...] = ()
) -> _Keyed | None:
    """``pattern`` starts with one of ``phrases`` (in the lexicon notation) or of the literal
    ``beginnings``."""
    if pattern is None:
        return None
    return _Keyed(pattern, _keys([*phrases, *beginnings]), FirstWords(phrases, beginnings))


def _phrases(table: Mapping[str, Any], keys: tuple[str, ...]) -> list[str]:
    return [p for key in keys for p in table.get(key, [])]


def _alternation(
    table: Mapping[str, Any], keys: tuple[str, ...], prefix: str, where: str
) -> str | None:
    parts = []
    for key in keys:
        phrases = table.get(key, [])
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise LexiconError(f"{where}.{key} must be a list of strings")
        if phrases:
            ordered = sorted(phrases, key=len, reverse=True)
            body = "|".join(phrase_to_regex(p) for p in ordered)
            parts.append(f"(?P<{prefix}{key}>{body})")
    return "|".join(parts) if parts else None


def _words(phrases: list[str]) -> str:
    return "|".join(phrase_to_regex(p) for p in sorted(phrases, key=len, reverse=True))


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    # Starting with a word boundary lets the engine skip most positions quickly (~3x faster).
    return re.compile(rf"\b(?=\w)(?:{pattern})", re.IGNORECASE) if pattern else None


@functools.cache
def _patterns(lang: str) -> _Patterns:
    data = load_lexicon(lang).dates
    where = f"{lang}.toml [dates]"
    months = _alternation(data.get("months", {}), MONTHS, "m_", f"{where}.months")
    numbers_table = data.get("numbers", {})
    numbers = {str(k).lower(): int(v) for k, v in numbers_table.items()}
    number_words = "|".join(re.escape(w) for w in sorted(numbers, key=len, reverse=True))
    number = rf"(?P<num>\d{{1,3}}{'|' + number_words if number_words else ''})"
    units = _alternation(data.get("units", {}), UNITS, "u_", f"{where}.units")
    explicit = [
        re.compile(r"(?=\d)(?<![\d.])(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?!\d)"),
        re.compile(
            r"(?=\d)(?<![\d.,])(?P<d>\d{1,2})\.(?P<mo>\d{1,2})\.(?:(?P<y>\d{4}|\d{2})(?!\d))?"
        ),
        re.compile(r"(?=\d)(?<![\d/])(?P<d>\d{1,2})/(?P<mo>\d{1,2})/(?P<y>\d{4}|\d{2})(?!\d)"),
    ]
    if months:
        year = r"(?:,?\s+(?P<y>\d{4})(?!\d))?"
        explicit.append(
            re.compile(
                rf"(?=\d)(?<![\w.])(?P<d>\d{{1,2}})(?:st|nd|rd|th|\.|-?(?:го|ти|ви|ри))?\s+(?:of\s+)?(?:{months}){year}",
                re.IGNORECASE,
            )
        )
    month_first = None
    if months:  # "November 27": English order
        month_first = _keyed(
            re.compile(
                rf"(?:{months})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:.]\d){year}", re.IGNORECASE
            ),
            _phrases(data.get("months", {}), MONTHS),
        )
    duration_before = duration_after = None
    unit_phrases = _phrases(data.get("units", {}), UNITS)
    if units:
        unit = rf"(?:{number}{SEP})?(?:{units})"
        before = data.get("before_duration", [])
        before_number = data.get("before_number", [])
        after = data.get("after_duration", [])
        if before or before_number:
            alternatives = [f"(?P<bn>{_words(before_number)})"] if before_number else []
            alternatives += [_words(before)] if before else []
            duration_before = _keyed(
                _compile(rf"(?:{'|'.join(alternatives)}){SEP}{unit}(?!\w)"),
                [*before, *before_number],
            )
        if after:
            after_re = "|".join(phrase_to_regex(p) for p in sorted(after, key=len, reverse=True))
            duration_after = _keyed(
                _compile(rf"(?<!\w){unit}{SEP}(?:{after_re})"),
                unit_phrases,
                (*numbers, *"0123456789"),
            )
    weekdays = data.get("weekdays", {})

    def words(key: str, shape: str) -> re.Pattern[str] | None:
        phrases = data.get(key, [])
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise LexiconError(f"{where}.{key} must be a list of strings")
        if not phrases:
            return None
        try:
            body = "|".join(phrase_to_regex(p) for p in sorted(phrases, key=len, reverse=True))
        except LexiconError as exc:
            raise LexiconError(f"{where}.{key}: {exc}") from exc
        return re.compile(shape.format(body), re.IGNORECASE)

    return _Patterns(
        explicit=tuple(_Keyed(pattern, _DIGITS) for pattern in explicit),
        month_first=month_first,
        weekday=_keyed(
            _compile(_alternation(weekdays, WEEKDAYS, "w_", f"{where}.weekdays")),
            _phrases(weekdays, WEEKDAYS),
        ),
        relative=_keyed(
            _compile(_alternation(data, RELATIVE, "r_", where)), _phrases(data, RELATIVE)
        ),
        duration_before=duration_before,
        duration_after=duration_after,
        numbers=numbers,
        section=words("section_words", r"(?:{})[\s.]*\Z"),
        promise_before=words("weekday_promise_before", rf"(?:{{}}){SEP}\Z"),
        promise_after=words("weekday_promise_after", rf"{SEP}(?:{{}})"),
        past_before=words("weekday_past_before", rf"(?:{{}}){SEP}\Z"),
        past=words("past", "{}"),
        not_past=words("not_past", "{}"),
        clause_breaks=load_lexicon(lang).clause_breaks,
        at_the_latest=words("at_the_latest", rf"(?:{SEP})?(?:{{}})"),
        deadline_before=words("deadline", rf"(?:{{}}){SEP}\Z"),
        deadline_start=words("deadline", "(?:{})"),
        deadline_after=words("deadline_after", rf"{SEP}(?:{{}})"),
        deadline_end=words("deadline_after", r"(?:{})\Z"),
        apology_for=_keyed(
            words("apology_for", r"\b(?=\w)(?:{})"), _phrases(data, ("apology_for",))
        ),
        policy_before=words("policy_before", rf"(?:{{}}){SEP}\Z"),
    )


def opens_with_latest(text: str, pos: int, lang: str) -> bool:
    """The clause at ``pos`` starts with an "at the latest" word of the lexicon ("najpóźniej",
    "не по-късно от", "viimeistään")."""
    pattern = _patterns(lang).at_the_latest
    return pattern is not None and pattern.match(text, pos) is not None


def _group(match: re.Match[str], prefix: str) -> str | None:
    for name, value in match.groupdict().items():
        if value is not None and name.startswith(prefix):
            return name[len(prefix) :]
    return None


def add_working_days(start: date, days: int) -> date:
    """``days`` working days after ``start``, counting Monday to Friday (no public holidays:
    the playbook has no jurisdiction; cases/deadlines owns the statutory calendars)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _explicit_date(match: re.Match[str], today: date, past: bool = False) -> date | None:
    """The date of a day-month match. Without a year, a date far behind today is next year's,
    unless it is told about the past (``past``: "countersigned on 3 March")."""
    groups = match.groupdict()
    month_name = _group(match, "m_")
    month = MONTHS.index(month_name) + 1 if month_name else int(groups["mo"])
    day = int(groups["d"])
    year_text = groups.get("y")
    try:
        if year_text:
            year = int(year_text)
            return date(year + 2000 if year < 100 else year, month, day)
        candidate = date(today.year, month, day)
    except ValueError:
        return None
    if not past and (today - candidate).days > PAST_YEAR_ROLLOVER_DAYS:
        try:
            candidate = date(today.year + 1, month, day)
        except ValueError:  # 29 February
            return None
    return candidate


def _relative_date(kind: str, today: date) -> date:
    if kind == "today":
        return today
    if kind == "tomorrow":
        return today + timedelta(days=1)
    if kind == "day_after_tomorrow":
        return today + timedelta(days=2)
    if kind == "end_of_week":
        # The working week ends on Friday; said on a weekend it means the coming Friday.
        return today + timedelta(days=(4 - today.weekday()) % 7)
    if kind == "end_of_next_week":
        # The Friday of the next calendar week (Monday to Sunday): on a weekend, the coming one.
        return today + timedelta(days=7 - today.weekday() + 4)
    if kind == "end_of_next_month":
        month = add_months(today.replace(day=1), 1)
        return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
    return date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])


def _duration_date(match: re.Match[str], numbers: Mapping[str, int], today: date) -> date | None:
    unit = _group(match, "u_")
    raw = match.group("num")
    if raw is None:
        amount = 1  # "within a week", "w ciągu tygodnia"
    elif raw.isdigit():
        amount = int(raw)
    else:
        amount = numbers.get(raw.lower(), 0)
    if amount <= 0 or amount > 400 or unit is None:
        return None
    if unit == "hour":
        return today + timedelta(days=amount // 24)
    if unit == "working_day":
        return add_working_days(today, amount)
    if unit == "day":
        return today + timedelta(days=amount)
    if unit == "week":
        return today + timedelta(weeks=amount)
    return add_months(today, amount)


def find_dates(
    text: str, lang: str, today: date, starts: WordStarts | None = None
) -> list[DateMention]:
    """All dates and terms in ``text``, resolved relative to ``today``, in reading order.
    ``starts`` (lexicon.word_starts of the text) is computed when not given."""
    p = _patterns(lang)
    starts = word_starts(text) if starts is None else starts
    found: list[tuple[int, DateMention]] = []  # (priority, mention); lower wins overlaps

    month_first, before, after, relatives, weekdays = p.at_words(text, starts)
    # The apology formulas of the text, found once: a date far from all of them needs no look.
    apology = (
        tuple(sorted(m.span() for m in p.apology_for.finditer(text, starts)))
        if p.apology_for is not None
        else ()
    )
    for m in [m for pattern in p.explicit for m in pattern.finditer(text, starts)] + month_first:
        if p.section is not None and p.section.search(text, max(0, m.start() - 24), m.start()):
            continue
        # A date with its year is what it says. Without one, a date behind today told about the
        # past is not rolled over to next year; one still ahead stays a date ahead, even after a
        # past tense ("I booked the delivery for 28 November").
        past = not m.group("y") and _told_as_past(
            text, m.start(), m.end(), p, comma=True, apology=apology
        )
        resolved = _explicit_date(m, today, past)
        if resolved is not None:
            past = past and resolved <= today
            mention = DateMention(m.start(), m.end(), m.group(), resolved, "explicit", past)
            found.append((0, mention))
    for durations in (before, after):
        for m in durations:
            if "bn" in m.re.groupindex and m.group("bn") and m.group("num") is None:
                continue  # "the next day" is no term; "the next 3 days" is
            resolved = _duration_date(m, p.numbers, today)
            if resolved is None:
                continue
            # "returns only within 14 days": a rule, no term of ours (kept, so that no shorter
            # term inside it is found instead).
            rule = p.policy_before is not None and (
                p.policy_before.search(text, max(0, m.start() - 30), m.start()) is not None
            )
            past = _told_as_past(text, m.start(), m.end(), p, comma=True, apology=apology)
            if past:  # "came away after a week": as far back as the term reaches forward
                resolved = today - (resolved - today)
            mention = DateMention(
                m.start(), m.end(), m.group(), resolved, "duration", past, rule=rule
            )
            found.append((1, mention))
    if p.relative is not None:
        for m in relatives:
            kind = _group(m, "r_")
            if kind is not None:
                # "today" is the only relative term that can be told about the past ("the
                # courier tried today at 10:40"); the others point forward by themselves.
                past = kind == "today" and _told_as_past(
                    text, m.start(), m.end(), p, comma=True, apology=apology
                )
                day = _relative_date(kind, today)
                found.append((2, DateMention(m.start(), m.end(), m.group(), day, "relative", past)))
    if p.weekday is not None:
        for m in weekdays:
            name = _group(m, "w_")
            if name is None:
                continue
            weekday = WEEKDAYS.index(name)
            past = _told_as_past(text, m.start(), m.end(), p, apology=apology)
            if past:  # the one that has just passed
                day = today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
            else:  # strictly after today
                day = today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
            found.append((3, DateMention(m.start(), m.end(), m.group(), day, "weekday", past)))

    found.sort(key=lambda item: (item[0], item[1].start))
    kept: list[DateMention] = []
    for _, mention in found:
        if any(mention.start < k.end and k.start < mention.end for k in kept):
            continue
        kept.append(mention)
    kept.sort(key=lambda m: m.start)
    return _absorb_weekdays(text, kept)


def is_deadline(text: str, mention: DateMention, lang: str) -> bool:
    """The date is given as a deadline: a [dates].deadline word right before it or at its start
    ("by Friday", "within 5 days", "do piątku"), or a deadline_after word right after it or at
    its end ("7 päivän kuluessa", "perjantaihin mennessä"). Such a date in a later clause dates
    a vague promise before it (coach)."""
    if mention.past or mention.rule:
        return False
    p = _patterns(lang)
    start, end = mention.start, mention.end
    return (
        (p.deadline_start is not None and p.deadline_start.match(text, start, end) is not None)
        or (
            p.deadline_before is not None
            and p.deadline_before.search(text, max(0, start - 40), start) is not None
        )
        or (p.deadline_after is not None and p.deadline_after.match(text, end) is not None)
        or (p.deadline_end is not None and p.deadline_end.search(text, start, end) is not None)
    )


_CLAUSE_END = re.compile(r"[.!?;:()\u2013\u2014\n]")
# The same with a comma that is not inside a number ("10,5", "1,000").
_CLAUSE_END_COMMA = re.compile(r"[.!?;:()\u2013\u2014\n]|(?<!\d),|,(?!\d)")


def _told_as_past(
    text: str,
    start: int,
    end: int,
    p: _Patterns,
    *,
    comma: bool = False,
    apology: tuple[tuple[int, int], ...] | None = None,
) -> bool:
    """A weekday, a date without a year, a duration or "today" is a promise ("by Friday", "I will
    call on 3 December", "within 7 days") unless it is told about the past: "last Monday", or a
    clause in a past tense without a future marker ("on Monday we sent the parcel", "signed on
    3 March", "came away after a week"). The words are the [dates] lists of the lexicon.
    With ``comma`` a comma ends the clause too, so a date or term is read with its own verb
    ("I opened the complaint, you will get the refund within 7 days"), while a weekday keeps
    its fronted form ("On Monday, we sent the parcel")."""
    clause_end = _CLAUSE_END_COMMA if comma else _CLAUSE_END
    if p.promise_before is not None and p.promise_before.search(text, max(0, start - 40), start):
        return False
    if p.promise_after is not None and p.promise_after.match(text, end):
        return False
    if p.past_before is not None and p.past_before.search(text, max(0, start - 40), start):
        return True
    if _apology_for(text, start, end, p, apology):
        return True
    if p.past is None:
        return False
    lo, hi = _clause(text, start, end, p, clause_end, reach=300)
    for a, b in ((lo, start), (end, hi)):
        if p.not_past is not None and p.not_past.search(text, a, b):
            return False
    return any(p.past.search(text, a, b) for a, b in ((lo, start), (end, hi)))


def _clause(
    text: str, start: int, end: int, p: _Patterns, clause_end: re.Pattern[str], *, reach: int
) -> tuple[int, int]:
    """The clause around text[start:end]: back (at most `reach` characters) to the last clause
    end or clause-break word before `start`, forward to the next one after `end`."""
    lo = max(0, start - reach)
    for m in clause_end.finditer(text, lo, start):
        lo = m.end()
    if p.clause_breaks is not None:
        for m in p.clause_breaks.finditer(text, lo, start):
            lo = m.end()
    stop = clause_end.search(text, end)
    hi = stop.start() if stop else len(text)
    if p.clause_breaks is not None:
        brk = p.clause_breaks.search(text, end, hi)
        hi = brk.start() if brk else hi
    return lo, hi


def _apology_for(
    text: str, start: int, end: int, p: _Patterns, spans: tuple[tuple[int, int], ...] | None
) -> bool:
    """The date follows an apology for something in its comma-free clause ("please accept our
    apologies for the cold water in your room on Saturday", "przepraszamy za zimną wodę w
    sobotę") and the clause has no future or request word outside the apology formula (its
    "please" asks for nothing). ``spans``: the text's apology formulas (found when None)."""
    if p.apology_for is None:
        return False
    if spans is None:
        spans = tuple(sorted(m.span() for m in p.apology_for.finditer(text, word_starts(text))))
    before = [(a, b) for a, b in spans if b <= start and start - b <= 200]
    if not before:
        return False
    # The last formula before the date, at its longest ("please accept our apologies for", not
    # only "apologies for" inside it).
    b = max(e for _, e in before)
    a = min(x for x, e in before if e == b)
    # Nothing may end the clause between the formula and the date.
    if _CLAUSE_END_COMMA.search(text, b, start) is not None:
        return False
    if p.clause_breaks is not None and p.clause_breaks.search(text, b, start) is not None:
        return False
    if p.not_past is None:
        return True
    lo, hi = _clause(text, a, end, p, _CLAUSE_END_COMMA, reach=200)
    return not any(p.not_past.search(text, x, y) for x, y in ((lo, a), (b, start), (end, hi)))


def _absorb_weekdays(text: str, mentions: list[DateMention]) -> list[DateMention]:
    """Join "Friday" + "27 November" into one mention carrying the explicit date."""
    out: list[DateMention] = []
    for mention in mentions:
        if out and out[-1].kind == "weekday" and mention.kind == "explicit":
            gap = _JOINER.fullmatch(text, out[-1].end, mention.start)
            if gap is not None:
                prev = out.pop()
                mention = DateMention(
                    prev.start,
                    mention.end,
                    text[prev.start : mention.end],
                    mention.date,
                    "explicit",
                    mention.past,
                )
        out.append(mention)
    return out
