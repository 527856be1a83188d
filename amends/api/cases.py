"""Case endpoints. Each one validates with a schema, asks access.py, calls one service, returns a schema."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from ninja import Query, Router, Status

from amends.api.auth import ApiRequest
from amends.api.schemas import (
    CaseFilters,
    CaseIn,
    CaseOut,
    CasePage,
    CommitmentIn,
    Error,
    EventOut,
    HandOverIn,
    NoteIn,
    TransitionIn,
    case_out,
    event_out,
)
from amends.cases import access, services
from amends.cases.models import Case, EventKind, OrganisationSettings

router = Router(tags=["cases"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 422, 429): Error}


def _out(case: Case) -> CaseOut:
    return case_out(case, at=timezone.now(), soon_days=OrganisationSettings.current().due_soon_days)


@router.post(
    "/cases", response={201: CaseOut, **ERRORS}, url_name="case-create", summary="Open a case"
)
def create_case(request: ApiRequest, payload: CaseIn) -> Status[CaseOut]:
    """Open a case for a customer named inline; a known customer is found by e-mail."""
    data = payload.customer
    customer = services.customer_for_intake(
        name=data.name,
        email=data.email,
        phone=data.phone,
        language=data.language,
        jurisdiction=data.jurisdiction,
        kind=data.kind,
        annual_value=data.annual_value,
        currency=data.currency,
    )
    case = services.open_case(
        customer=customer,
        subject=payload.subject,
        description=payload.description,
        channel=payload.channel,
        language=payload.language,
        received_at=payload.received_at,
        actor=request.auth,
        category=services.category_named(payload.category) if payload.category else None,
        product_line=services.product_line_named(payload.product_line)
        if payload.product_line
        else None,
        disputed_amount=payload.disputed_amount,
        priority=payload.priority,
    )
    # Returned even if auto-assignment gave it to another team: the caller submitted it.
    return Status(201, _out(case))


@router.get(
    "/cases", response={200: CasePage, **ERRORS}, url_name="case-list", summary="List cases"
)
def list_cases(request: ApiRequest, filters: Query[CaseFilters]) -> CasePage:
    """Cases the caller may see, newest first, filtered and paginated with limit/offset."""
    now = timezone.now()
    cases = (
        access.visible_cases(request.auth)
        .matching(
            at=now,
            state=filters.state or "",
            owner=services.staff_member(filters.owner) if filters.owner else None,
            language=filters.language or "",
            channel=filters.channel or "",
            jurisdiction=(filters.jurisdiction or "").upper(),
            overdue=filters.overdue,
        )
        .search(filters.q or "")
    )
    page = cases.select_related("customer", "owner", "category", "product_line").order_by(
        "-received_at", "-pk"
    )
    soon_days = OrganisationSettings.current().due_soon_days
    return CasePage(
        count=cases.count(),
        limit=filters.limit,
        offset=filters.offset,
        items=[
            case_out(case, at=now, soon_days=soon_days)
            for case in page[filters.offset : filters.offset + filters.limit]
        ],
    )


@router.get(
    "/cases/{reference}",
    response={200: CaseOut, **ERRORS},
    url_name="case-detail",
    summary="Get a case",
)
def get_case(request: ApiRequest, reference: str) -> CaseOut:
    return _out(access.case_for_user(request.auth, reference))


@router.post(
    "/cases/{reference}/transitions",
    response={200: CaseOut, **ERRORS},
    url_name="case-transition",
    summary="Change the state",
)
def transition(request: ApiRequest, reference: str, payload: TransitionIn) -> CaseOut:
    """Move the case to an allowed next state; reopening needs a reason."""
    case = access.case_for_user(request.auth, reference, write=True)
    case = services.change_state(case, to=payload.to, actor=request.auth, reason=payload.reason)
    return _out(case)


@router.post(
    "/cases/{reference}/hand-over",
    response={200: CaseOut, **ERRORS},
    url_name="case-hand-over",
    summary="Hand over to a colleague",
)
def hand_over(request: ApiRequest, reference: str, payload: HandOverIn) -> CaseOut:
    """The owner or a manager gives the case to another staff member, with a reason."""
    case = access.case_for_user(request.auth, reference)
    access.require_hand_over(request.auth, case)
    case = services.hand_over(
        case, to=services.staff_member(payload.to), actor=request.auth, reason=payload.reason
    )
    return _out(case)


@router.post(
    "/cases/{reference}/commitment",
    response={200: CaseOut, **ERRORS},
    url_name="case-commitment",
    summary="Set the next step's date",
)
def set_commitment(request: ApiRequest, reference: str, payload: CommitmentIn) -> CaseOut:
    """Promise the customer a dated next step; it may not fall after the statutory deadline."""
    case = access.case_for_user(request.auth, reference, write=True)
    case = services.set_commitment(case, due=payload.due, actor=request.auth, note=payload.note)
    return _out(case)


@router.get(
    "/cases/{reference}/events",
    response={200: list[EventOut], **ERRORS},
    url_name="case-events",
    summary="The case's timeline",
)
def list_events(request: ApiRequest, reference: str) -> list[EventOut]:
    """Every event, oldest first, internal ones included."""
    case = access.case_for_user(request.auth, reference)
    return [event_out(event) for event in case.events.select_related("actor")]


@router.post(
    "/cases/{reference}/notes",
    response={201: EventOut, **ERRORS},
    url_name="case-note",
    summary="Add an internal note",
)
def add_note(request: ApiRequest, reference: str, payload: NoteIn) -> Status[EventOut]:
    case = access.case_for_user(request.auth, reference, write=True)
    services.add_note(case, actor=request.auth, text=payload.text)
    note = (
        case.events.filter(kind=EventKind.NOTE, actor=request.auth)
        .select_related("actor")
        .latest("at", "pk")
    )
    return Status(201, event_out(note))
