"""The customer's own words of a reply: quoted earlier mail and the signature cut off.

`mail-parser-reply` does the splitting. It knows English and Polish ("Dnia ... napisał(a):",
Outlook's "Od:/Wysłano:") but not Bulgarian or Finnish, nor the Polish headers Thunderbird
("W dniu ... pisze:") and Gmail ("pt., 12 mar 2025 o 10:15 Jan <jan@...> napisał(a):") write.
`_Reply` adds those patterns through the library's own per-language lookup (`_QUOTE_PATTERNS`
below), and replaces its Polish Outlook pattern, which cuts at any single line starting with
"Data:" or "Do:", with one that needs the sender line "Od:" and another field after it.

Cutting must never lose the complaint itself, so:
- a forwarded mail ("Fwd:", "PD:", "VL:", "Пр:") is kept whole: the customer is showing us
  the earlier correspondence;
- a signature is cut only when it looks like one (a short sign-off line, a few lines);
- when nothing would be left, the text is kept as it came.
"""

from __future__ import annotations

import re

from mailparser_reply.constants import MAIL_LANGUAGES, QUOTED_MATCH_INCLUDE
from mailparser_reply.parser import EmailMessage

LANGUAGES = ("pl", "bg", "fi", "en")

_Q = QUOTED_MATCH_INCLUDE


def _outlook(sender: str, *names: str) -> str:
    """An Outlook-style header block: the sender's line, then at least one more field, so a
    customer's own "Data: ...\nDo: ..." lines are not taken for one."""
    fields = "|".join(names)
    return (
        rf"((?:^|\n){_Q}[* ]*{sender}:[ *]*.*"
        rf"(?:\n{_Q}[* ]*(?:{fields}):[ *]*(?:\s{{,2}}).*){{1,}}(?:\n.*){{,1}})"
    )


# Each header pattern has exactly one capturing group: the library collects every non-empty
# group of every match as a header to split at.
_QUOTE_PATTERNS: dict[str, dict[str, list[str]]] = {
    "pl": {
        "wrote_header": [
            # Thunderbird: "W dniu 12.03.2025 o 10:15, Jan Kowalski pisze:"
            rf"^({_Q}W dniu\s.+?\s?pisze:)$",
            # Gmail: "pt., 12 mar 2025 o 10:15 Jan Kowalski <jan@example.pl> napisał(a):";
            # a digit is required so a customer's "kierownik napisał:" is not taken for one.
            rf"^({_Q}(?=.*\d).{{0,200}}?\snapisał(?:\(a\)|a)?:)$",
        ],
        "from_header": [_outlook("Od", "Wysłano", "Do", "Temat", "Data", "DW")],
    },
    "bg": {
        "wrote_header": [
            # Gmail: "На пт, 12.03.2025 г. в 10:15 ч. Иван <ivan@example.bg> написа:"
            # Thunderbird: "На 12.03.2025 г. 10:15, Иван Петров написа:"
            rf"^({_Q}На\s.+?\s?написа:)$",
        ],
        "from_header": [_outlook("От", "Изпратено", "До", "Относно", "Тема", "Дата", "Копие")],
        "signatures": ["С уважение", "Поздрави", "Поздрав,", "Благодаря предварително"],
        "sent_from": ["Изпратено от моя"],
    },
    "fi": {
        "wrote_header": [
            # Gmail: "pe 14. maalisk. 2025 klo 10.15 Matti <matti@example.fi> kirjoitti:"
            # Thunderbird: "Matti Virtanen kirjoitti 14.3.2025 klo 10.15:"
            rf"^({_Q}(?=.*\d).{{0,200}}?\skirjoitti(?:\s.{{0,60}})?:)$",
        ],
        "from_header": [
            _outlook("Lähettäjä", "Lähetetty", "Vastaanottaja", "Aihe", "Päivämäärä", "Kopio")
        ],
        "signatures": ["Ystävällisin terveisin", "Parhain terveisin", "Terveisin", "Kiittäen"],
        "sent_from": ["Lähetetty iPhonesta", "Lähetetty Androidista", "Lähetetty laitteesta"],
    },
}
# Patterns of the library replaced rather than extended.
_REPLACED = {("pl", "from_header")}
# Replies and forwards as Polish, Finnish, Bulgarian, German and English clients mark them.
_FORWARD = re.compile(r"^\s*(?:fwd?|pd|vl|wg|tr|пр|преп|препратено)\s*:", re.IGNORECASE)
# A signature block longer than this, or opening with a longer line, is probably text.
_SIGNATURE_MAX_LINES = 8
_SIGNATURE_MAX_WORDS = 4


class _Reply(EmailMessage):  # type: ignore[misc]
    """The library's message, looking up our patterns next to its own."""

    def _get_language_regex(self, language: str, regex_key: str) -> str:
        ours = _QUOTE_PATTERNS.get(language, {}).get(regex_key, [])
        if (language, regex_key) in _REPLACED:
            return "|".join(ours)
        theirs = ""
        if language in MAIL_LANGUAGES and regex_key in MAIL_LANGUAGES[language]:
            theirs = super()._get_language_regex(language, regex_key)
        return "|".join(p for p in (theirs, *ours) if p)


def latest_reply(text: str, *, subject: str = "") -> str:
    """What the customer wrote this time, without the mail they quote or their signature."""
    if not text.strip() or _FORWARD.match(subject):
        return text.strip()
    try:
        parsed = _Reply(text=text, languages=list(LANGUAGES), keep_hyphen_lists=True).read()
    except Exception:  # a regex oddity in the library must never cost us the message
        return text.strip()
    if not parsed.replies:
        return text.strip()
    reply = parsed.replies[0]
    body = reply.content
    if reply.headers:
        body = body.replace(reply.headers, "", 1)
    if reply.signatures and _looks_like_signature(reply.signatures):
        head, _, _ = body.rpartition(reply.signatures)
        body = head or body
    body = _strip_quoted_edges(body).strip()
    return body or text.strip()


def _looks_like_signature(block: str) -> bool:
    lines = [line for line in block.strip().splitlines() if line.strip()]
    if not lines or len(lines) > _SIGNATURE_MAX_LINES:
        return False
    first = lines[0].strip(" -_>")
    return len(first.split()) <= _SIGNATURE_MAX_WORDS


def _strip_quoted_edges(text: str) -> str:
    """Drop '>' quoted lines before and after the reply; quotes inside it stay (inline
    answers need their question)."""
    lines = text.strip().splitlines()
    while lines and (lines[-1].startswith(">") or not lines[-1].strip()):
        lines.pop()
    while lines and (lines[0].startswith(">") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines)
