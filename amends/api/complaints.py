"""POST /api/complaints: a complaint from another system, received as every channel's is.

The schema checks the shape; `complaint.validate` (shared with the web form, e-mail and import:
attachments' types and content included) checks the rest, and its refusals come back as 422
like the schema's.
An `Idempotency-Key` makes a retried call return the case the first call made.
"""

from __future__ import annotations

import base64
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.params import HeaderEx, P

from amends.api.auth import ApiRequest
from amends.api.schemas import AttachmentIn, ComplaintIn, ComplaintOut, Error
from amends.cases.models import Channel
from amends.deadlines.engine import zone_for
from amends.intake import services
from amends.intake.complaint import (
    Complaint,
    IncomingAttachment,
    attachment_problems,
    clean_text,
    declared_type,
    validate,
)

router = Router(tags=["complaints"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 409, 413, 422, 429): Error}

# Complaint field -> the API's field, so refusals point at what the caller sent.
FIELDS = {
    "sender_name": "name",
    "sender_email": "email",
    "sender_phone": "phone",
    "order_reference": "order_reference",
    "jurisdiction": "country",
    "customer_kind": "customer_kind",
    "subject_kind": "subject_kind",
    "text": "description",
    "requested_remedy": "requested_remedy",
    "language": "language",
    "received_at": "received_at",
    "attachments": "attachments",
}

IdempotencyKey = HeaderEx[
    str | None,
    P(
        alias="Idempotency-Key",
        pattern=r"^[\x21-\x7e]{1,200}$",
        description="Any unique string (e.g. a UUID) of up to 200 printable ASCII characters. "
        "A retried call with the same key returns the first call's case (200) and changes nothing.",
    ),
]


def _source_key(request: ApiRequest, key: str | None) -> str:
    """Keys are per token (or per user for a session), so one caller never sees another's case."""
    if not key:
        return ""
    token = getattr(request, "api_token", None)
    caller = str(token.pk) if token is not None else f"user-{request.auth.pk}"
    return f"api:{caller}:{key}"


def _attachment(item: AttachmentIn) -> IncomingAttachment:
    data = base64.b64decode(item.data)
    return IncomingAttachment(
        filename=item.filename, content_type=declared_type(item.content_type, data), data=data
    )


def _refusals(complaint: Complaint) -> list[dict[str, Any]]:
    """Everything wrong with the complaint, as 422 details; empty when it may be received."""
    details: list[dict[str, Any]] = []
    try:
        validate(complaint)
    except ValidationError as exc:
        # A file's problem points at that file's data, as the schema's own refusals do.
        files = {
            problem: index
            for index, attachment in enumerate(complaint.attachments)
            for problem in attachment_problems(attachment)
        }
        for name, errors in exc.message_dict.items():
            for message in errors:
                loc: list[Any] = ["body", "payload", FIELDS.get(name, name)]
                if name == "attachments" and message in files:
                    loc += [files[message], "data"]
                details.append({"loc": loc, "msg": message, "type": "value_error"})
    return details


@router.post(
    "/complaints",
    response={200: ComplaintOut, 201: ComplaintOut, **ERRORS},
    url_name="complaint-create",
    summary="Receive a complaint",
)
def create_complaint(
    request: ApiRequest, payload: ComplaintIn, idempotency_key: IdempotencyKey = None
) -> Status[ComplaintOut]:
    """Record a complaint: a new case with an owner and deadlines, or a message on the
    customer's open case about the same thing. 201 when recorded, 200 for a replayed key."""
    complaint = Complaint(
        channel=Channel.API,
        text=payload.description,
        subject=payload.subject,
        sender_name=payload.name,
        sender_email=payload.email,
        sender_phone=payload.phone,
        language=payload.language or "",
        jurisdiction=(payload.country or "").upper(),
        customer_kind=payload.customer_kind,
        order_reference=payload.order_reference,
        requested_remedy=payload.requested_remedy,
        subject_kind=payload.subject_kind or "",
        received_at=payload.received_at,
        attachments=tuple(_attachment(item) for item in payload.attachments),
        source_key=_source_key(request, idempotency_key),
    )
    details = _refusals(complaint)
    if details:
        raise SchemaValidationError(details)
    received = services.receive(complaint, actor=request.auth)
    if received.duplicate and received.message.body != clean_text(payload.description):
        raise HttpError(409, "This Idempotency-Key was already used for a different complaint.")
    case = received.case
    return Status(
        200 if received.duplicate else 201,
        ComplaintOut(
            reference=case.reference,
            owner=case.owner.display_name if case.owner else None,
            next_step_due=timezone.localtime(
                case.commitment_due, zone_for(case.customer.jurisdiction)
            ).date(),
            created=received.created,
            duplicate=received.duplicate,
            linked=received.linked,
            links={
                "case": reverse("api:case-detail", kwargs={"reference": case.reference}),
                "html": reverse("cases:case-detail", kwargs={"reference": case.reference}),
            },
        ),
    )
