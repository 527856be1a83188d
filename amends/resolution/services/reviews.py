"""Reviews after the resolution (D-4) and the blameless internal review (E-3) with
prevention actions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.cases.access import can_work_on
from amends.cases.models import Case, State
from amends.playbook.coach import check_reply
from amends.resolution import events
from amends.resolution.models import (
    Cause,
    CustomerReview,
    InternalReview,
    PreventionAction,
)
from amends.resolution.services.common import (
    BLAME_FLAGS,
    _future_day,
    _require_work,
    _staff,
    _text,
    _today,
)
from amends.resolution.services.investigation import investigation_for

# --- reviews and prevention (D-4, E-3) ------------------------------------------------------


def _blameless(case: Case, texts: Iterable[str]) -> None:
    """Reviews name causes, not culprits (E-3): the coach's blame checks, in the case language."""
    problems = []
    for text in texts:
        if not text.strip():
            continue
        for flag in check_reply(text, case.language).flags:
            if flag.kind in BLAME_FLAGS:
                problems.append(
                    _(
                        "“%(phrase)s” names a culprit. Describe the causes instead: what made "
                        "the mistake possible and what will prevent it (E-3)."
                    )
                    % {"phrase": flag.text}
                )
    if problems:
        raise ValidationError(problems)


def write_customer_review(
    case: Case,
    *,
    actor: Any,
    held_on: date,
    notes: str,
    recommendations: str = "",
    changes: str = "",
) -> CustomerReview:
    """The review held with the customer after the resolution (D-4); written again to edit."""
    _require_work(actor, case)
    if case.state not in (State.RESOLVED, State.CLOSED):
        raise ValidationError(_("A review with the customer follows the resolution."))
    notes = _text(notes, _("Write the notes of the meeting."))
    if not isinstance(held_on, date) or held_on > _today(case):
        raise ValidationError(_("Give the day the review was held; it cannot be in the future."))
    _blameless(case, (notes, recommendations, changes))
    values = {
        "held_on": held_on,
        "notes": notes,
        "recommendations": recommendations.strip(),
        "changes": changes.strip(),
        "written_by": actor,
    }
    with transaction.atomic():
        review = CustomerReview.objects.select_for_update().filter(case=case).first()
        if review is None:
            review = CustomerReview.objects.create(case=case, **values)
            change = "customer_review"
        else:
            for name, value in values.items():
                setattr(review, name, value)
            review.save(update_fields=list(values))
            change = "customer_review_edited"
        events.review(case, actor=actor, change=change, held_on=held_on.isoformat())
    return review


def write_internal_review(
    case: Case, *, actor: Any, what_happened: str, contributing_causes: str
) -> InternalReview:
    """The blameless internal review (E-3); written again to edit."""
    _require_work(actor, case)
    what_happened = _text(what_happened, _("Describe what happened."))
    contributing_causes = _text(contributing_causes, _("Name the contributing causes."))
    _blameless(case, (what_happened, contributing_causes))
    with transaction.atomic():
        review, created = InternalReview.objects.select_for_update().get_or_create(
            case=case,
            defaults={
                "what_happened": what_happened,
                "contributing_causes": contributing_causes,
                "written_by": actor,
            },
        )
        if not created:
            review.what_happened = what_happened
            review.contributing_causes = contributing_causes
            review.written_by = actor
            review.save(
                update_fields=["what_happened", "contributing_causes", "written_by", "written_at"]
            )
        events.review(
            case, actor=actor, change="internal_review" if created else "internal_review_edited"
        )
    return review


def add_prevention_action(
    case: Case, *, actor: Any, title: str, owner: Any, due: date, cause: Cause | None = None
) -> PreventionAction:
    """What we change so the cause does not come back (A-3, A-6, E-3)."""
    _require_work(actor, case)
    title = _text(title, _("Describe the action."))
    owner = _staff(owner)
    due = _future_day(case, due, _("An action cannot be due in the past."))
    if cause is not None and not cause.active:
        raise ValidationError(_("Choose an active cause."))
    if cause is None:
        cause = investigation_for(case).root_cause
    with transaction.atomic():
        action = PreventionAction.objects.create(
            case=case, title=title[:300], owner=owner, due=due, cause=cause
        )
        events.review(
            case,
            actor=actor,
            change="prevention_action",
            action_id=action.pk,
            title=action.title,
            owner_id=owner.pk,
            due=due.isoformat(),
        )
    return action


def complete_prevention_action(action: PreventionAction, *, actor: Any) -> PreventionAction:
    if actor is None or not (action.owner_id == actor.pk or can_work_on(actor, action.case)):
        raise PermissionDenied(
            _("Only the action's owner, the case's owner or a manager can do it.")
        )
    with transaction.atomic():
        action = (
            PreventionAction.objects.select_for_update().select_related("case").get(pk=action.pk)
        )
        if action.done_at is not None:
            raise ValidationError(_("This action is done already."))
        action.done_at = timezone.now()
        action.save(update_fields=["done_at"])
        events.review(action.case, actor=actor, change="prevention_done", action_id=action.pk)
    return action
