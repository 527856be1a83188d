"""Loading the per-language lexicons (lexicon/*.toml) and compiling their phrase notation into
regular expressions, once per process.

The notation is documented in the header of every lexicon file; in short: words match whole
words, ``*`` is any ending, ``(a|b)`` is a choice, ``[a|b]`` an optional choice, ``...`` up to
four other words, ``{name}`` a capitalised name and ``{number}`` a number.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from amends.playbook.language import SERVED

LEXICON_DIR = Path(__file__).with_name("lexicon")

ELEMENTS: tuple[str, ...] = ("apology", "empathy", "ownership", "clarify", "next_step")
FLAGS: tuple[str, ...] = ("blame_customer", "blame_others", "defensive", "lecturing", "vague_delay")

# Between two words of a phrase: anything that is not a word and does not end a sentence.
SEP = r"[^\w.!?]+"
# The only capturing group of a phrase: the coach looks for negations inside a gap.
GAP = r"((?:\w+" + SEP + r"){0,4})"
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁЀ-Џ"
NAME = rf"(?-i:[{_UPPER}][\w'-]+)(?:[ ](?-i:[{_UPPER}][\w'-]+))?"


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the entry."""


# Where words start in a text, by their lowercase first letter and first two letters; computed
# once per reply and shared by every category. ``tokens`` has each distinct word with its
# positions, for PhraseScanner.
class WordStarts(dict[str, list[int]]):
    tokens: dict[str, list[int]]


# A word starts with a letter or digit: after an opening single quote ('you should...') the word
# starts after the mark, so the phrases keyed by its first letters are still tried there.
_WORD_TOKEN = re.compile(r"\w[\w']*")


def head_keys(word: str) -> tuple[str, ...]:
    """The keys a word is filed under: its lowercase first letter and first two letters."""
    head = word[:2].lower()
    return (head[:1], head) if len(head) > 1 else (head,)


def word_starts(text: str) -> WordStarts:
    tokens: dict[str, list[int]] = {}
    get = tokens.get
    for m in _WORD_TOKEN.finditer(text):
        word = m.group()
        found = get(word)
        if found is None:
            tokens[word] = [m.start()]
        else:
            found.append(m.start())
    starts = WordStarts()
    starts.tokens = tokens
    for word, positions in tokens.items():
        for key in head_keys(word):
            found = starts.get(key)
            if found is None:
                starts[key] = positions.copy()
            else:
                found.extend(positions)
    for positions in starts.values():
        positions.sort()
    return starts


@dataclass(frozen=True)
class PhraseIndex:
    """Phrases grouped by the first letters they can start with. Trying only the phrases that can
    start at each word is several times faster than scanning one alternation over the text."""

    by_key: Mapping[str, re.Pattern[str]]
    anywhere: re.Pattern[str] | None  # phrases whose first letters are not fixed
    # The phrases of each by_key pattern, in the order of its alternation (for PhraseScanner).
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def spans(self, text: str, starts: WordStarts) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        for key in self.by_key.keys() & starts.keys():
            match = self.by_key[key].match
            for pos in starts[key]:
                m = match(text, pos)
                if m is not None:
                    found.append(m.span())
        if self.anywhere is not None:
            found.extend(m.span() for m in self.anywhere.finditer(text))
        return found


# re.IGNORECASE compares two characters by their simple lower case, and also takes these lower
# case letters as one (re._casefix): dotless i, long s, the Greek symbol forms, the old Cyrillic
# forms of в д о с т ъ ѣ ꙋ. Folding a word the same way lets a dict lookup say which phrases can
# start there, exactly as the regex would; tests/playbook/test_scanner.py checks it against re.
_SAME_LETTER = (
    "i\u0131", "s\u017f", "\u00b5\u03bc", "\u0345\u03b9\u1fbe", "\u0390\u1fd3", "\u03b0\u1fe3",
    "\u03b2\u03d0", "\u03b5\u03f5", "\u03b8\u03d1", "\u03ba\u03f0", "\u03c0\u03d6", "\u03c1\u03f1",
    "\u03c2\u03c3", "\u03c6\u03d5", "\u0432\u1c80", "\u0434\u1c81", "\u043e\u1c82", "\u0441\u1c83",
    "\u0442\u1c84\u1c85", "\u044a\u1c86", "\u0463\u1c87", "\ua64b\u1c88", "\u1e61\u1e9b", "\ufb05\ufb06",
)  # fmt: skip
_FOLD = str.maketrans({ch: group[0] for group in _SAME_LETTER for ch in group[1:]})
# Combining ypogegrammeni is the same letter as iota for re but no word character: a phrase's
# first letters stop before it (and before any character a word cannot hold).
_NOT_IN_WORD = "\u0345"


def fold(word: str) -> str | None:
    """``word`` as re.IGNORECASE compares it, one character for one; None if lower() changes the
    length (only "İ", whose lower case is "i" plus a combining dot)."""
    lowered = word.lower()
    return lowered.translate(_FOLD) if len(lowered) == len(word) else None


def _literal_fold(literal: str, whole: bool) -> tuple[str, bool]:
    """The folded letters a word must start with for a phrase beginning with ``literal``, and
    whether the word must end there (or go on only after an apostrophe: "I" also opens "I'm")."""
    end = 0
    for ch in literal:
        folded = fold(ch)
        if folded is None or folded == _NOT_IN_WORD or not _IN_WORD.fullmatch(ch):
            break
        end += 1
    return fold(literal[:end]) or "", whole and end == len(literal)


_IN_WORD = re.compile(r"[\w']")


class PhraseScan:
    """The spans of every index of a PhraseScanner in one text."""

    def __init__(
        self,
        text: str,
        slots: Mapping[int, int],
        found: list[list[tuple[int, int]]],
        gaps: dict[tuple[int, int, int], tuple[tuple[int, int], ...]],
    ) -> None:
        self._text = text
        self._slots = slots
        self._found = found
        self._gaps = gaps

    def spans(self, index: PhraseIndex) -> list[tuple[int, int]]:
        """The same spans as ``index.spans(text, word_starts(text))``."""
        slot = self._slots[id(index)]
        found = self._found[slot].copy()
        if index.anywhere is not None:
            for m in index.anywhere.finditer(self._text):
                found.append(m.span())
                _note_gaps(slot, m, self._gaps)
        return found

    def gaps(self, index: PhraseIndex, start: int, end: int) -> tuple[tuple[int, int], ...]:
        """The words each "..." of the phrase of ``index`` matched at ``start:end`` skipped
        (empty gaps left out). Call after ``spans(index)``."""
        return self._gaps.get((self._slots[id(index)], start, end), ())


_Gaps = dict[tuple[int, int, int], tuple[tuple[int, int], ...]]


def _note_gaps(slot: int, m: re.Match[str], gaps: _Gaps) -> None:
    if m.re.groups:
        spans = tuple(r for r in m.regs[1:] if r[0] < r[1])
        if spans:
            gaps[(slot, *m.span())] = spans


@functools.cache
def _phrase_folds(phrase: str) -> frozenset[tuple[str, bool]]:
    words = _first_words(phrase, top=True, then_sep=phrase_to_regex(phrase).endswith(r"(?!\w)"))
    return frozenset(_literal_fold(literal, whole) for literal, whole in words or ())


class FirstWords:
    """Which words can start one of some phrases (or literal beginnings, such as number words):
    a word that starts with none of their first letters, folded as re compares letters, and
    equals none of their whole first words, cannot start any of them."""

    def __init__(self, phrases: Sequence[str] = (), beginnings: Sequence[str] = ()) -> None:
        words = {w for phrase in phrases for w in _phrase_folds(phrase)}
        words |= {_literal_fold(b, False) for b in beginnings}
        self.words = frozenset(words)
        self._lengths = tuple(sorted({len(f) for f, whole in words if not whole}))

    def matched(self, folded: str) -> frozenset[tuple[str, bool]]:
        """The first words a folded word agrees with: the literals it starts with, and the whole
        words it equals (or that end where it has an apostrophe: "I" also opens "I'm")."""
        candidates = [(folded[:n], False) for n in self._lengths]
        candidates.append((folded, True))
        candidates.extend((folded[:i], True) for i, ch in enumerate(folded) if ch == "'")
        return frozenset(c for c in candidates if c in self.words)

    def can_start(self, word: str) -> bool:
        folded = fold(word)
        return folded is None or bool(self.matched(folded))


# What to try where a word starts: (slot of the index, pattern).
_Plan = tuple[tuple[int, re.Pattern[str]], ...]
_MAX_WORDS = 50_000  # words remembered per scanner; past that the memory starts again


class PhraseScanner:
    """Runs many PhraseIndexes over one text together. Each distinct word of the text is looked
    up once, and at its positions only the phrases whose first letters the whole word agrees with
    are tried ("sorry" no longer tries "so much", "someone", "sofort"...), in the order of their
    index's alternation, so every span is the one ``PhraseIndex.spans`` finds."""

    def __init__(self, indexes: Sequence[PhraseIndex]) -> None:
        self._indexes = tuple(indexes)
        self._slots = {id(index): slot for slot, index in enumerate(self._indexes)}
        # key -> [(slot, phrases in order, their first-letter folds, the whole group's pattern)]
        self._groups: dict[
            str,
            list[
                tuple[
                    int, tuple[str, ...], tuple[frozenset[tuple[str, bool]], ...], re.Pattern[str]
                ]
            ],
        ] = {}
        self._first_words: dict[str, FirstWords] = {}
        for slot, index in enumerate(self._indexes):
            for key, pattern in index.by_key.items():
                phrases = index.groups[key]
                folds = tuple(_phrase_folds(p) for p in phrases)
                self._groups.setdefault(key, []).append((slot, phrases, folds, pattern))
        for key, entries in self._groups.items():
            self._first_words[key] = FirstWords(
                [p for _, phrases, _, _ in entries for p in phrases]
            )
        self._plans: dict[str, _Plan] = {}
        self._key_plans: dict[tuple[str, frozenset[tuple[str, bool]] | None], _Plan] = {}
        self._compiled: dict[tuple[str, ...], re.Pattern[str]] = {}

    def scan(self, text: str, starts: WordStarts) -> PhraseScan:
        found: list[list[tuple[int, int]]] = [[] for _ in self._indexes]
        gaps: _Gaps = {}
        plans = self._plans
        for word, positions in starts.tokens.items():
            plan = plans.get(word)
            if plan is None:
                plan = self._plan(word)
            for slot, pattern in plan:
                match = pattern.match
                bucket = found[slot]
                for pos in positions:
                    m = match(text, pos)
                    if m is not None:
                        bucket.append(m.span())
                        _note_gaps(slot, m, gaps)
        return PhraseScan(text, self._slots, found, gaps)

    def _plan(self, word: str) -> _Plan:
        folded = fold(word)
        plan: list[tuple[int, re.Pattern[str]]] = []
        for key in head_keys(word):
            if key not in self._groups:
                continue
            matched = None  # a word fold() cannot read: try every phrase, as by_key does
            if folded is not None:
                matched = self._first_words[key].matched(folded)
            key_plan = self._key_plans.get((key, matched))
            if key_plan is None:
                key_plan = self._key_plans[(key, matched)] = self._key_plan(key, matched)
            plan.extend(key_plan)
        if len(self._plans) >= _MAX_WORDS:
            self._plans.clear()
        result = self._plans[word] = tuple(plan)
        return result

    def _key_plan(self, key: str, matched: frozenset[tuple[str, bool]] | None) -> _Plan:
        plan = []
        for slot, phrases, folds, pattern in self._groups[key]:
            if matched is None:
                plan.append((slot, pattern))
                continue
            chosen = tuple(p for p, fs in zip(phrases, folds, strict=True) if fs & matched)
            if len(chosen) == len(phrases):
                plan.append((slot, pattern))
            elif chosen:
                compiled = self._compiled.get(chosen)
                if compiled is None:
                    compiled = self._compiled[chosen] = re.compile(
                        "|".join(phrase_to_regex(p) for p in chosen), re.IGNORECASE
                    )
                plan.append((slot, compiled))
        return tuple(plan)


def _split_outside_groups(text: str, sep: str) -> list[str]:
    """Split `text` on `sep` where it stands outside ( ) and [ ]; raise on unbalanced brackets."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    if depth != 0:
        raise LexiconError(f"unbalanced brackets in {text!r}")
    parts.append("".join(current))
    return parts


def _alternatives(inner: str) -> list[str]:
    """Split the inside of a group on its top-level "|"."""
    return _split_outside_groups(inner, "|")


def first_literals(fragment: str) -> set[str] | None:
    """The literal beginnings a phrase can start with ("(I am|I'm) [so] sorry": I, I'm, so,
    sorry... up to the first ``*`` or bracket); None if not fixed."""
    words = _first_words(fragment, top=True, then_sep=False)
    return None if words is None else {literal for literal, _ in words}


def _first_words(fragment: str, *, top: bool, then_sep: bool) -> set[tuple[str, bool]] | None:
    """first_literals, each with whether the phrase needs a non-word character right after it:
    "I" in "I know" is a whole word, so "it" cannot start that phrase. ``top``: the fragment is a
    whole phrase (joined as phrase_to_regex does), else a choice inside brackets (as _inner does);
    ``then_sep``: what follows the fragment starts with a separator."""
    words: set[tuple[str, bool]] = set()
    tokens = _split_top(" ".join(fragment.split()))
    for i, token in enumerate(tokens):
        if token == "...":
            return None
        closed = token[:1] in "([" and _closing(token) == len(token) - 1
        if token[:1] == "(" and not closed:
            # A group glued to an ending or a mark: "(zgubi|zawali)(ł|ła)", "(know|knew),".
            alts = _alternatives(token[1 : _closing(token)])
            subs = [_first_words(alt, top=False, then_sep=False) for alt in alts]
            if any(sub is None for sub in subs):
                return None
            return {word for sub in subs if sub is not None for word in sub}
        if closed:
            # A leading optional group is always followed by a separator (phrase_to_regex).
            sep_after = (top and token[0] == "[") or _sep_after(tokens, i, top, then_sep)
            for alt in _alternatives(token[1:-1]):
                sub = _first_words(alt, top=False, then_sep=sep_after)
                if sub is None:
                    return None
                words |= sub
            if token[0] == "[":
                continue  # optional: the phrase may also start with the next token
            return words
        literal = re.match(r"[^*(\[{|]*", token)
        if literal is None or not literal.group():
            return None
        whole = literal.group() == token and _sep_after(tokens, i, top, then_sep)
        words.add((literal.group(), whole))
        return words
    return None


def _sep_after(tokens: list[str], i: int, top: bool, then_sep: bool) -> bool:
    """Whether a separator (a non-word character) must follow token ``i``."""
    if i == len(tokens) - 1:
        return then_sep
    if not top:
        return True  # inside brackets a space is always SEP
    following = tokens[i + 1]
    if following == "...":
        return True
    optional = following.startswith("[") and _closing(following) == len(following) - 1
    return not optional and not _apostrophe_led(following)


def first_keys(fragment: str) -> set[str] | None:
    """The lowercase one- or two-letter prefixes a phrase can start with; None if not fixed."""
    literals = first_literals(fragment)
    return None if literals is None else {lit[:2].lower() for lit in literals}


@dataclass(frozen=True)
class Category:
    """The compiled patterns of one element or flag in one language."""

    kind: str
    phrases: PhraseIndex | None
    subjects: PhraseIndex | None
    predicates: PhraseIndex | None
    exclude: PhraseIndex | None


@dataclass(frozen=True)
class Lexicon:
    lang: str
    categories: Mapping[str, Category]
    negations: re.Pattern[str] | None
    negation_window: int
    # A negation inside one of these is itself negated and so affirms ("we cannot deny").
    double_negations: re.Pattern[str] | None
    clause_breaks: re.Pattern[str] | None
    abbreviations: frozenset[str]
    dates: Mapping[str, Any]
    advice: Mapping[str, str]
    ui: Mapping[str, str]
    scanner: PhraseScanner  # every index of the categories, run over a reply at once
    # After a comma, these start a new finite clause ("…, but the code did not work"): a
    # subject before them does not pair with a predicate after them.
    new_clauses: re.Pattern[str] | None = None
    # [clarify].question_words: a question ("...?") that opens with one asks the customer for
    # details ("When did the problem start?"). [clarify].check_words: a question that opens
    # with one and a colon restates to check ("Let me check: your router was replaced?").
    question_words: re.Pattern[str] | None = None
    check_words: re.Pattern[str] | None = None


def _split_top(phrase: str) -> list[str]:
    """Split a phrase on spaces that are outside ( ) and [ ]."""
    return [token for token in _split_outside_groups(phrase, " ") if token]


def _inner(text: str) -> str:
    """Translate the inside of one token (no top-level spaces) to a regex."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if text.startswith("{name}", i):
            out.append(NAME)
            i += 6
            continue
        if text.startswith("{number}", i):
            out.append(r"\d+")
            i += 8
            continue
        if ch == "(" or ch == "[":
            out.append("(?:")
        elif ch == ")":
            out.append(")")
        elif ch == "]":
            out.append(")?")
        elif ch == "|":
            out.append("|")
        elif ch == "*":
            out.append(r"\w*")
        elif ch == " ":
            out.append(SEP)
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def _check_glued(phrase: str) -> None:
    """``[x]y`` compiles to "xy" or "y", never to "x y", and ``x[y]`` likewise: a linguist who
    writes it means a separate optional word, so it is refused with the fix spelled out."""
    for i, ch in enumerate(phrase):
        after = phrase[i + 1 : i + 2]
        before = phrase[i - 1 : i] if i else ""
        if (ch == "]" and after and after not in " |)]") or (
            ch == "[" and before and before not in " |(["
        ):
            raise LexiconError(
                f"optional group glued to a word in {phrase!r}: write a space between them "
                "('[just] to', not '[just]to')"
            )


def _apostrophe_led(token: str) -> bool:
    """The token (or one of its choices) starts with an apostrophe: "'ve", "(have|'ve)"."""
    if token.startswith("'"):
        return True
    if token[:1] in "([" and _closing(token) == len(token) - 1:
        return any(_apostrophe_led(alt) for alt in _alternatives(token[1:-1]) if alt)
    return False


# Before "'ve", "'s", "'ll": nothing or a separator ("I've", "that's", "we'll").
_GLUE = r"[^\w.!?]*"


def phrase_to_regex(phrase: str) -> str:
    """Compile one lexicon phrase to a regular expression (see the module docstring)."""
    if "?" in phrase or "!" in phrase:
        raise LexiconError(f'"?" and "!" cannot appear in a phrase: {phrase!r}')
    _check_glued(phrase)
    tokens = _split_top(" ".join(phrase.split()))
    if not tokens or all(t == "..." for t in tokens):
        raise LexiconError(f"empty phrase {phrase!r}")
    parts: list[str] = []
    pending_gap = False
    leading = True
    for token in tokens:
        if token == "...":
            pending_gap = True
            continue
        optional = (
            token.startswith("[") and token.endswith("]") and _closing(token) == len(token) - 1
        )
        body = "(?:" + (_inner(token[1:-1]) if optional else _inner(token)) + ")"
        if leading:  # no required word yet: optional words carry their own separator
            lead = GAP if pending_gap and parts else ""
            pending_gap = False
            parts.append(f"(?:{lead}{body}{SEP})?" if optional else lead + body)
            leading = optional
            continue
        sep = _GLUE if _apostrophe_led(token) and not pending_gap else SEP
        joiner = sep + (GAP if pending_gap else "")
        pending_gap = False
        parts.append(f"(?:{joiner}{body})?" if optional else joiner + body)
    regex = "".join(parts)
    tail = "" if regex.endswith((r"\w*", r"\w*)")) else r"(?!\w)"
    return rf"(?<!\w)(?:{regex}){tail}"


def _closing(token: str) -> int:
    """Index of the bracket closing the one that opens ``token``."""
    depth = 0
    for i, ch in enumerate(token):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _ordered(phrases: list[str]) -> list[str]:
    # Longer phrases first, so the alternation prefers the most specific match.
    return sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)


def _compile_ordered(ordered: list[str], where: str) -> re.Pattern[str]:
    try:
        return re.compile("|".join(phrase_to_regex(p) for p in ordered), re.IGNORECASE)
    except (re.error, LexiconError) as exc:
        raise LexiconError(f"{where}: {exc}") from exc


def compile_phrases(phrases: list[str], where: str) -> re.Pattern[str] | None:
    """One regular expression for a list of phrases (used for small lists and short windows)."""
    if not phrases:
        return None
    return _compile_ordered(_ordered(phrases), where)


def index_phrases(phrases: list[str], where: str) -> PhraseIndex | None:
    """A PhraseIndex of the phrases: one alternation per first-letter key."""
    if not phrases:
        return None
    grouped: dict[str, list[str]] = {}
    anywhere: list[str] = []
    for phrase in {p.strip() for p in phrases if p.strip()}:
        keys = first_keys(phrase)
        if keys is None:
            anywhere.append(phrase)
        for key in keys or ():
            grouped.setdefault(key, []).append(phrase)
    by_key = {}
    groups = {}
    for key, group in grouped.items():
        ordered = _ordered(group)
        if ordered:
            by_key[key] = _compile_ordered(ordered, where)
            groups[key] = tuple(ordered)
    return PhraseIndex(by_key, compile_phrases(anywhere, where), groups)


def _strings(table: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"{where}.{key} must be a list of strings")
    return list(value)


def _category(kind: str, table: Mapping[str, Any], where: str) -> Category:
    subjects = _strings(table, "subjects", where)
    predicates = _strings(table, "predicates", where)
    if bool(subjects) != bool(predicates):
        raise LexiconError(f"{where}: subjects and predicates go together")
    return Category(
        kind=kind,
        phrases=index_phrases(_strings(table, "phrases", where), f"{where}.phrases"),
        subjects=index_phrases(subjects, f"{where}.subjects"),
        predicates=index_phrases(predicates, f"{where}.predicates"),
        exclude=index_phrases(_strings(table, "exclude", where), f"{where}.exclude"),
    )


def parse_lexicon(lang: str, data: Mapping[str, Any], where: str) -> Lexicon:
    categories = {}
    for kind in ELEMENTS + FLAGS:
        table = data.get(kind, {})
        if not isinstance(table, dict):
            raise LexiconError(f"{where}: [{kind}] must be a table")
        categories[kind] = _category(kind, table, f"{where} [{kind}]")
    negation = data.get("negation", {})
    window = negation.get("window", 3)
    if not isinstance(window, int) or window < 0:
        raise LexiconError(f"{where} [negation].window must be a non-negative integer")
    breaks = _strings(negation, "clause_breaks", f"{where} [negation]")
    sentences = data.get("sentences", {})
    clarify = data.get("clarify", {})
    advice = data.get("advice", {})
    ui = data.get("ui", {})
    for name, table in (("advice", advice), ("ui", ui)):
        if not all(isinstance(v, str) for v in table.values()):
            raise LexiconError(f"{where} [{name}] values must be strings")
    indexes = [
        index
        for category in categories.values()
        for index in (category.phrases, category.subjects, category.predicates, category.exclude)
        if index is not None
    ]
    return Lexicon(
        lang=lang,
        categories=categories,
        negations=compile_phrases(
            _strings(negation, "words", f"{where} [negation]"), f"{where} [negation]"
        ),
        negation_window=window,
        double_negations=compile_phrases(
            _strings(negation, "double", f"{where} [negation]"), f"{where} [negation].double"
        ),
        clause_breaks=compile_phrases(breaks, f"{where} [negation].clause_breaks"),
        abbreviations=frozenset(a.lower() for a in _strings(sentences, "abbreviations", where)),
        dates=data.get("dates", {}),
        advice=advice,
        ui=ui,
        scanner=PhraseScanner(indexes),
        new_clauses=compile_phrases(
            _strings(negation, "new_clauses", f"{where} [negation]"),
            f"{where} [negation].new_clauses",
        ),
        question_words=compile_phrases(
            _strings(clarify, "question_words", f"{where} [clarify]"),
            f"{where} [clarify].question_words",
        ),
        check_words=compile_phrases(
            _strings(clarify, "check_words", f"{where} [clarify]"),
            f"{where} [clarify].check_words",
        ),
    )


@functools.cache
def load_lexicon(lang: str) -> Lexicon:
    """The compiled lexicon of a served language, read from its TOML file once per process."""
    if lang not in SERVED:
        raise LexiconError(f"no lexicon for language {lang!r}; served: {', '.join(SERVED)}")
    path = LEXICON_DIR / f"{lang}.toml"
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return parse_lexicon(lang, data, path.name)
