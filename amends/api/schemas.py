"""Pydantic schemas of the JSON API: strict inputs (unknown fields refused) and the case as returned."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.urls import reverse
from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field, StringConstraints

from amends.cases.models import (
    Case,
    Channel,
    CustomerKind,
    DeadlineStatus,
    Event,
    EventKind,
    Language,
    Priority,
    State,
    Visibility,
)
from amends.intake.complaint import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_TEXT_CHARS


def _email(value: str) -> str:
    # Django's own validator, the one Customer.email uses: no extra dependency, same rules.
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("not a valid e-mail address") from None
    return value


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_no_nul)]
Email = Annotated[Text, StringConstraints(max_length=254), AfterValidator(_email)]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Username = Annotated[Text, StringConstraints(min_length=1, max_length=150)]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class CustomerIn(Input):
    name: Annotated[Text, StringConstraints(min_length=1, max_length=200)]
    email: Email = ""
    phone: Annotated[Text, StringConstraints(max_length=40)] = ""
    language: Language = Language.EN
    jurisdiction: Annotated[Text, StringConstraints(pattern=r"^[A-Za-z]{2}$")] = Field(
        "PL", description="ISO 3166 country code whose law applies, e.g. PL, BG, FI."
    )
    kind: CustomerKind = CustomerKind.CONSUMER
    annual_value: Money = Decimal(0)
    currency: Annotated[Text, StringConstraints(pattern=r"^[A-Za-z]{3}$")] = "EUR"


class CaseIn(Input):
    customer: CustomerIn = Field(description="Found by e-mail if already known, otherwise created.")
    subject: Annotated[Text, StringConstraints(min_length=1, max_length=200)]
    description: Annotated[Text, StringConstraints(min_length=1, max_length=20000)]
    channel: Channel = Channel.API
    language: Language | None = Field(None, description="Defaults to the customer's language.")
    received_at: AwareDatetime | None = Field(
        None, description="With a time zone; defaults to now."
    )
    category: Annotated[Text, StringConstraints(min_length=1, max_length=100)] | None = None
    product_line: Annotated[Text, StringConstraints(min_length=1, max_length=100)] | None = None
    disputed_amount: Money | None = None
    priority: Priority = Priority.NORMAL


class TransitionIn(Input):
    to: State
    reason: Annotated[Text, StringConstraints(max_length=2000)] = ""


class HandOverIn(Input):
    to: Username = Field(description="Username of the new owner.")
    reason: Annotated[Text, StringConstraints(max_length=2000)] = Field(
        description="Why the case changes hands; required."
    )


class CommitmentIn(Input):
    due: date = Field(description="The promised day, in the customer's jurisdiction.")
    note: Annotated[Text, StringConstraints(max_length=2000)] = ""


class NoteIn(Input):
    text: Annotated[Text, StringConstraints(max_length=20000)]


class CaseFilters(Input):
    state: State | Literal["open"] | None = Field(
        None, description='A state, or "open" for any open state.'
    )
    owner: Username | None = Field(None, description="Owner's username.")
    language: Language | None = None
    channel: Channel | None = None
    jurisdiction: Annotated[Text, StringConstraints(pattern=r"^[A-Za-z]{2}$")] | None = None
    overdue: bool | None = None
    q: Annotated[Text, StringConstraints(max_length=200)] | None = Field(
        None, description="Search in reference, subject and customer name or e-mail."
    )
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000_000)


# Output


class Error(Schema):
    error: str
    details: list[Any] | None = None


class UserOut(Schema):
    username: str
    name: str


class CustomerOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    language: str
    jurisdiction: str
    kind: str
    annual_value: Decimal
    currency: str


class DeadlinesOut(Schema):
    commitment: DeadlineStatus
    statutory: DeadlineStatus
    worst: DeadlineStatus


class CaseOut(Schema):
    reference: str
    subject: str
    description: str
    state: State
    language: str
    channel: str
    received_at: datetime
    owner: UserOut | None
    customer: CustomerOut
    category: str | None
    product_line: str | None
    disputed_amount: Decimal | None
    currency: str
    priority: Priority
    commitment_due: datetime
    statutory_due: datetime | None
    statutory_rule: str
    answered_at: datetime | None
    deadline_status: DeadlinesOut
    allowed_transitions: list[State]
    links: dict[str, str]


class CasePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CaseOut]


class EventOut(Schema):
    id: int
    at: datetime
    kind: EventKind
    label: str
    visibility: Visibility
    actor: UserOut | None
    data: dict[str, Any]


def user_out(user: Any) -> UserOut | None:
    return None if user is None else UserOut(username=user.username, name=user.display_name)


def case_out(case: Case, *, at: datetime, soon_days: int) -> CaseOut:
    """The case as the API shows it; `at` and `soon_days` fix the deadline marks for a whole page."""
    ref = case.reference
    customer = case.customer
    return CaseOut(
        reference=ref,
        subject=case.subject,
        description=case.description,
        state=State(case.state),
        language=case.language,
        channel=case.channel,
        received_at=case.received_at,
        owner=user_out(case.owner),
        customer=CustomerOut(
            id=customer.pk,
            name=customer.name,
            email=customer.email,
            phone=customer.phone,
            language=customer.language,
            jurisdiction=customer.jurisdiction,
            kind=customer.kind,
            annual_value=customer.annual_value,
            currency=customer.currency,
        ),
        category=case.category.name if case.category else None,
        product_line=case.product_line.name if case.product_line else None,
        disputed_amount=case.disputed_amount,
        currency=case.currency,
        priority=Priority(case.priority),
        commitment_due=case.commitment_due,
        statutory_due=case.statutory_due,
        statutory_rule=case.statutory_rule,
        answered_at=case.answered_at,
        deadline_status=DeadlinesOut(
            commitment=DeadlineStatus(case.commitment_status(at, soon_days)),
            statutory=DeadlineStatus(case.statutory_status(at, soon_days)),
            worst=DeadlineStatus(case.worst_status(at, soon_days)),
        ),
        allowed_transitions=[State(s) for s in case.allowed_transitions()],
        links={
            "self": reverse("api:case-detail", kwargs={"reference": ref}),
            "events": reverse("api:case-events", kwargs={"reference": ref}),
            "transitions": reverse("api:case-transition", kwargs={"reference": ref}),
            "hand_over": reverse("api:case-hand-over", kwargs={"reference": ref}),
            "commitment": reverse("api:case-commitment", kwargs={"reference": ref}),
            "notes": reverse("api:case-note", kwargs={"reference": ref}),
            "html": reverse("cases:case-detail", kwargs={"reference": ref}),
        },
    )


def event_out(event: Event) -> EventOut:
    return EventOut(
        id=event.pk,
        at=event.at,
        kind=EventKind(event.kind),
        label=str(event.get_kind_display()),
        visibility=Visibility(event.visibility),
        actor=user_out(event.actor),
        data=event.data,
    )


# Complaints (the same Complaint every channel makes; see amends.intake.complaint)


def _base64(value: str) -> str:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not valid base64") from None
    return value


# Base64 of the largest attachment we accept, plus room for padding.
_MAX_BASE64_CHARS = (MAX_ATTACHMENT_BYTES + 2) // 3 * 4


class AttachmentIn(Input):
    filename: Annotated[Text, StringConstraints(min_length=1, max_length=255)]
    content_type: Annotated[Text, StringConstraints(min_length=1, max_length=120)] = Field(
        description="A MIME type we accept, e.g. application/pdf, image/jpeg or image/png; "
        "the content must match it. With application/octet-stream the content tells the type "
        "(PDF, PNG, JPEG or GIF)."
    )
    data: Annotated[
        str, StringConstraints(min_length=1, max_length=_MAX_BASE64_CHARS), AfterValidator(_base64)
    ] = Field(description="The file, base64-encoded.")


class ComplaintIn(Input):
    name: Annotated[Text, StringConstraints(min_length=1, max_length=200)]
    email: Email = ""
    phone: Annotated[Text, StringConstraints(max_length=40)] = ""
    order_reference: Annotated[Text, StringConstraints(max_length=100)] = ""
    country: Annotated[Text, StringConstraints(pattern=r"^[A-Za-z]{2}$")] | None = Field(
        None, description="ISO code whose law applies; defaults from the language (pl: PL, ...)."
    )
    customer_kind: CustomerKind = CustomerKind.CONSUMER
    subject_kind: Literal["goods", "service"] | None = Field(
        None, description="Whether the complaint is about goods or a service."
    )
    subject: Annotated[Text, StringConstraints(max_length=200)] = ""
    description: Annotated[Text, StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS)] = (
        Field(description="What happened, in the customer's words.")
    )
    requested_remedy: Annotated[Text, StringConstraints(max_length=10_000)] = Field(
        "", description="What the customer asks for (ISO 10002 7.2)."
    )
    language: Language | None = Field(None, description="Detected from the text if omitted.")
    received_at: AwareDatetime | None = Field(
        None, description="With a time zone; defaults to now."
    )
    attachments: list[AttachmentIn] = Field(
        default_factory=list,
        max_length=MAX_ATTACHMENTS,
        description=f"Files as base64, each at most {MAX_ATTACHMENT_BYTES // 2**20} MB before "
        "encoding. The whole request body may not pass the server's AMENDS_API_MAX_BODY_MB (by default room for ten such "
        "files); a bigger body gets 413.",
    )


class ComplaintOut(Schema):
    reference: str
    owner: str | None = Field(description="The name of the person who handles the case.")
    next_step_due: date = Field(description="The date promised to the customer, in their country.")
    created: bool = Field(description="A new case was opened.")
    duplicate: bool = Field(description="This Idempotency-Key was used before: nothing changed.")
    linked: bool = Field(description="Added to the customer's open case about the same thing.")
    links: dict[str, str]
