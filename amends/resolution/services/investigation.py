"""Investigation (B-1, A-3, A-4): facts, root cause, fault, improvements; the coach's view
of the case; resolving, which needs the cause and the fault."""

from __future__ import annotations

import mimetypes
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.cases import services as case_services
from amends.cases.access import can_work_on
from amends.cases.models import Case, State
from amends.deadlines.engine import zone_for
from amends.playbook import review as coach_review
from amends.resolution import events
from amends.resolution.models import (
    Cause,
    Fact,
    FactKind,
    Fault,
    ImprovementTask,
    Investigation,
)
from amends.resolution.services.common import (
    MAX_EVIDENCE_BYTES,
    _future_day,
    _lock,
    _require_work,
    _staff,
    _text,
)

# --- investigation (B-1, A-3, A-4) ---------------------------------------------------------


def investigation_for(case: Case) -> Investigation:
    investigation, _created = Investigation.objects.get_or_create(case=case)
    return investigation


def _check_evidence(evidence: File) -> None:  # type: ignore[type-arg]
    name = evidence.name or ""
    size = evidence.size or 0
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": name, "limit": MAX_EVIDENCE_BYTES // (1024 * 1024)}
        )
    # Late import: intake is a sibling app that may import resolution in turn.
    from amends.intake.complaint import ALLOWED_TYPES

    content_type = getattr(evidence, "content_type", None) or mimetypes.guess_type(name)[0] or ""
    if content_type.lower() not in ALLOWED_TYPES:
        raise ValidationError(
            _("%(name)s is of a type we do not accept (%(type)s).")
            % {"name": name, "type": content_type or "?"}
        )


def add_fact(
    case: Case,
    *,
    actor: Any,
    kind: str,
    text: str,
    evidence: File | None = None,  # type: ignore[type-arg]
) -> Fact:
    """Add a line to the facts checklist: what the customer says, our records, a document."""
    _require_work(actor, case)
    if kind not in FactKind.values:
        raise ValidationError(_("Unknown kind of fact: %(value)s.") % {"value": kind})
    text = _text(text, _("Describe the fact."))
    if evidence is not None:
        _check_evidence(evidence)
    with transaction.atomic():
        fact = Fact(case=case, kind=kind, text=text, added_by=actor)
        if evidence is not None:
            fact.evidence.save(evidence.name or "evidence", evidence, save=False)
        fact.save()
        events.investigated(
            case,
            actor=actor,
            change="fact_added",
            fact_id=fact.pk,
            kind=kind,
            evidence=bool(fact.evidence),
        )
    return fact


def set_fact_checked(fact: Fact, *, actor: Any, checked: bool) -> Fact:
    _require_work(actor, fact.case)
    with transaction.atomic():
        fact = Fact.objects.select_for_update().select_related("case").get(pk=fact.pk)
        if fact.checked == checked:
            return fact
        fact.checked = checked
        fact.save(update_fields=["checked"])
        events.investigated(
            fact.case, actor=actor, change="fact_checked", fact_id=fact.pk, checked=checked
        )
    return fact


def _locked_investigation(case: Case) -> Investigation:
    investigation_for(case)
    return Investigation.objects.select_for_update().get(case=case)


def set_root_cause(case: Case, *, actor: Any, cause: Cause) -> Investigation:
    """Record the root cause from the organisation's taxonomy (A-3, B-1)."""
    _require_work(actor, case)
    if cause is None or not cause.active or (cause.parent is not None and not cause.parent.active):
        raise ValidationError(_("Choose an active cause."))
    with transaction.atomic():
        investigation = _locked_investigation(case)
        previous = investigation.root_cause
        if previous == cause:
            return investigation
        investigation.root_cause = cause
        investigation.updated_by = actor
        investigation.save(update_fields=["root_cause", "updated_by", "updated_at"])
        events.investigated(
            case,
            actor=actor,
            change="root_cause",
            from_cause=str(previous) if previous else None,
            cause_id=cause.pk,
            cause=str(cause),
        )
    return investigation


def set_fault(case: Case, *, actor: Any, fault: str, findings: str = "") -> Investigation:
    """Attribute the fault (internal only). Findings, when given, replace the previous ones.

    "unclear_info" needs an improvement task before the case can be resolved (A-4).
    """
    _require_work(actor, case)
    if fault not in Fault.values:
        raise ValidationError(_("Unknown fault attribution: %(value)s.") % {"value": fault})
    findings = (findings or "").strip()
    with transaction.atomic():
        investigation = _locked_investigation(case)
        previous = investigation.fault
        fields = ["updated_by", "updated_at"]
        if previous != fault:
            investigation.fault = fault
            fields.append("fault")
        if findings and findings != investigation.findings:
            investigation.findings = findings
            fields.append("findings")
        if len(fields) == 2:
            return investigation
        investigation.updated_by = actor
        investigation.save(update_fields=fields)
        events.investigated(
            case,
            actor=actor,
            change="fault",
            **{"from": previous, "to": fault, "findings": bool(findings)},
        )
    return investigation


def add_improvement(
    case: Case, *, actor: Any, information: str, location: str, owner: Any, due: date
) -> ImprovementTask:
    """Improve information of ours that was unclear (A-4): which, where it lives, who, by when."""
    _require_work(actor, case)
    information = _text(information, _("Say which information was unclear."))
    location = _text(location, _("Say where the information lives."))
    owner = _staff(owner)
    due = _future_day(case, due, _("The improvement cannot be due in the past."))
    with transaction.atomic():
        task = ImprovementTask.objects.create(
            case=case, information=information[:300], location=location[:300], owner=owner, due=due
        )
        events.improvement(
            case,
            actor=actor,
            change="added",
            task_id=task.pk,
            information=task.information,
            owner_id=owner.pk,
            due=due.isoformat(),
        )
    return task


def complete_improvement(task: ImprovementTask, *, actor: Any) -> ImprovementTask:
    if actor is None or not (task.owner_id == actor.pk or can_work_on(actor, task.case)):
        raise PermissionDenied(_("Only the task's owner, the case's owner or a manager can do it."))
    with transaction.atomic():
        task = ImprovementTask.objects.select_for_update().select_related("case").get(pk=task.pk)
        if task.done_at is not None:
            raise ValidationError(_("This improvement is done already."))
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
        events.improvement(task.case, actor=actor, change="done", task_id=task.pk)
    return task


def open_improvements() -> QuerySet[ImprovementTask]:
    """Improvement tasks not yet done, the most urgent first (the managers' list)."""
    return (
        ImprovementTask.objects.filter(done_at__isnull=True)
        .select_related("case", "case__customer", "owner")
        .order_by("due", "id")
    )


# --- the coach's view of the case -----------------------------------------------------------


def coach_context(
    case: Case, *, today: date | None = None, purpose: str = "reply"
) -> coach_review.Context:
    """What the coach should know about `case`: owner, customer, dates in the customer's zone,
    the fault (undetermined -> None) and the channel."""
    zone = zone_for(case.customer.jurisdiction)
    fault = (
        Investigation.objects.filter(case=case).values_list("fault", flat=True).first()
        or Fault.UNDETERMINED
    )
    statutory = (
        timezone.localtime(case.statutory_due, zone).date()
        if case.statutory_pending() and case.statutory_due is not None
        else None
    )
    return coach_review.Context(
        owner=case.owner.display_name if case.owner else None,
        customer=case.customer.name,
        commitment_due=timezone.localtime(case.commitment_due, zone).date(),
        statutory_due=statutory,
        fault=None if fault == Fault.UNDETERMINED else coach_review.Fault(fault),
        channel=case.channel,
        today=today or timezone.localtime(timezone.now(), zone).date(),
        purpose=purpose,
    )


# --- resolving (B-1: no resolution without the cause) ---------------------------------------


def missing_for_resolution(case: Case) -> list[str]:
    """What the case still needs before it can be resolved, as translated sentences."""
    investigation = Investigation.objects.filter(case=case).first()
    missing = []
    if investigation is None or investigation.root_cause_id is None:
        missing.append(_("The root cause is not recorded."))
    if investigation is None or investigation.fault == Fault.UNDETERMINED:
        missing.append(_("The fault is not determined."))
    elif (
        investigation.fault == Fault.UNCLEAR_INFO
        and not ImprovementTask.objects.filter(case=case).exists()
    ):
        missing.append(_("The unclear information needs an improvement task (A-4)."))
    return missing


def resolve(case: Case, *, actor: Any, override_reason: str = "") -> Case:
    """Resolve the case. Without a root cause and a fault only a manager may, with a reason.

    A case still being worked on (acknowledged, investigating) passes through "resolution
    proposed" first, each step recorded: resolving it is the substantive answer.
    """
    _require_work(actor, case)
    override_reason = (override_reason or "").strip()
    with transaction.atomic():
        case = _lock(case)
        missing = missing_for_resolution(case)
        if missing and not override_reason:
            raise ValidationError(missing)
        if missing and not actor.is_manager:
            raise PermissionDenied(
                _("Only a manager can resolve a case without its root cause and fault.")
            )
        if case.state in (State.ACKNOWLEDGED, State.INVESTIGATING):
            case = case_services.change_state(case, to=State.RESOLUTION_PROPOSED, actor=actor)
        if not missing:
            return case_services.change_state(case, to=State.RESOLVED, actor=actor)
        events.resolve_override(case, actor=actor, reason=override_reason, missing=missing)
        # The one caller allowed past the guard; a refused move rolls the override event back.
        return case_services._move(
            case, to=State.RESOLVED, actor=actor, reason=override_reason, guard=False
        )
