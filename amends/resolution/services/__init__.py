"""The verbs of investigation, resolution with the customer, the compensation ledger and reviews.

Each runs in one transaction, checks who may act (amends.cases.access) and writes its Event.
Fault and cause stay internal (PRODUCT.md 6); proposals, the customer's decisions and joint
actions are customer-visible (B-4). Split by subject; callers import them from here.
"""

from amends.resolution.services.agreement import (
    add_action_item,
    complete_action_item,
    decide_option,
    propose,
    withdraw_proposal,
)
from amends.resolution.services.common import BLAME_FLAGS, MAX_EVIDENCE_BYTES
from amends.resolution.services.investigation import (
    add_fact,
    add_improvement,
    coach_context,
    complete_improvement,
    investigation_for,
    missing_for_resolution,
    open_improvements,
    resolve,
    set_fact_checked,
    set_fault,
    set_root_cause,
)
from amends.resolution.services.ledger import (
    approval_limit,
    approve_compensation,
    cancel_compensation,
    compensation_totals,
    mark_paid,
    propose_compensation,
)
from amends.resolution.services.reviews import (
    add_prevention_action,
    complete_prevention_action,
    write_customer_review,
    write_internal_review,
)

__all__ = [
    "BLAME_FLAGS",
    "MAX_EVIDENCE_BYTES",
    "add_action_item",
    "add_fact",
    "add_improvement",
    "add_prevention_action",
    "approval_limit",
    "approve_compensation",
    "cancel_compensation",
    "coach_context",
    "compensation_totals",
    "complete_action_item",
    "complete_improvement",
    "complete_prevention_action",
    "decide_option",
    "investigation_for",
    "mark_paid",
    "missing_for_resolution",
    "open_improvements",
    "propose",
    "propose_compensation",
    "resolve",
    "set_fact_checked",
    "set_fault",
    "set_root_cause",
    "withdraw_proposal",
    "write_customer_review",
    "write_internal_review",
]
