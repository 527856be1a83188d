"""The reply coach: checks one outgoing reply, sentence by sentence, against the playbook
(PRODUCT.md rules A-E) and returns a Review with evidence, advice and a 0-100 score.

Everything language-specific is in lexicon/*.toml; this module holds the rules that are the
same in every language (negation, questions, quotes, dates, context checks, scoring).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime

from amends.playbook.dates import DateMention, find_dates, is_deadline, opens_with_latest
from amends.playbook.language import (
    SERVED,
    Sentence,
    SentenceIndex,
    detect_language,
    normalise,
    quoted_spans,
    split_sentences,
)
from amends.playbook.lexicon import (
    ELEMENTS,
    FLAGS,
    Category,
    Lexicon,
    PhraseIndex,
    load_lexicon,
    word_starts,
)
from amends.playbook.review import (
    PUBLIC_CHANNELS,
    Context,
    Deduction,
    Element,
    Evidence,
    Fault,
    Finding,
    Review,
)

# Which elements each kind of reply needs. "reply" is the full first answer of PRODUCT.md C;
# the others are the template purposes (templates.py), which need fewer.
PURPOSE_ELEMENTS: Mapping[str, tuple[str, ...]] = {
    "reply": ELEMENTS,
    "acknowledgement": ELEMENTS,
    "clarification_request": ("ownership", "clarify", "next_step"),
    "resolution_proposal": ("apology", "ownership", "next_step"),
    "hand_over": ("apology", "ownership", "next_step"),
    "decline": ("empathy", "ownership", "next_step"),
    "parting": ("empathy", "ownership", "next_step"),
}

# The score starts at 100 and loses these points, once per kind, so a person can read it back
# from the findings: the next step and not blaming the customer weigh most (C-d, A-1).
ELEMENT_POINTS: Mapping[str, int] = {
    "apology": 15,
    "empathy": 10,
    "ownership": 15,
    "clarify": 10,
    "next_step": 20,
}
FLAG_POINTS: Mapping[str, int] = {
    "blame_customer": 20,
    "blame_others": 15,
    "defensive": 15,
    "lecturing": 15,
    "vague_delay": 10,
}
CHECK_POINTS: Mapping[str, int] = {
    "date_after_commitment": 15,
    "date_after_statutory": 20,
    "fault_ours_no_apology": 15,
    "owner_name_missing": 10,
    "public_channel": 15,
}

# "Are you sorry?" is no apology: in a question these elements do not count. A question still
# clarifies, and a rhetorical question still blames.
CANCELLED_BY_QUESTION = frozenset({"apology", "empathy", "ownership"})

# A comma or colon between digits ("12:00", "1,5") is a time or a number, not a clause break.
_CLAUSE_PUNCT = re.compile(r"[;()\u2013\u2014]|(?<!\d)[,:]|[,:](?!\d)")
_TOKEN = re.compile(r"[\w']+")
# A semicolon, or a comma (not inside a number) with the spaces after it.
_NEW_CLAUSE_PUNCT = re.compile(r";|(?<!\d),\s*|,(?!\d)\s*")
# Case details that must not be written on a public channel: order/invoice numbers, amounts,
# e-mail addresses, phone numbers.
_CASE_DETAIL = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+"
    r"|\+?\d[\d ()-]{7,}\d"
    r"|(?<![\w.])#?[A-Z]{0,4}-?\d{4,}(?!\w)"
    r"|\d+(?:[.,]\d+)?\s?(?:€|EUR|zł|PLN|лв|BGN|\$)",
    re.IGNORECASE,
)


# Spaces, dashes and opening quotes or brackets before a sentence's first word; a colon after a
# check phrase.
_OPENING = re.compile(r"[\s\-\u2013\u2014(\[]*")
_COLON = re.compile(r"\s*:")

# A match: its span and the spans of the words that matched (two for a subject/predicate pair,
# the predicate last).
_Match = tuple[int, int, tuple[tuple[int, int], ...]]


def _today(context: Context) -> date:
    return context.today or datetime.now(UTC).astimezone().date()


class _Reply:
    """One reply prepared for matching: normalised text, sentences, quotes and dates."""

    def __init__(self, text: str, lex: Lexicon, today: date) -> None:
        self.text = normalise(text)
        self.lex = lex
        self.sentences = SentenceIndex(split_sentences(self.text, lex.abbreviations))
        self.quotes = quoted_spans(self.text)
        self.starts = word_starts(self.text)
        self.scan = lex.scanner.scan(self.text, self.starts)
        self._clause_starts: list[int] | None = None
        self.dates = [
            d
            for d in find_dates(self.text, lex.lang, today, self.starts)
            if not d.past and not d.rule and d.date >= today and not self.in_quote(d.start, d.end)
        ]

    def in_quote(self, start: int, end: int) -> bool:
        return any(qs <= start and end <= qe for qs, qe in self.quotes)

    def negated(self, start: int, sentence: Sentence, since: int | None = None) -> bool:
        """A negation word shortly before the match, in the same clause ("I am not sorry"),
        unless that negation is itself negated ("we cannot deny", "nie możemy nie"). A match
        that starts with a clause-break word ("because you added") opens a clause of its own:
        "didn't" in "it didn't go through because you added it" does not reach it. With
        ``since``, only a negation from there on counts (one inside a phrase's gap)."""
        lex = self.lex
        if lex.negations is None or lex.negation_window == 0:
            return False
        if lex.clause_breaks is not None and lex.clause_breaks.match(self.text, start):
            return False
        left = self.text[sentence.start : start]
        clause_start = 0
        for m in _CLAUSE_PUNCT.finditer(left):
            clause_start = m.end()
        if lex.clause_breaks is not None:
            for m in lex.clause_breaks.finditer(left, clause_start):
                clause_start = m.end()
        tokens = list(_TOKEN.finditer(left, clause_start))[-lex.negation_window :]
        if not tokens:
            return False
        first = (
            tokens[0].start() if since is None else max(tokens[0].start(), since - sentence.start)
        )
        hits = [m.span() for m in lex.negations.finditer(left, first)]
        if not hits or lex.double_negations is None:
            return bool(hits)
        doubles = [m.span() for m in lex.double_negations.finditer(left, clause_start)]
        return any(not any(ds <= hs and he <= de for ds, de in doubles) for hs, he in hits)

    def dated_clause(self, start: int, end: int) -> bool:
        """A date in the same clause: "we will reply soon, by Friday" is dated, but in "we ship
        by Friday, and the refund follows soon" the refund is still vague. So is a date in the
        next clause when that clause starts with an "at the latest" word ("czekamy na odpowiedź
        producenta, najpóźniej do piątku 27 listopada"), and a deadline in any later clause of
        the sentence ("trwa analiza, wynik podam do piątku 27 listopada"; "we will reply by the
        e-mail given in your request, within 5 working days"); a plain date there is not ("we
        will get back to you soon, the courier comes on 27 November")."""
        sentence = self.sentences.at(start)
        left = [m.end() for m in _CLAUSE_PUNCT.finditer(self.text, sentence.start, start)]
        right = _CLAUSE_PUNCT.search(self.text, end, sentence.end)
        clause_start = left[-1] if left else sentence.start
        clause_end = right.start() if right else sentence.end
        if any(clause_start <= d.start < clause_end for d in self.dates):
            return True
        if right is not None and any(
            right.end() <= d.start < sentence.end and is_deadline(self.text, d, self.lex.lang)
            for d in self.dates
        ):
            return True
        if right is None or not opens_with_latest(self.text, right.end(), self.lex.lang):
            return False
        following = _CLAUSE_PUNCT.search(self.text, right.end(), sentence.end)
        following_end = following.start() if following else sentence.end
        return any(right.end() <= d.start < following_end for d in self.dates)

    def matches(self, category: Category) -> Iterator[Evidence]:
        """Matches of a category that survive quotes, exclusions, negation and questions."""
        found: list[_Match] = []
        phrases = category.phrases
        if phrases is not None:
            found.extend((s, e, ((s, e),)) for s, e in self.scan.spans(phrases))
        if category.subjects is not None and category.predicates is not None:
            found.extend(self._pairs(category.subjects, category.predicates))
        if not found:
            return
        excluded = self.scan.spans(category.exclude) if category.exclude else []
        taken: list[tuple[int, int]] = []
        for start, end, parts in sorted(found):
            if any(start < te and ts < end for ts, te in taken):
                continue
            # A look-alike drops a match only where it overlaps the matched words: for a pair,
            # the subject or the predicate, not the words between them.
            if any(self.in_quote(ps, pe) for ps, pe in parts) or any(
                ps < xe and xs < pe for ps, pe in parts for xs, xe in excluded
            ):
                continue
            sentence = self.sentences.at(start)
            if category.kind in CANCELLED_BY_QUESTION and sentence.is_question:
                continue
            # A pair is negated before its subject or before its predicate ("the courier did not
            # lose it", "my fault, not my colleague's"); a phrase also inside a "..." gap ("the
            # courier has not lost it"): the gap's negation stands before the words after it.
            if any(self.negated(ps, sentence) for ps, _ in parts):
                continue
            if (
                phrases is not None
                and len(parts) == 1
                and any(
                    self.negated(ge, sentence, since=gs)
                    for gs, ge in self.scan.gaps(phrases, start, end)
                )
            ):
                continue
            taken.append((start, end))
            yield Evidence(start, end, self.text[start:end], sentence.text)

    def opening_questions(self) -> Iterator[Evidence]:
        """Questions to the customer by their shape: a sentence ending in "?" that opens with a
        [clarify].question_words word ("When did the problem start?", "Milloin ongelma
        alkoi?"), or with a [clarify].check_words phrase and a colon ("Let me check: your router
        was already replaced?"). Quoted questions are the customer's own."""
        lex = self.lex
        if lex.question_words is None and lex.check_words is None:
            return
        for sentence in self.sentences.sentences:
            if not sentence.is_question:
                continue
            opening = _OPENING.match(self.text, sentence.start, sentence.end)
            pos = opening.end() if opening is not None else sentence.start
            found = None
            if lex.question_words is not None:
                found = lex.question_words.match(self.text, pos, sentence.end)
            if found is None and lex.check_words is not None:
                check = lex.check_words.match(self.text, pos, sentence.end)
                if check is not None and _COLON.match(self.text, check.end(), sentence.end):
                    found = check
            if found is None or self.in_quote(found.start(), found.end()):
                continue
            yield Evidence(found.start(), found.end(), found.group(), sentence.text)

    def clause_starts(self) -> list[int]:
        """Where a new finite clause starts: after ";" and at a `[negation].new_clauses` word
        right after a comma ("the courier rang, but the code did not work"). A comma alone
        starts none ("the courier, who we hired last year, lost it"), nor does "so" ("our
        subcontractor laid the tiles, so the cracks are their responsibility")."""
        if self._clause_starts is None:
            starts = []
            new = self.lex.new_clauses
            for m in _NEW_CLAUSE_PUNCT.finditer(self.text):
                if m.group() == ";":
                    starts.append(m.end())
                elif new is not None and new.match(self.text, m.end()):
                    starts.append(m.end())
            self._clause_starts = starts
        return self._clause_starts

    def _pairs(self, subjects: PhraseIndex, predicates: PhraseIndex) -> Iterator[_Match]:
        """Every subject and predicate in the same clause ("the courier" ... "lost your
        parcel"), not only the first predicate: when one pair is negated or excluded, another
        pair of the clause may still hold. A subject in one clause does not pair with a
        predicate in the next ("the driver rang, but the cause is the wrong door code")."""
        preds: dict[int, list[tuple[int, int]]] = {}
        for ps, pe in self.scan.spans(predicates):
            preds.setdefault(self.sentences.at(ps).start, []).append((ps, pe))
        if not preds:
            return
        for ss, se in self.scan.spans(subjects):
            for ps, pe in preds.get(self.sentences.at(ss).start, ()):
                if ps < se and ss < pe:
                    continue
                gap_start, gap_end = min(se, pe), max(ss, ps)
                starts = self.clause_starts()
                i = bisect_left(starts, gap_start)
                if i < len(starts) and starts[i] <= gap_end:
                    continue
                yield min(ss, ps), max(se, pe), ((ss, se), (ps, pe))


class _Advisor:
    """Advice in the reply's language and in the staff user's UI language."""

    def __init__(self, lex: Lexicon, ui_lex: Lexicon, values: Mapping[str, str]) -> None:
        self.lex = lex
        self.ui_lex = ui_lex
        self.values = values

    def __call__(self, kind: str) -> tuple[str, str]:
        return self._one(self.lex, kind), self._one(self.ui_lex, kind)

    def _one(self, lex: Lexicon, kind: str) -> str:
        template = lex.advice.get(kind) or load_lexicon("en").advice.get(kind, kind)
        return template.format_map(_Blank(self.values))


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def check_reply(
    text: str, lang: str | None = None, context: Context | None = None, *, ui_lang: str = "en"
) -> Review:
    """Check ``text`` against the playbook. ``lang`` is detected when not given."""
    context = context or Context()
    confidence = 1.0
    if lang is None:
        detection = detect_language(text)
        lang, confidence = detection.served, detection.confidence
    if lang not in SERVED:
        raise ValueError(f"unsupported language {lang!r}; served: {', '.join(SERVED)}")
    ui_lang = ui_lang if ui_lang in SERVED else "en"
    today = _today(context)
    lex = load_lexicon(lang)
    reply = _Reply(text, lex, today)
    required = PURPOSE_ELEMENTS.get(context.purpose, ELEMENTS)

    next_step = reply.dates[0] if reply.dates else None
    advise = _Advisor(
        lex,
        load_lexicon(ui_lang),
        {
            "owner": context.owner or "",
            "date": next_step.date.isoformat() if next_step else "",
            "commitment": context.commitment_due.isoformat() if context.commitment_due else "",
            "statutory": context.statutory_due.isoformat() if context.statutory_due else "",
        },
    )

    elements: dict[str, Element] = {}
    for kind in ELEMENTS:
        if kind == "next_step":
            evidence = tuple(
                Evidence(d.start, d.end, d.text, reply.sentences.at(d.start).text)
                for d in reply.dates
            )
        else:
            evidence = tuple(reply.matches(lex.categories[kind]))
            if kind == "clarify" and not evidence:
                evidence = tuple(reply.opening_questions())
        present = bool(evidence)
        advice = advice_ui = None
        if not present:
            advice, advice_ui = advise(kind)
        elements[kind] = Element(
            kind=kind,
            present=present,
            required=kind in required,
            evidence=evidence,
            advice=advice,
            advice_ui=advice_ui,
            date=next_step.date if kind == "next_step" and next_step else None,
        )

    flags = _flags(reply, advise)
    checks = _checks(reply, context, elements, next_step, advise)
    deductions = _deductions(elements, flags, checks)
    score = max(0, 100 - sum(d.points for d in deductions))
    return Review(
        language=lang,
        language_confidence=confidence,
        ui_language=ui_lang,
        score=score,
        elements=elements,
        flags=flags,
        checks=checks,
        deductions=deductions,
    )


def _flags(reply: _Reply, advise: _Advisor) -> tuple[Finding, ...]:
    found: list[Finding] = []
    for kind in FLAGS:
        matches = list(reply.matches(reply.lex.categories[kind]))
        if kind == "vague_delay":
            matches = _undated(reply, matches)
        for ev in matches:
            advice, advice_ui = advise(kind)
            found.append(Finding(kind, ev.start, ev.end, ev.text, ev.sentence, advice, advice_ui))
    return tuple(sorted(found, key=lambda f: f.start))


def _undated(reply: _Reply, matches: list[Evidence]) -> list[Evidence]:
    """The vague promises left without a date. "We'll get back to you soon" is only vague when
    its clause gives no date (see _Reply.dated_clause), and when the very next sentence does
    not make a promise of the same kind with a date in its clause ("We are looking into it. I
    will get back to you by Friday 27 November."); a date alone there does not ("… The courier
    comes on Friday.")."""
    dated = [reply.dated_clause(ev.start, ev.end) for ev in matches]
    dated_sentences = {
        reply.sentences.at(ev.start).start for ev, ok in zip(matches, dated, strict=True) if ok
    }
    out = []
    for ev, ok in zip(matches, dated, strict=True):
        if ok:
            continue
        sentences = reply.sentences.sentences
        i = bisect_left([x.start for x in sentences], reply.sentences.at(ev.start).end)
        if i < len(sentences) and sentences[i].start in dated_sentences:
            continue
        out.append(ev)
    return out


def _checks(
    reply: _Reply,
    context: Context,
    elements: Mapping[str, Element],
    next_step: DateMention | None,
    advise: _Advisor,
) -> tuple[Finding, ...]:
    checks: list[Finding] = []

    def add(kind: str, start: int = 0, end: int = 0) -> None:
        sentence = reply.sentences.at(start).text if end else ""
        advice, advice_ui = advise(kind)
        checks.append(Finding(kind, start, end, reply.text[start:end], sentence, advice, advice_ui))

    if next_step is not None:
        if context.commitment_due and next_step.date > context.commitment_due:
            add("date_after_commitment", next_step.start, next_step.end)
        if context.statutory_due and next_step.date > context.statutory_due:
            add("date_after_statutory", next_step.start, next_step.end)
    if context.fault in (Fault.OURS, Fault.UNCLEAR_INFO) and not elements["apology"].present:
        add("fault_ours_no_apology")
    if context.owner and not _mentions_name(reply.text, context.owner):
        add("owner_name_missing")
    if context.channel in PUBLIC_CHANNELS:
        detail = _CASE_DETAIL.search(reply.text)
        if detail is not None:
            add("public_channel", detail.start(), detail.end())
    return tuple(checks)


def _mentions_name(text: str, name: str) -> bool:
    """The owner's first name appears, in any case form ("Anna", "Anną", "Annan")."""
    first = name.split()[0] if name.split() else name
    stem = first[:-1] if len(first) > 3 and first[-1].lower() in "aeiouyäö" else first
    return re.search(rf"(?<!\w){re.escape(stem)}\w{{0,4}}(?!\w)", text) is not None


def _deductions(
    elements: Mapping[str, Element], flags: tuple[Finding, ...], checks: tuple[Finding, ...]
) -> tuple[Deduction, ...]:
    out = [
        Deduction(k, ELEMENT_POINTS[k])
        for k, el in elements.items()
        if el.required and not el.present
    ]
    out += [Deduction(k, FLAG_POINTS[k]) for k in dict.fromkeys(f.kind for f in flags)]
    out += [Deduction(k, CHECK_POINTS[k]) for k in dict.fromkeys(c.kind for c in checks)]
    return tuple(out)
