"""The resolution timeline entries: one small function per kind. Only resolution services call these.

Fault, cause, facts, improvements, the ledger and reviews stay internal; proposals, the
customer's decisions and joint action items are visible to the customer (PRODUCT.md 6, 7).
"""

from __future__ import annotations

from typing import Any

from amends.cases.events import record_event
from amends.cases.models import Case, Event, EventKind, Visibility


def investigated(case: Case, *, actor: Any, change: str, **data: Any) -> Event:
    """A fact added or checked, a root cause or a fault set (internal)."""
    return record_event(
        case, kind=EventKind.INVESTIGATED, actor=actor, data={"change": change, **data}
    )


def improvement(case: Case, *, actor: Any, change: str, task_id: int, **data: Any) -> Event:
    return record_event(
        case,
        kind=EventKind.IMPROVEMENT,
        actor=actor,
        data={"change": change, "task_id": task_id, **data},
    )


def proposal(case: Case, *, actor: Any, change: str, proposal_id: int, **data: Any) -> Event:
    return record_event(
        case,
        kind=EventKind.PROPOSAL,
        actor=actor,
        visibility=Visibility.CUSTOMER,
        data={"change": change, "proposal_id": proposal_id, **data},
    )


def proposal_decided(
    case: Case,
    *,
    actor: Any,
    proposal_id: int,
    option_id: int,
    decision: str,
    via: str,
    proposal_status: str,
) -> Event:
    return record_event(
        case,
        kind=EventKind.PROPOSAL_DECIDED,
        actor=actor,
        visibility=Visibility.CUSTOMER,
        data={
            "proposal_id": proposal_id,
            "option_id": option_id,
            "decision": decision,
            "via": via,
            "proposal_status": proposal_status,
        },
    )


def action_item(case: Case, *, actor: Any, change: str, item_id: int, **data: Any) -> Event:
    return record_event(
        case,
        kind=EventKind.ACTION_ITEM,
        actor=actor,
        visibility=Visibility.CUSTOMER,
        data={"change": change, "item_id": item_id, **data},
    )


def compensation(
    case: Case, *, actor: Any, change: str, compensation_id: int, **data: Any
) -> Event:
    return record_event(
        case,
        kind=EventKind.COMPENSATION,
        actor=actor,
        data={"change": change, "compensation_id": compensation_id, **data},
    )


def resolve_override(case: Case, *, actor: Any, reason: str, missing: list[str]) -> Event:
    return record_event(
        case,
        kind=EventKind.RESOLVE_OVERRIDE,
        actor=actor,
        data={"reason": reason, "missing": missing},
    )


def review(case: Case, *, actor: Any, change: str, **data: Any) -> Event:
    """Reviews and prevention actions (internal, E-3)."""
    return record_event(case, kind=EventKind.REVIEW, actor=actor, data={"change": change, **data})
