"""Language of a reply: detection (lingua, restricted to the languages we serve and their
neighbours, loaded once and lazily), text normalisation, sentence splitting and quoted spans.

Inflection is handled in the lexicons (stems with ``*`` and listed forms), not by a lemmatiser:
simplemma costs ~840 MB RSS and ~6 s to load for our four languages, lingua alone ~390 MB
(measured, see docs/playbook.md). Stems keep ``check_reply`` under a millisecond.
"""

from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

SERVED: tuple[str, ...] = ("en", "pl", "bg", "fi")
# Languages our four are confused with; detecting them lets us say "this is not Bulgarian".
NEIGHBOURS: tuple[str, ...] = ("cs", "sk", "ru", "uk", "mk", "sr", "et", "sv", "de")
UNDETERMINED = "und"

# Below these sizes lingua guesses; "und" is the honest answer.
MIN_LETTERS = 12
MIN_WORDS = 2
# The winner must clearly beat the runner-up, otherwise the text is mixed or ambiguous.
MIN_CONFIDENCE = 0.5
# Detection reads the start of the text only: 400 characters (a few sentences) decide the language of a
# reply as well as the whole text does, at a fraction of the cost.
SAMPLE_CHARS = 400

_detector: LanguageDetector | None = None
_detector_lock = threading.Lock()

_APOSTROPHE_MARKS = ("\u2019", "\u2018", "\u02bc", "`")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"\w+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True)
class Detection:
    """The detected language (ISO 639-1, or "und"), its confidence and the served guess."""

    lang: str
    confidence: float
    served: str  # the served language to coach in: lang if served, else the closest one


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str

    @property
    def is_question(self) -> bool:
        return self.text.rstrip(" \t\"'”»“)").endswith("?")


def _build_detector() -> LanguageDetector:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
        for code in SERVED + NEIGHBOURS
    ]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detector() -> LanguageDetector:
    """The process-wide detector, built on first use (lingua loads its models lazily too)."""
    global _detector
    if _detector is None:
        with _detector_lock:
            if _detector is None:
                _detector = _build_detector()
    return _detector


def preload() -> None:
    """Load the detector and the models of the served languages (for servers and benchmarks)."""
    for sample in (
        "Dziękujemy za wiadomość.",
        "Благодарим за писмото.",
        "Kiitos viestistä.",
        "Thank you for writing.",
    ):
        detect_language(sample)


def detect_language(text: str) -> Detection:
    """Detect the language of ``text``; "und" when it is too short or too mixed to tell."""
    sample = text[:SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample))
    words = len(_WORD.findall(sample))
    fallback = "bg" if _CYRILLIC.search(sample) else "en"
    if letters < MIN_LETTERS or words < MIN_WORDS:
        return Detection(UNDETERMINED, 0.0, fallback)
    values = detector().compute_language_confidence_values(sample)
    if not values:
        return Detection(UNDETERMINED, 0.0, fallback)
    scores = {v.language.iso_code_639_1.name.lower(): v.value for v in values}
    best = max(scores, key=lambda code: scores[code])
    served = max(SERVED, key=lambda code: scores.get(code, 0.0))
    if scores.get(served, 0.0) == 0.0:
        served = fallback
    if scores[best] < MIN_CONFIDENCE:
        return Detection(UNDETERMINED, scores[best], served)
    return Detection(best, scores[best], best if best in SERVED else served)


def normalise(text: str) -> str:
    """Unify apostrophes so lexicon entries need one spelling. Keeps every offset unchanged."""
    # str.replace per mark is ~20x faster than translate() on non-ASCII text.
    for mark in _APOSTROPHE_MARKS:
        if mark in text:
            text = text.replace(mark, "'")
    return text


# A sentence ends at . ! ? … (plus closing quotes) before whitespace, unless the next word starts
# in lower case; and at a line break, unless the line was hard-wrapped mid-sentence.
_END = re.compile(r"[.!?…]+[\"'”»“)]*(?=\s|$)|\n")
_OPENING_MARKS = "\"'„“«(-–•*"


def _next_starts_lower(text: str, pos: int) -> bool:
    n = len(text)
    while pos < n and (text[pos].isspace() or text[pos] in _OPENING_MARKS):
        pos += 1
    return pos < n and text[pos].islower()


def split_sentences(text: str, abbreviations: frozenset[str] = frozenset()) -> list[Sentence]:
    """Split ``text`` into sentences with their character spans (offsets into ``text``)."""
    sentences: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        if match.group() == "\n":
            before = text[match.start() - 1] if match.start() else "\n"
            if (before.isalnum() or before == ",") and _next_starts_lower(text, end):
                continue  # a hard-wrapped line, not the end of a sentence
        else:
            if _next_starts_lower(text, end):
                continue
            if match.group().startswith(".") and abbreviations:
                word_start = match.start()
                while word_start > start and not text[word_start - 1].isspace():
                    word_start -= 1
                if text[word_start : match.start() + 1].lower() in abbreviations:
                    continue
        _append(sentences, text, start, end)
        start = end
    _append(sentences, text, start, len(text))
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        sentences.append(Sentence(start, end, text[start:end]))


class SentenceIndex:
    """Maps a character offset to the sentence that holds it."""

    def __init__(self, sentences: list[Sentence]) -> None:
        self.sentences = sentences
        self._starts = [s.start for s in sentences]

    def at(self, offset: int) -> Sentence:
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.sentences[max(i, 0)]


_OPENERS = {
    '"': '"',
    "“": "”“",
    "„": "”“",
    "«": "»",
    "”": "”",
    "»": "«",
    "‚": "'‘’",
    "‹": "›",
    "›": "‹",
}
MAX_QUOTE = 400  # a longer "quote" is an unbalanced mark, not the customer's words
# Where a single straight quote (or a normalised ‘ ’) may open a quotation: at the start, after
# a space or an opening mark. "don't" and "drivers' route" open nothing.
_BEFORE_SINGLE = " \t\n([{:/-\u2013\u2014"


_MARKS = re.compile("[\"“„«”»‚‹›']")
_CLOSERS = {ch: re.compile(f"[{re.escape(closers)}]") for ch, closers in _OPENERS.items()}


def _single_quote_end(text: str, i: int, limit: int) -> int:
    """Where the single quotation opened at ``i`` closes, or -1: a mark after a non-space that
    is not followed by a letter (so the apostrophe of "don't" inside the quote is skipped)."""
    if i and text[i - 1] not in _BEFORE_SINGLE:
        return -1
    if i + 1 >= len(text) or text[i + 1].isspace():
        return -1
    j = text.find("'", i + 2, limit)
    while j >= 0:
        if not text[j - 1].isspace() and (j + 1 == len(text) or not text[j + 1].isalnum()):
            return j
        j = text.find("'", j + 1, limit)
    return -1


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks, double or single: the customer's own words, which the
    coach must not judge. A quotation does not run past a blank line."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    m = _MARKS.search(text)
    while m is not None:
        i = m.start()
        limit = min(n, i + MAX_QUOTE)
        paragraph = text.find("\n\n", i, limit)
        if paragraph >= 0:
            limit = paragraph
        ch = text[i]
        if ch == "'":
            j = _single_quote_end(text, i, limit)
        else:
            close = _CLOSERS[ch].search(text, i + 1, limit)
            j = close.start() if close is not None else -1
        next_pos = j + 1 if j > 0 else i + 1
        m = _MARKS.search(text, next_pos)
        if j > 0:
            spans.append((i, j + 1))
    return spans
