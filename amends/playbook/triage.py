"""Triage of an incoming complaint (PRODUCT.md capability 2): language, irritation, public
exposure, a category suggestion, priority and advice, each with the reasons that produced it.

Everything language-specific is in lexicon/triage/*.toml (compiled with the reply coach's phrase
notation); this module holds the weights and the rules that are the same in every language.

Scores are noisy-OR: ``score = 1 - (1 - w1) x (1 - w2) x ...`` over the listed reasons, so a
score never passes 1, more evidence never lowers it, and a person can recompute it from the
weights in ``Triage.reasons``. A second reason of the same kind weighs half, a third a quarter.
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from amends.playbook.language import (
    SERVED,
    SentenceIndex,
    detect_language,
    normalise,
    quoted_spans,
    split_sentences,
)
from amends.playbook.lexicon import (
    LEXICON_DIR,
    LexiconError,
    PhraseIndex,
    compile_phrases,
    index_phrases,
    word_starts,
)
from amends.playbook.review import PUBLIC_CHANNELS

TRIAGE_DIR = LEXICON_DIR / "triage"

# Base weight of one match of each phrase table; the same in every language (the TOML headers
# repeat them for whoever extends a lexicon).
IRRITATION_WEIGHTS: Mapping[str, float] = {
    "insult": 0.40,
    "outrage": 0.25,
    "threat_leave": 0.35,
    "threat_public": 0.35,
    "threat_legal": 0.40,
    "repeated_contact": 0.30,
    "waiting": 0.20,
}
EXPOSURE_WEIGHTS: Mapping[str, float] = {
    "threat_public": 0.50,
    "public_mention": 0.25,
    "public_channel": 0.60,
    "public_url": 0.60,
}
PHRASE_TABLES: tuple[str, ...] = (
    "insult",
    "outrage",
    "threat_leave",
    "threat_public",
    "threat_legal",
    "repeated_contact",
    "waiting",
    "public_mention",
    "safety",
    "no_rush",
)
# Their phrases often carry a negation themselves ("still not", "no rush", "nadal nie").
UNNEGATED = frozenset({"repeated_contact", "waiting", "no_rush"})

# CAPITALS: at least this many shouted words; weight = min(0.5, 0.15 + 0.5 x share of words).
MIN_SHOUTED_WORDS = 3
# Exclamation runs ("!!", "?!", "!!!"): 0.12 for two marks, 0.20 for three or more.
EXCLAMATION_WEIGHTS = (0.12, 0.20)
# Arguments: previous_contacts n -> min(0.45, 0.15 n); waiting_days d >= 3 -> min(0.4, 0.02 d).
CONTACT_WEIGHT, CONTACT_CAP = 0.15, 0.45
WAITING_PER_DAY, WAITING_CAP, WAITING_MIN_DAYS = 0.02, 0.40, 3
# Repeats of one kind: 1, 1/2, 1/4, 1/8; at most this many reasons of one kind are listed.
REPEAT_DECAY = 0.5
MAX_PER_KIND = 4

# Priority: each of these raises a complaint one step above normal; two of them, or a safety
# word, make it urgent. With none, a customer who says "no rush" and is calm gets low.
HIGH_IRRITATION = 0.6  # also the threshold of the "call the customer" advice (D-1)
HIGH_EXPOSURE = 0.5  # also the threshold of the "move to a direct channel" advice (D-1, E-1)
DEADLINE_DAYS = 2
HIGH_VALUE_THRESHOLD = 50_000.0  # the default of OrganisationSettings.high_value_customer
LOW_IRRITATION = 0.3

# A comma or colon between digits ("12:00", "1,5") is a time or a number, not a clause break.
_CLAUSE_PUNCT = re.compile(r"[;()\u2013\u2014]|(?<!\d)[,:]|[,:](?!\d)")
_TOKEN = re.compile(r"[\w']+")
_WORD = re.compile(r"\w+")
_EXCLAMATION = re.compile(r"[!?¡]{2,}")
# Any mark quoted_spans could open a quote with; most complaints have none, and the scan is slow.
_QUOTE_MARK = re.compile("[\"'“”„«»]")


class Signal(StrEnum):
    """Which result a reason feeds."""

    IRRITATION = "irritation"
    EXPOSURE = "exposure"
    PRIORITY = "priority"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


@dataclass(frozen=True)
class Match:
    """Where a piece of evidence is: ``text[start:end]`` of the complaint or of its subject."""

    text: str
    start: int
    end: int
    source: str = "text"  # "text" or "subject"

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "span": [self.start, self.end], "source": self.source}


@dataclass(frozen=True)
class Reason:
    """One reason behind a score or the priority. ``weight`` is what it adds to its score
    (noisy-OR); priority reasons weigh 0. ``match`` is None when the reason comes from an
    argument (channel, previous_contacts, customer_value...) and ``detail`` says which."""

    kind: str
    signal: Signal
    weight: float
    match: Match | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "signal": str(self.signal),
            "weight": self.weight,
            "text": self.match.text if self.match else "",
            "span": [self.match.start, self.match.end] if self.match else None,
            "source": self.match.source if self.match else "argument",
            "detail": self.detail,
        }


@dataclass(frozen=True)
class CategoryHint:
    """One of the organisation's categories: its name and the keywords that suggest it, in the
    lexicon phrase notation ("deliver*", "dostaw*", "stopped working")."""

    name: str
    keywords: tuple[str, ...]


class _NamedKeywords(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def keywords(self) -> Sequence[str] | str: ...


CategoryLike = CategoryHint | tuple[str, Sequence[str]] | _NamedKeywords


@dataclass(frozen=True)
class CategoryMatch:
    """The suggested category: matches in the subject count twice in ``score``."""

    name: str
    score: int
    evidence: tuple[Match, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "score": self.score,
            "evidence": [m.to_dict() for m in self.evidence],
        }


@dataclass(frozen=True)
class Advice:
    """What the agent should do, in the complaint's language (text) and the staff's (text_ui)."""

    kind: str  # call_customer, direct_channel, legal_deadline, safety
    text: str
    text_ui: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "text_ui": self.text_ui}


@dataclass(frozen=True)
class Triage:
    language: str
    language_confidence: float
    ui_language: str
    irritation: float
    exposure: float
    category: str | None  # the suggested category's name; details in category_match
    priority: Priority
    advice: tuple[Advice, ...] = ()
    reasons: tuple[Reason, ...] = ()
    category_match: CategoryMatch | None = field(default=None)

    def reasons_for(self, signal: Signal) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.signal == signal)

    def kinds(self) -> set[str]:
        return {r.kind for r in self.reasons}

    def advice_kinds(self) -> set[str]:
        return {a.kind for a in self.advice}

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "language_confidence": round(self.language_confidence, 3),
            "ui_language": self.ui_language,
            "irritation": self.irritation,
            "exposure": self.exposure,
            "category": self.category,
            "category_match": self.category_match.to_dict() if self.category_match else None,
            "priority": str(self.priority),
            "advice": [a.to_dict() for a in self.advice],
            "reasons": [r.to_dict() for r in self.reasons],
        }


# --- the lexicon --------------------------------------------------------------------------


@dataclass(frozen=True)
class TriageLexicon:
    lang: str
    tables: Mapping[str, tuple[PhraseIndex | None, PhraseIndex | None]]  # phrases, exclude
    negations: re.Pattern[str] | None
    negation_window: int
    clause_breaks: re.Pattern[str] | None
    conditionals: re.Pattern[str] | None
    acronyms: frozenset[str]
    advice: Mapping[str, str]
    ui: Mapping[str, str]


def _strings(table: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"{where}.{key} must be a list of strings")
    return list(value)


def parse_triage_lexicon(lang: str, data: Mapping[str, Any], where: str) -> TriageLexicon:
    tables = {}
    for kind in PHRASE_TABLES:
        table = data.get(kind, {})
        if not isinstance(table, dict):
            raise LexiconError(f"{where}: [{kind}] must be a table")
        tables[kind] = (
            index_phrases(_strings(table, "phrases", f"{where} [{kind}]"), f"{where} [{kind}]"),
            index_phrases(_strings(table, "exclude", f"{where} [{kind}]"), f"{where} [{kind}]"),
        )
    negation = data.get("negation", {})
    window = negation.get("window", 3)
    if not isinstance(window, int) or window < 0:
        raise LexiconError(f"{where} [negation].window must be a non-negative integer")
    advice, ui = data.get("advice", {}), data.get("ui", {})
    for name, table in (("advice", advice), ("ui", ui)):
        if not all(isinstance(v, str) for v in table.values()):
            raise LexiconError(f"{where} [{name}] values must be strings")

    def phrases(key: str) -> re.Pattern[str] | None:
        return compile_phrases(
            _strings(negation, key, f"{where} [negation]"), f"{where} [negation].{key}"
        )

    return TriageLexicon(
        lang=lang,
        tables=tables,
        negations=phrases("words"),
        negation_window=window,
        clause_breaks=phrases("clause_breaks"),
        conditionals=phrases("conditionals"),
        acronyms=frozenset(
            a.upper() for a in _strings(data.get("capitals", {}), "acronyms", where)
        ),
        advice=advice,
        ui=ui,
    )


@functools.cache
def load_triage_lexicon(lang: str) -> TriageLexicon:
    """The compiled triage lexicon of a served language, read once per process."""
    if lang not in SERVED:
        raise LexiconError(f"no triage lexicon for {lang!r}; served: {', '.join(SERVED)}")
    path = TRIAGE_DIR / f"{lang}.toml"
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return parse_triage_lexicon(lang, data, f"triage/{path.name}")


@functools.lru_cache(maxsize=512)
def _keyword_index(keywords: tuple[str, ...]) -> PhraseIndex | None:
    # The organisation's keywords are data typed by staff: a bad one is skipped, not fatal.
    valid = []
    for keyword in keywords:
        try:
            compile_phrases([keyword], "category keyword")
        except LexiconError:
            continue
        valid.append(keyword)
    return index_phrases(valid, "category keywords")


# --- reading one text (the complaint or its subject) --------------------------------------


class _Text:
    def __init__(self, raw: str, source: str, lex: TriageLexicon) -> None:
        self.text = normalise(raw)
        self.source = source
        self.lex = lex
        self.sentences = SentenceIndex(split_sentences(self.text))
        self.quotes = quoted_spans(self.text) if _QUOTE_MARK.search(self.text) else []
        self.starts = word_starts(self.text)

    def match(self, start: int, end: int) -> Match:
        return Match(self.text[start:end], start, end, self.source)

    def phrases(self, kind: str) -> list[Match]:
        index, exclude = self.lex.tables[kind]
        if index is None:
            return []
        spans = index.spans(self.text, self.starts)
        if not spans:
            return []
        excluded = exclude.spans(self.text, self.starts) if exclude is not None else []
        found: list[Match] = []
        covered = 0  # end of the last match considered, kept or cancelled
        for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
            if start < covered:
                continue  # inside a longer match: "viedä asiaa kuluttajariitalautakuntaan"
            covered = end
            if any(qs <= start and end <= qe for qs, qe in self.quotes):
                continue  # someone else's words
            if any(start < xe and xs < end for xs, xe in excluded):
                continue
            if kind not in UNNEGATED and self.negated(start):
                continue
            found.append(self.match(start, end))
        return found

    def negated(self, start: int) -> bool:
        """A negation word shortly before ``start`` in its clause ("I will not go to court"),
        unless it belongs to a condition ("if you don't refund me I will go to court")."""
        lex = self.lex
        if lex.negations is None or lex.negation_window == 0:
            return False
        sentence = self.sentences.at(start)
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
        negation = lex.negations.search(left, tokens[0].start())
        if negation is None:
            return False
        if lex.conditionals is not None:
            return lex.conditionals.search(left, clause_start, negation.start()) is None
        return True

    def capitals(self) -> tuple[int, int, Match | None]:
        """(shouted words, words, longest run of shouted words). A word is shouted when it is
        all capitals and has 5+ letters and is no listed acronym, or stands next to another
        all-capitals word: an isolated DHL, PDF or IBAN is a name, "WHERE IS MY MONEY" is not."""
        words = [m for m in _WORD.finditer(self.text) if len(m.group()) > 1 and m.group().isalpha()]
        upper = [w.group().isupper() for w in words]
        shouted = [
            upper[i]
            and (
                (len(w.group()) >= 5 and w.group().upper() not in self.lex.acronyms)
                or (i > 0 and upper[i - 1])
                or (i + 1 < len(words) and upper[i + 1])
            )
            for i, w in enumerate(words)
        ]
        best: tuple[int, int, int] = (0, 0, 0)  # length, first index, last index
        run_start = None
        for i, s in enumerate([*shouted, False]):
            if s and run_start is None:
                run_start = i
            elif not s and run_start is not None:
                if i - run_start > best[0]:
                    best = (i - run_start, run_start, i - 1)
                run_start = None
        run = None
        if best[0]:
            run = self.match(words[best[1]].start(), words[best[2]].end())
        return sum(shouted), len(words), run

    def exclamations(self) -> Iterator[tuple[float, Match]]:
        for m in _EXCLAMATION.finditer(self.text):
            if "!" in m.group() and not any(qs <= m.start() < qe for qs, qe in self.quotes):
                weight = EXCLAMATION_WEIGHTS[1 if len(m.group()) >= 3 else 0]
                yield weight, self.match(m.start(), m.end())


# --- scores -------------------------------------------------------------------------------


def noisy_or(weights: Iterable[float]) -> float:
    """1 - (1 - w1)(1 - w2)...: the chance that at least one independent signal is right."""
    return round(1.0 - math.prod(1.0 - w for w in weights), 3)


def _decayed(
    kind: str, signal: Signal, found: Iterable[tuple[float, Match | None, str]]
) -> list[Reason]:
    """Reasons of one kind, strongest first: the k-th repeat weighs REPEAT_DECAY**k."""
    ordered = sorted(found, key=lambda f: -f[0])[:MAX_PER_KIND]
    return [
        Reason(kind, signal, round(weight * REPEAT_DECAY**k, 3), match, detail)
        for k, (weight, match, detail) in enumerate(ordered)
    ]


def _category(hints: Iterable[CategoryLike], texts: Sequence[_Text]) -> CategoryMatch | None:
    best: CategoryMatch | None = None
    for hint in hints:
        name, keywords = _name_keywords(hint)
        index = _keyword_index(keywords)
        if index is None:
            continue
        evidence: list[Match] = []
        score = 0
        for t in texts:
            for start, end in sorted(set(index.spans(t.text, t.starts))):
                evidence.append(t.match(start, end))
                score += 2 if t.source == "subject" else 1
        if score and (best is None or score > best.score):
            best = CategoryMatch(name, score, tuple(evidence))
    return best


def _name_keywords(hint: CategoryLike) -> tuple[str, tuple[str, ...]]:
    if isinstance(hint, tuple):
        name, raw = hint
    else:
        name, raw = hint.name, hint.keywords
    # A keywords string is one keyword per line (the Category model's field) or comma-separated.
    items = re.split(r"[\n,]", raw) if isinstance(raw, str) else list(raw)
    return str(name), tuple(k.strip() for k in items if k.strip())


# --- the verb -----------------------------------------------------------------------------


def triage(
    text: str,
    *,
    lang: str | None = None,
    channel: str | None = None,
    public_url: str | None = None,
    subject: str = "",
    categories: Iterable[CategoryLike] = (),
    customer_value: float | None = None,
    high_value_threshold: float = HIGH_VALUE_THRESHOLD,
    days_to_deadline: int | None = None,
    previous_contacts: int = 0,
    waiting_days: int | None = None,
    ui_lang: str = "en",
) -> Triage:
    """Triage one complaint. ``lang`` is detected when not given (or not served)."""
    confidence = 1.0
    if not lang or lang not in SERVED:
        detection = detect_language(text if text.strip() else subject)
        lang, confidence = detection.served, detection.confidence
    ui_lang = ui_lang if ui_lang in SERVED else "en"
    lex = load_triage_lexicon(lang)
    texts = [_Text(subject, "subject", lex)] if subject.strip() else []
    texts.append(_Text(text, "text", lex))

    found: dict[str, list[Match]] = {kind: [] for kind in PHRASE_TABLES}
    for t in texts:
        for kind in PHRASE_TABLES:
            found[kind].extend(t.phrases(kind))

    irritation: list[Reason] = []
    for kind in IRRITATION_WEIGHTS:
        extra: list[tuple[float, Match | None, str]] = []
        if kind == "repeated_contact" and previous_contacts > 0:
            weight = min(CONTACT_CAP, CONTACT_WEIGHT * previous_contacts)
            extra.append((weight, None, f"previous_contacts={previous_contacts}"))
        if kind == "waiting" and waiting_days is not None and waiting_days >= WAITING_MIN_DAYS:
            weight = min(WAITING_CAP, WAITING_PER_DAY * waiting_days)
            extra.append((weight, None, f"waiting_days={waiting_days}"))
        base = IRRITATION_WEIGHTS[kind]
        irritation += _decayed(
            kind, Signal.IRRITATION, extra + [(base, m, "") for m in found[kind]]
        )
    irritation += _capitals(texts)
    irritation += _decayed(
        "exclamation",
        Signal.IRRITATION,
        [(w, m, "") for t in texts for w, m in t.exclamations()],
    )

    exposure: list[Reason] = []
    if channel and channel.lower() in PUBLIC_CHANNELS:
        exposure.append(
            Reason(
                "public_channel",
                Signal.EXPOSURE,
                EXPOSURE_WEIGHTS["public_channel"],
                detail=f"channel={channel}",
            )
        )
    if public_url:
        exposure.append(
            Reason(
                "public_url",
                Signal.EXPOSURE,
                EXPOSURE_WEIGHTS["public_url"],
                detail=f"public_url={public_url}",
            )
        )
    for kind in ("threat_public", "public_mention"):
        exposure += _decayed(
            kind, Signal.EXPOSURE, [(EXPOSURE_WEIGHTS[kind], m, "") for m in found[kind]]
        )

    irritation_score = noisy_or(r.weight for r in irritation)
    exposure_score = noisy_or(r.weight for r in exposure)

    escalators: list[Reason] = []
    if irritation_score >= HIGH_IRRITATION:
        escalators.append(
            Reason(
                "irritation",
                Signal.PRIORITY,
                0.0,
                detail=f"irritation {irritation_score:.2f} >= {HIGH_IRRITATION}",
            )
        )
    if exposure_score >= HIGH_EXPOSURE:
        escalators.append(
            Reason(
                "exposure",
                Signal.PRIORITY,
                0.0,
                detail=f"exposure {exposure_score:.2f} >= {HIGH_EXPOSURE}",
            )
        )
    if found["threat_legal"]:
        escalators.append(Reason("threat_legal", Signal.PRIORITY, 0.0, found["threat_legal"][0]))
    if customer_value is not None and customer_value >= high_value_threshold:
        escalators.append(
            Reason(
                "high_value",
                Signal.PRIORITY,
                0.0,
                detail=f"customer_value {customer_value:g} >= {high_value_threshold:g}",
            )
        )
    if days_to_deadline is not None and days_to_deadline <= DEADLINE_DAYS:
        escalators.append(
            Reason(
                "deadline",
                Signal.PRIORITY,
                0.0,
                detail=f"days_to_deadline {days_to_deadline} <= {DEADLINE_DAYS}",
            )
        )
    safety = [Reason("safety", Signal.PRIORITY, 0.0, m) for m in found["safety"]]
    no_rush = [Reason("no_rush", Signal.PRIORITY, 0.0, m) for m in found["no_rush"][:1]]

    if safety or len(escalators) >= 2:
        priority = Priority.URGENT
    elif escalators:
        priority = Priority.HIGH
    elif no_rush and irritation_score < LOW_IRRITATION:
        priority = Priority.LOW
    else:
        priority = Priority.NORMAL
        no_rush = []  # it did not lower anything: not a reason

    advice_kinds = []
    if irritation_score >= HIGH_IRRITATION:
        advice_kinds.append("call_customer")
    if exposure_score >= HIGH_EXPOSURE:
        advice_kinds.append("direct_channel")
    if found["threat_legal"]:
        advice_kinds.append("legal_deadline")
    if safety:
        advice_kinds.append("safety")
    category = _category(categories, texts)
    ui_lex = load_triage_lexicon(ui_lang)
    advice = tuple(Advice(kind, _advice(lex, kind), _advice(ui_lex, kind)) for kind in advice_kinds)

    return Triage(
        language=lang,
        language_confidence=confidence,
        ui_language=ui_lang,
        irritation=irritation_score,
        exposure=exposure_score,
        category=category.name if category else None,
        category_match=category,
        priority=priority,
        advice=advice,
        reasons=tuple(irritation + exposure + escalators + safety + no_rush),
    )


def _capitals(texts: Sequence[_Text]) -> list[Reason]:
    counts = [t.capitals() for t in texts]
    shouted = sum(c[0] for c in counts)
    words = sum(c[1] for c in counts)
    if shouted < MIN_SHOUTED_WORDS or not words:
        return []
    share = shouted / words
    runs = [c[2] for c in counts if c[2] is not None]
    run = max(runs, key=lambda m: m.end - m.start) if runs else None
    weight = round(min(0.5, 0.15 + 0.5 * share), 3)
    detail = f"{shouted} of {words} words in capitals"
    return [Reason("capitals", Signal.IRRITATION, weight, run, detail)]


def _advice(lex: TriageLexicon, kind: str) -> str:
    return lex.advice.get(kind) or load_triage_lexicon("en").advice.get(kind, kind)
