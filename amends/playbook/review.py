"""The coach's answer: the Context a reply is judged in, and the Review with its elements,
flags, context checks, score and JSON form. Plain frozen dataclasses, no behaviour beyond
serialisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Fault(StrEnum):
    """Internal fault attribution of a case (PRODUCT.md capability 6); never shown to the customer."""

    OURS = "ours"
    UNCLEAR_INFO = "unclear_info"
    CUSTOMER = "customer"
    THIRD_PARTY = "third_party"
    NONE = "none"


# Channels where everyone can read the reply (D-1, E-1): case details do not belong there.
PUBLIC_CHANNELS = frozenset({"social", "social_media", "forum", "review", "public"})


@dataclass(frozen=True)
class Context:
    """What the coach may know about the case besides the reply's text. Every field is optional."""

    owner: str | None = None
    customer: str | None = None
    commitment_due: date | None = None
    statutory_due: date | None = None
    fault: Fault | None = None
    channel: str | None = None
    today: date | None = None
    # Which elements the reply must have: "reply" (all five) or a template purpose.
    purpose: str = "reply"


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    text: str
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        return {"span": [self.start, self.end], "text": self.text, "sentence": self.sentence}


@dataclass(frozen=True)
class Element:
    """One element the playbook asks for: present or not, with evidence, or advice when missing."""

    kind: str
    present: bool
    required: bool
    evidence: tuple[Evidence, ...] = ()
    advice: str | None = None
    advice_ui: str | None = None
    date: date | None = None  # next_step only: the calendar date it resolves to

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "present": self.present,
            "required": self.required,
            "evidence": [e.to_dict() for e in self.evidence],
            "advice": self.advice,
            "advice_ui": self.advice_ui,
        }
        if self.kind == "next_step":
            out["date"] = self.date.isoformat() if self.date else None
        return out


@dataclass(frozen=True)
class Finding:
    """A forbidden move (flag) or a context check that failed, with where it is and what to do."""

    kind: str
    start: int
    end: int
    text: str
    sentence: str
    advice: str
    advice_ui: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "span": [self.start, self.end],
            "text": self.text,
            "sentence": self.sentence,
            "advice": self.advice,
            "advice_ui": self.advice_ui,
        }


@dataclass(frozen=True)
class Deduction:
    """One line of the score: which finding cost how many points."""

    kind: str
    points: int


@dataclass(frozen=True)
class Review:
    language: str
    language_confidence: float
    ui_language: str
    score: int
    elements: dict[str, Element]
    flags: tuple[Finding, ...] = ()
    checks: tuple[Finding, ...] = ()
    deductions: tuple[Deduction, ...] = field(default=())

    @property
    def next_step_date(self) -> date | None:
        return self.elements["next_step"].date

    def flag_kinds(self) -> set[str]:
        return {f.kind for f in self.flags}

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "language_confidence": round(self.language_confidence, 3),
            "ui_language": self.ui_language,
            "score": self.score,
            "elements": {kind: el.to_dict() for kind, el in self.elements.items()},
            "flags": [f.to_dict() for f in self.flags],
            "checks": [c.to_dict() for c in self.checks],
            "score_breakdown": [{"kind": d.kind, "points": d.points} for d in self.deductions],
        }
