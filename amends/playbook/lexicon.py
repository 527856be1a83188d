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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from amends.playbook.language import SERVED

LEXICON_DIR = Path(__file__).with_name("lexicon")

ELEMENTS: tuple[str, ...] = ("apology", "empathy", "ownership", "clarify", "next_step")
FLAGS: tuple[str, ...] = ("blame_customer", "blame_others", "defensive", "lecturing", "vague_delay")

# Between two words of a phrase: anything that is not a word and does not end a sentence.
SEP = r"[^\w.!?]+"
GAP = r"(?:\w+" + SEP + r"){0,4}"
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁЀ-Џ"
NAME = rf"(?-i:[{_UPPER}][\w'-]+)(?:[ ](?-i:[{_UPPER}][\w'-]+))?"


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the entry."""


# Where words start in a text, by their lowercase first letter and first two letters; computed
# once per reply and shared by every category.
WordStarts = dict[str, list[int]]
# A word starts with a letter or digit: after an opening single quote ('you should...') the word
# starts after the mark, so the phrases keyed by its first letters are still tried there.
_WORD_TOKEN = re.compile(r"(\w[\w']?)[\w']*")


def word_starts(text: str) -> WordStarts:
    starts: WordStarts = {}
    get = starts.get
    for m in _WORD_TOKEN.finditer(text):
        head = m.group(1).lower()
        pos = m.start()
        for key in (head[:1], head) if len(head) > 1 else (head,):
            found = get(key)
            if found is None:
                starts[key] = [pos]
            else:
                found.append(pos)
    return starts


@dataclass(frozen=True)
class PhraseIndex:
    """Phrases grouped by the first letters they can start with. Trying only the phrases that can
    start at each word is several times faster than scanning one alternation over the text."""

    by_key: Mapping[str, re.Pattern[str]]
    anywhere: re.Pattern[str] | None  # phrases whose first letters are not fixed

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


def first_keys(fragment: str) -> set[str] | None:
    """The lowercase one- or two-letter prefixes a phrase can start with; None if not fixed."""
    keys: set[str] = set()
    for token in _split_top(" ".join(fragment.split())):
        if token == "...":
            return None
        closed = token[:1] in "([" and _closing(token) == len(token) - 1
        if token[:1] == "(" and not closed:
            # A group glued to an ending or a mark: "(zgubi|zawali)(ł|ła)", "(know|knew),".
            alts = _alternatives(token[1 : _closing(token)])
            subs = [first_keys(alt) for alt in alts]
            if any(sub is None for sub in subs):
                return None
            return {key for sub in subs if sub is not None for key in sub}
        if closed:
            for alt in _alternatives(token[1:-1]):
                sub = first_keys(alt)
                if sub is None:
                    return None
                keys |= sub
            if token[0] == "[":
                continue  # optional: the phrase may also start with the next token
            return keys
        literal = re.match(r"[^*(\[{|]*", token)
        if literal is None or not literal.group():
            return None
        keys.add(literal.group()[:2].lower())
        return keys
    return None


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


def compile_phrases(phrases: list[str], where: str) -> re.Pattern[str] | None:
    """One regular expression for a list of phrases (used for small lists and short windows)."""
    if not phrases:
        return None
    # Longer phrases first, so the alternation prefers the most specific match.
    ordered = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    try:
        return re.compile("|".join(phrase_to_regex(p) for p in ordered), re.IGNORECASE)
    except (re.error, LexiconError) as exc:
        raise LexiconError(f"{where}: {exc}") from exc


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
    for key, group in grouped.items():
        pattern = compile_phrases(group, where)
        if pattern is not None:
            by_key[key] = pattern
    return PhraseIndex(by_key, compile_phrases(anywhere, where))


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
    advice = data.get("advice", {})
    ui = data.get("ui", {})
    for name, table in (("advice", advice), ("ui", ui)):
        if not all(isinstance(v, str) for v in table.values()):
            raise LexiconError(f"{where} [{name}] values must be strings")
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
