"""Staff views of the resolution panels on the case page, and the managers' improvement list.

Each POST view gets the case through `cases.access`, binds a form, calls one service of
`amends.resolution.services` and redirects back to the case; on a ValidationError it re-renders
the case page with the form and its errors, and nothing has changed. `case_panels` builds what
the two partials of the case page need.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amends.cases import views as case_views
from amends.cases.access import can_work_on, case_for_user
from amends.cases.forms import CaseActionForm
from amends.cases.models import Case, Channel, State
from amends.resolution import services
from amends.resolution.forms import (
    ActionItemForm,
    CancelCompensationForm,
    CompensationForm,
    CustomerReviewForm,
    DecisionForm,
    FactCheckForm,
    FactForm,
    FaultForm,
    ImprovementForm,
    InternalReviewForm,
    PreventionActionForm,
    ProposalForm,
    ResolveForm,
    RootCauseForm,
    WithdrawForm,
)
from amends.resolution.history import advisor_context
from amends.resolution.models import (
    ActionItem,
    Compensation,
    CompensationStatus,
    CustomerReview,
    Fact,
    Fault,
    ImprovementTask,
    InternalReview,
    Investigation,
    PreventionAction,
    Proposal,
    ProposalStatus,
    RemedyOption,
)

# -- The case page -------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    compensation: Compensation
    can_approve: bool
    needs_manager: bool
    can_pay: bool
    can_cancel: bool
    cancel_form: CancelCompensationForm | None


def _ledger(
    case: Case, *, user: Any, can_work: bool, failed: CaseActionForm | None
) -> list[LedgerRow]:
    rows = []
    compensations = list(case.compensations.select_related("proposed_by", "approved_by"))
    # Only decides whether the page offers the button: the service checks again.
    limit = services.approval_limit(user) if compensations else None
    for comp in compensations:
        proposed = comp.status == CompensationStatus.PROPOSED
        within = limit is None or comp.amount <= limit
        live = comp.status in (CompensationStatus.PROPOSED, CompensationStatus.APPROVED)
        cancel_form = None
        if can_work and live:
            if isinstance(failed, CancelCompensationForm) and failed.compensation_pk == comp.pk:
                cancel_form = failed
            else:
                cancel_form = CancelCompensationForm(compensation_pk=comp.pk)
        rows.append(
            LedgerRow(
                compensation=comp,
                can_approve=can_work and proposed and within,
                needs_manager=proposed and not within,
                can_pay=can_work and comp.status == CompensationStatus.APPROVED,
                can_cancel=cancel_form is not None,
                cancel_form=cancel_form,
            )
        )
    return rows


def _totals(rows: list[LedgerRow]) -> list[dict[str, Any]]:
    """This case's ledger summed per currency: approved or paid, and paid."""
    sums: dict[str, dict[str, Any]] = {}
    for row in rows:
        comp = row.compensation
        if comp.status == CompensationStatus.CANCELLED:
            continue
        line = sums.setdefault(
            comp.currency,
            {
                "currency": comp.currency,
                "proposed": Decimal(0),
                "committed": Decimal(0),
                "paid": Decimal(0),
            },
        )
        if comp.status == CompensationStatus.PROPOSED:
            line["proposed"] += comp.amount
        else:
            line["committed"] += comp.amount
        if comp.status == CompensationStatus.PAID:
            line["paid"] += comp.amount
    return sorted(sums.values(), key=lambda line: line["currency"])


def _customer_totals(case: Case) -> list[dict[str, Any]]:
    """Approved and paid compensation for the case's customer over all cases, per currency."""
    totals = services.compensation_totals(customer=case.customer)
    lines = []
    for currency, by_status in sorted(totals.items()):
        total = by_status.get(CompensationStatus.APPROVED, Decimal(0)) + by_status.get(
            CompensationStatus.PAID, Decimal(0)
        )
        if total:
            lines.append({"currency": currency, "total": total})
    return lines


def _form(
    forms: dict[str, CaseActionForm], failed: CaseActionForm | None, form: CaseActionForm
) -> None:
    # Keyed for templates ("action-item" -> forms.action_item).
    forms[form.id_prefix.replace("-", "_")] = (
        failed if failed is not None and failed.id_prefix == form.id_prefix else form
    )


def case_panels(
    request: HttpRequest,
    case: Case,
    *,
    failed: CaseActionForm | None = None,
    coach_proposal: Any = None,
) -> dict[str, Any]:
    """The context of resolution/partials/case_main.html and case_side.html.

    The case page is read often: each panel costs one query, and the reviews are only read once
    the case is resolved.
    """
    user = request.user
    can_work = can_work_on(user, case)
    # Read, not get_or_create: showing the page writes nothing.
    investigation = Investigation.objects.filter(case=case).select_related(
        "root_cause__parent"
    ).first() or Investigation(case=case)
    unclear_info = investigation.fault == Fault.UNCLEAR_INFO
    proposals = list(case.proposals.select_related("created_by").prefetch_related("options"))
    current = next((p for p in proposals if p.status != ProposalStatus.WITHDRAWN), None)
    channels = dict(Channel.choices)
    for proposal in proposals:
        for option in proposal.options.all():  # prefetched: no query
            option.via_label = channels.get(option.decided_via, option.decided_via)  # type: ignore[attr-defined]
    ledger = _ledger(case, user=user, can_work=can_work, failed=failed)
    resolved = case.state in (State.RESOLVED, State.CLOSED)
    currency = case.currency or case.customer.currency or "EUR"
    forms: dict[str, CaseActionForm] = {}
    for form in (
        FactForm(),
        RootCauseForm(initial={"cause": investigation.root_cause_id}),
        FaultForm(initial={"fault": investigation.fault, "findings": investigation.findings}),
        ImprovementForm(),
        ProposalForm(currency=currency, coach_url=reverse("cases:coach", args=[case.reference])),
        WithdrawForm(),
        ActionItemForm(),
        CompensationForm(initial={"currency": currency}),
        CustomerReviewForm(),
        InternalReviewForm(),
        PreventionActionForm(),
        ResolveForm(),
    ):
        _form(forms, failed, form)
    reviews: dict[str, Any] = {}
    if resolved:
        internal_review = InternalReview.objects.filter(case=case).first()
        reviews = {
            "customer_review": CustomerReview.objects.filter(case=case).first(),
            "internal_review": internal_review,
            "prevention_actions": list(
                case.prevention_actions.select_related("owner", "cause__parent")
            ),
        }
        if internal_review is not None and not (failed and failed.id_prefix == "internal-review"):
            forms["internal_review"] = InternalReviewForm(
                initial={
                    "what_happened": internal_review.what_happened,
                    "contributing_causes": internal_review.contributing_causes,
                }
            )
    return {
        "resolution": {
            "can_work": can_work,
            "investigation": investigation,
            "fault_set": investigation.fault != Fault.UNDETERMINED,
            "fault_is_ours": investigation.fault in (Fault.OURS, Fault.UNCLEAR_INFO),
            "fault_unclear_info": unclear_info,
            "facts": list(case.facts.select_related("added_by")),
            # A-4: the tasks belong with unclear information; the managers' list shows them all.
            "improvements": list(case.improvements.select_related("owner")) if unclear_info else [],
            "proposal": current,
            "past_proposals": [p for p in proposals if p is not current],
            "proposal_open": current is not None and current.status == ProposalStatus.OPEN,
            "decision_form": DecisionForm(),
            "action_items": list(case.action_items.select_related("owner")),
            "ledger": ledger,
            "totals": _totals(ledger),
            "customer_totals": _customer_totals(case) if ledger else [],
            "resolved": resolved,
            "missing": services.missing_for_resolution(case) if case.is_open else [],
            "can_resolve": can_work and case.is_open,
            "is_manager": bool(user.is_manager),  # type: ignore[union-attr]
            "forms": forms,
            "coach_proposal": coach_proposal,
            # D-5: None without a disputed amount (and then no query).
            "concession": advisor_context(case)["concession"],
            **reviews,
        }
    }


# -- Helpers -------------------------------------------------------------------------------


def _done(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    """As on the case page, but a safe `next` (e.g. the improvements list) may send the user back."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        messages.success(request, message)
        return redirect(target)
    return case_views._done(request, case, message)


def _refused(request: HttpRequest, case: Case, exc: ValidationError) -> HttpResponse:
    """A button without a form (check, approve, done): the reason goes to the top of the page."""
    for problem in exc.messages:
        messages.error(request, problem)
    return redirect("cases:case-detail", reference=case.reference)


def _failed(request: HttpRequest, case: Case, form: CaseActionForm) -> HttpResponse:
    return case_views._failed(request, case, form)


# -- Investigation -------------------------------------------------------------------------


@login_required
@require_POST
def add_fact(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    form = FactForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_fact(
                case,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, case, _("Fact added."))
    return _failed(request, case, form)


@login_required
@require_POST
def check_fact(request: HttpRequest, reference: str, fact_pk: int) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    fact = get_object_or_404(Fact, pk=fact_pk, case=case)
    form = FactCheckForm(request.POST)
    form.is_valid()
    checked = bool(form.cleaned_data.get("checked"))
    try:
        services.set_fact_checked(fact, actor=request.user, checked=checked)
    except ValidationError as exc:
        return _refused(request, case, exc)
    if request.headers.get("HX-Request"):
        # The box ticked in the page already shows the new state.
        return HttpResponse(status=204)
    return _done(request, case, _("Fact checked.") if checked else _("Fact unchecked."))


@login_required
@require_GET
def download_evidence(request: HttpRequest, reference: str, fact_pk: int) -> FileResponse:
    """Stream a fact's evidence file to staff who may see the case."""
    case = case_for_user(request.user, reference)
    fact = get_object_or_404(Fact, pk=fact_pk, case=case)
    if not fact.evidence:
        raise Http404("This fact has no evidence file")
    try:
        handle = fact.evidence.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=PurePosixPath(fact.evidence.name or "evidence").name
    )
    # Evidence is never rendered as our pages: no scripts, no sniffing.
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def set_root_cause(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    form = RootCauseForm(request.POST)
    if form.is_valid():
        try:
            services.set_root_cause(case, actor=request.user, cause=form.cleaned_data["cause"])
        except ValidationError as exc:
            form.add_error("cause", exc)
        else:
            return _done(request, case, _("Root cause recorded."))
    return _failed(request, case, form)


@login_required
@require_POST
def set_fault(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    form = FaultForm(request.POST)
    if form.is_valid():
        try:
            services.set_fault(
                case,
                actor=request.user,
                fault=form.cleaned_data["fault"],
                findings=form.cleaned_data["findings"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, case, _("Fault recorded (internal)."))
    return _failed(request, case, form)


@login_required
@require_POST
def add_improvement(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    form = ImprovementForm(request.POST)
    if form.is_valid():
        try:
            services.add_improvement(case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, case, _("Improvement task added."))
    return _failed(request, case, form)


@login_required
@require_POST
def complete_improvement(request: HttpRequest, reference: str, task_pk: int) -> HttpResponse:
    # The task's owner may not work on the case; the service says who may complete it.
    case = case_for_user(request.user, reference)
    task = get_object_or_404(ImprovementTask, pk=task_pk, case=case)
    try:
        services.complete_improvement(task, actor=request.user)
    except ValidationError as exc:
        return _refused(request, case, exc)
    return _done(request, case, _("Improvement task done."))


# -- The proposal and joint actions --------------------------------------------------------


@login_required
@require_POST
def propose(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    form = ProposalForm(request.POST)
    if form.is_valid():
        try:
            services.propose(
                case,
                actor=request.user,
                message=form.cleaned_data["message"],
                options=form.options.options(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, case, _("Proposal sent to the customer."))
    return _failed(request, case, form)


@login_required
@require_POST
def decide_option(request: HttpRequest, reference: str, option_pk: int) -> HttpResponse:
    """Record a decision the customer told us outside the portal (phone, e-mail, in person)."""
    case = case_for_user(request.user, reference, write=True)
    option = get_object_or_404(RemedyOption, pk=option_pk, proposal__case=case)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _refused(request, case, ValidationError(_("Choose accepted or declined.")))
    try:
        services.decide_option(
            option,
            decision=form.cleaned_data["decision"],
            via=form.cleaned_data["via"],
            actor=request.user,
        )
    except ValidationError as exc:
        return _refused(request, case, exc)
    return _done(request, case, _("The customer's decision is recorded."))


@login_required
@require_POST
def withdraw_proposal(request: HttpRequest, reference: str, proposal_pk: int) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    proposal = get_object_or_404(Proposal, pk=proposal_pk, case=case)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_proposal(
                proposal, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, case, _("Proposal withdrawn."))
    return _failed(request, case, form)


@login_required
@require_POST
def add_action_item(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    form = ActionItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_action_item(case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, case, _("Joint action added."))
    return _failed(request, case, form)


@login_required
@require_POST
def complete_action_item(request: HttpRequest, reference: str, item_pk: int) -> HttpResponse:
    case = case_for_user(request.user, reference)
    item = get_object_or_404(ActionItem, pk=item_pk, case=case)
    try:
        services.complete_action_item(item, actor=request.user, via="staff")
    except ValidationError as exc:
        return _refused(request, case, exc)
    return _done(request, case, _("Joint action done."))


# -- Compensation ledger -------------------------------------------------------------------


@login_required
@require_POST
def propose_compensation(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    form = CompensationForm(request.POST)
    if form.is_valid():
        try:
            services.propose_compensation(case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, case, _("Compensation proposed."))
    return _failed(request, case, form)


def _compensation(request: HttpRequest, reference: str, compensation_pk: int) -> Compensation:
    case = case_for_user(request.user, reference, write=True)
    return get_object_or_404(
        Compensation.objects.select_related("case"), pk=compensation_pk, case=case
    )


@login_required
@require_POST
def approve_compensation(
    request: HttpRequest, reference: str, compensation_pk: int
) -> HttpResponse:
    comp = _compensation(request, reference, compensation_pk)
    try:
        services.approve_compensation(comp, actor=request.user)
    except ValidationError as exc:
        return _refused(request, comp.case, exc)
    return _done(request, comp.case, _("Compensation approved."))


@login_required
@require_POST
def pay_compensation(request: HttpRequest, reference: str, compensation_pk: int) -> HttpResponse:
    comp = _compensation(request, reference, compensation_pk)
    try:
        services.mark_paid(comp, actor=request.user)
    except ValidationError as exc:
        return _refused(request, comp.case, exc)
    return _done(request, comp.case, _("Compensation marked as paid."))


@login_required
@require_POST
def cancel_compensation(request: HttpRequest, reference: str, compensation_pk: int) -> HttpResponse:
    comp = _compensation(request, reference, compensation_pk)
    form = CancelCompensationForm(request.POST, compensation_pk=comp.pk)
    if form.is_valid():
        try:
            services.cancel_compensation(
                comp, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, comp.case, _("Compensation cancelled."))
    return _failed(request, comp.case, form)


# -- Resolving and the reviews -------------------------------------------------------------


@login_required
@require_POST
def resolve(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.resolve(
                case, actor=request.user, override_reason=form.cleaned_data["override_reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, case, _("The case is resolved."))
    return _failed(request, case, form)


@login_required
@require_POST
def write_customer_review(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    form = CustomerReviewForm(request.POST)
    if form.is_valid():
        try:
            services.write_customer_review(case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, case, _("Review with the customer saved."))
    return _failed(request, case, form)


@login_required
@require_POST
def write_internal_review(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    form = InternalReviewForm(request.POST)
    if form.is_valid():
        try:
            services.write_internal_review(case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, case, _("Internal review saved."))
    return _failed(request, case, form)


@login_required
@require_POST
def add_prevention_action(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    form = PreventionActionForm(request.POST)
    if form.is_valid():
        try:
            services.add_prevention_action(case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, case, _("Prevention action added."))
    return _failed(request, case, form)


@login_required
@require_POST
def complete_prevention_action(
    request: HttpRequest, reference: str, action_pk: int
) -> HttpResponse:
    case = case_for_user(request.user, reference)
    action = get_object_or_404(PreventionAction, pk=action_pk, case=case)
    try:
        services.complete_prevention_action(action, actor=request.user)
    except ValidationError as exc:
        return _refused(request, case, exc)
    return _done(request, case, _("Prevention action done."))


# -- Managers ------------------------------------------------------------------------------


@login_required
@require_GET
def improvements(request: HttpRequest) -> HttpResponse:
    """Open improvement tasks of every case (A-4): unclear information of ours to fix."""
    if not request.user.is_manager:  # type: ignore[union-attr]
        raise PermissionDenied("Only managers see every improvement task.")
    today = timezone.localdate()
    rows = [{"task": task, "overdue": task.due < today} for task in services.open_improvements()]
    return render(
        request,
        "resolution/improvements.html",
        {"rows": rows, "overdue": sum(row["overdue"] for row in rows), "nav": "improvements"},
    )
