"""POST /api/activity: a purchase, renewal or cancellation from another system (the CRM, the
shop), for the dashboard's retention figure. Safe to retry: the source key is stored once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field, StringConstraints

from amends.api.auth import ApiRequest
from amends.api.schemas import Email, Error, Text
from amends.cases.services import known_customer
from amends.insights import services
from amends.insights.models import ActivityKind, CustomerActivity

router = Router(tags=["activity"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 404, 422, 429): Error}


class ActivityIn(Schema):
    model_config = ConfigDict(extra="forbid")

    customer_email: Annotated[Email, StringConstraints(min_length=3)]
    date: date
    kind: Literal["purchase", "renewal", "cancellation"]
    amount: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)] | None = None
    source: Annotated[Text, StringConstraints(max_length=100)] = ""
    source_key: Annotated[Text, StringConstraints(min_length=1, max_length=300)] = Field(
        description="Your system's id for this activity; sending it again changes nothing."
    )


class ActivityOut(Schema):
    id: int
    customer_id: int
    date: date
    kind: str
    amount: Decimal | None
    source: str
    source_key: str

    @staticmethod
    def of(activity: CustomerActivity) -> ActivityOut:
        return ActivityOut(
            id=activity.pk,
            customer_id=activity.customer_id,
            date=activity.date,
            kind=activity.kind,
            amount=activity.amount,
            source=activity.source,
            source_key=activity.source_key,
        )


@router.post(
    "/activity",
    response={200: ActivityOut, 201: ActivityOut, **ERRORS},
    summary="Record a customer's purchase, renewal or cancellation",
    description="201 when stored; 200 with the stored activity when the source key was seen "
    "before; 404 when no customer has the e-mail address.",
)
def record_activity(request: ApiRequest, payload: ActivityIn) -> Any:
    customer = known_customer(payload.customer_email)
    if customer is None:
        return Status(404, {"error": "No customer has this e-mail address."})
    activity, created = services.record_activity(
        customer,
        day=payload.date,
        kind=ActivityKind(payload.kind),
        amount=payload.amount,
        source=payload.source,
        source_key=payload.source_key,
    )
    return Status(201 if created else 200, ActivityOut.of(activity))
