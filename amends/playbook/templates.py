"""Reply skeletons per language (templates/*.toml), filled from the facts of a case.

Every filled template passes the coach with no flag and with the elements its purpose needs
(coach.PURPOSE_ELEMENTS); tests/playbook/test_templates.py proves it for every language.
"""

from __future__ import annotations

import functools
import string
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from amends.playbook.language import SERVED

TEMPLATE_DIR = Path(__file__).with_name("templates")
PURPOSES: tuple[str, ...] = (
    "acknowledgement",
    "clarification_request",
    "resolution_proposal",
    "hand_over",
    "decline",
    "parting",
)


class TemplateError(ValueError):
    """Unknown template or language, or a fact the template needs is missing."""


@dataclass(frozen=True)
class CaseFacts:
    """What a template needs to know about the case. Free-text facts are written by the owner
    in the customer's language; templates use only the ones they name."""

    customer_name: str
    owner_name: str
    case_ref: str
    answer_date: date
    details_needed: str = ""
    remedy: str = ""
    reason: str = ""
    previous_owner_name: str = ""


@dataclass(frozen=True)
class FilledTemplate:
    purpose: str
    lang: str
    subject: str
    body: str


@dataclass(frozen=True)
class _Language:
    date_format: str
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    templates: Mapping[str, tuple[str, str]]  # purpose -> (subject, body)


@functools.cache
def _load(lang: str) -> _Language:
    if lang not in SERVED:
        raise TemplateError(f"no templates for language {lang!r}; served: {', '.join(SERVED)}")
    path = TEMPLATE_DIR / f"{lang}.toml"
    with path.open("rb") as fh:
        data: dict[str, Any] = tomllib.load(fh)
    fmt = data.get("format", {})
    weekdays, months = tuple(fmt.get("weekdays", ())), tuple(fmt.get("months", ()))
    if len(weekdays) != 7 or len(months) != 12 or not isinstance(fmt.get("date"), str):
        raise TemplateError(f"{path.name} [format] needs date, 7 weekdays and 12 months")
    templates = {}
    for purpose in PURPOSES:
        table = data.get(purpose)
        if (
            not isinstance(table, dict)
            or not isinstance(table.get("subject"), str)
            or not isinstance(table.get("body"), str)
        ):
            raise TemplateError(f"{path.name} [{purpose}] needs a subject and a body")
        templates[purpose] = (table["subject"], table["body"])
    return _Language(fmt["date"], weekdays, months, templates)


def format_date(value: date, lang: str) -> str:
    """A date as the templates of ``lang`` write it ("piątku, 27 listopada 2026 r.")."""
    spec = _load(lang)
    return spec.date_format.format(
        weekday=spec.weekdays[value.weekday()],
        day=value.day,
        month=spec.months[value.month - 1],
        month_number=value.month,
        year=value.year,
    )


def required_facts(purpose: str, lang: str) -> frozenset[str]:
    """The placeholders a template uses, i.e. the facts it cannot be filled without."""
    subject, body = _template(purpose, lang)
    return frozenset(
        name for text in (subject, body) for _, name, _, _ in string.Formatter().parse(text) if name
    )


def _template(purpose: str, lang: str) -> tuple[str, str]:
    if purpose not in PURPOSES:
        raise TemplateError(f"unknown template {purpose!r}; known: {', '.join(PURPOSES)}")
    return _load(lang).templates[purpose]


def fill_template(purpose: str, lang: str, facts: CaseFacts | Mapping[str, Any]) -> FilledTemplate:
    """Fill the ``purpose`` template of ``lang`` from the case facts (a CaseFacts or a dict)."""
    subject, body = _template(purpose, lang)
    values: dict[str, Any] = dict(asdict(facts) if isinstance(facts, CaseFacts) else facts)
    answer = values.get("answer_date")
    if isinstance(answer, str) and answer:
        try:
            answer = date.fromisoformat(answer)
        except ValueError as exc:
            raise TemplateError(f"answer_date must be an ISO date, got {answer!r}") from exc
    if isinstance(answer, date):
        values["answer_date"] = format_date(answer, lang)
    missing = sorted(
        n for n in required_facts(purpose, lang) if not str(values.get(n) or "").strip()
    )
    if missing:
        raise TemplateError(f"template {purpose!r} needs: {', '.join(missing)}")
    strings = {k: str(v).strip() for k, v in values.items() if v is not None}
    return FilledTemplate(purpose, lang, subject.format_map(strings), body.format_map(strings))
