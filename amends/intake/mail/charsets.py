"""Bytes to text for mail whose declared charset may be wrong, missing or unknown.

Real complaint mail arrives in utf-8, iso-8859-2, windows-1250, windows-1251, koi8-r,
iso-8859-15 and us-ascii, sometimes with a label that does not match the bytes (a Polish
client sending windows-1250 bytes labelled iso-8859-2, utf-8 labelled us-ascii, no label at
all). The declared charset is tried first; when it fails or gives text no person wrote, the
candidates we see in practice are scored and the best one wins. Decoding never raises.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

# The legacy charsets our customers' mail clients use (see the corpus in the helpdesk baseline).
LEGACY_CANDIDATES = ("windows-1250", "iso-8859-2", "iso-8859-15", "windows-1251", "koi8-r")
# Letters that are ordinary in Polish, Finnish and Bulgarian text; a decoding that yields them
# is more plausible than one that yields other letters or symbols.
_EXPECTED = frozenset(
    "ąćęłńóśźżĄĆĘŁŃÓŚŹŻäöåÄÖÅéабвгдежзийклмнопрстуфхцчшщъьюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ"
)
# C0/C1 control characters other than tab and newlines: what a wrong single-byte charset
# makes of bytes it does not use for letters.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def codec_name(label: str | None) -> str | None:
    """Python's codec name for a MIME charset label, or None when it is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in ("unknown-8bit", "x-unknown", "8bit", "unknown", "default"):
        return None
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError):
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Text of `data`: the declared charset when it fits, else the most plausible one."""
    if data.isascii():
        return data.decode("ascii")
    charset = codec_name(declared)
    try:
        as_utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    # Non-ASCII bytes that form valid UTF-8 are practically never legacy text by accident,
    # so valid UTF-8 wins over a legacy label (the usual mislabelling is the other way round).
    if as_utf8 is not None:
        return as_utf8
    declared_text = _strict(data, charset) if charset not in (None, "utf-8") else None
    if declared_text is not None and _CONTROL.search(declared_text):
        declared_text = None
    best = max(
        (t for t in (_strict(data, c) for c in LEGACY_CANDIDATES) if t is not None),
        key=plausibility,
        default=None,
    )
    if declared_text is not None:
        # The label is believed unless another charset reads far better (Cyrillic bytes
        # labelled windows-1250 decode without error, into Latin letters nobody writes).
        if best is None or plausibility(best) <= 2 * max(plausibility(declared_text), 0) + 5:
            return declared_text
    return best if best is not None else data.decode("utf-8", errors="replace")


def _strict(data: bytes, charset: str) -> str | None:
    try:
        return data.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return None


def plausibility(text: str) -> float:
    """How much `text` looks like something a person wrote in one of our languages."""
    score = 0.0
    for char in text:
        if char.isascii():
            continue
        if char in _EXPECTED:
            # Mostly lower case: a koi8-r/windows-1251 swap turns the case of every letter.
            score += 2.0 if char.islower() else 1.5
        elif char.isalpha():
            score += 0.5
        elif _CONTROL.match(char) or char == "\ufffd":
            score -= 5.0
        elif unicodedata.category(char).startswith(("S", "P", "C")):
            score -= 1.0
    return score


def recover_header(value: str, hint: str | None = None) -> str:
    """A raw header value with undeclared 8-bit bytes (kept as surrogates by the parser)
    decoded like a body: with the message's charset as the hint, else by plausibility."""
    if not any("\udc80" <= c <= "\udcff" for c in value):
        return value
    return decode_bytes(value.encode("utf-8", "surrogateescape"), hint)
