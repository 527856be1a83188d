"""Staff pages: my queue, all cases, the case page and one POST view per action on a case.

Each view gets the case through `access`, binds a form, calls one service and redirects; on a
ValidationError it re-renders the case page with the error and nothing has changed. The case
page also shows the conversation (amends.intake messages) and streams its attachments.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amends.cases import access, services
from amends.cases.access import case_for_user, visible_cases
from amends.cases.forms import (
    CaseActionForm,
    CaseFilterForm,
    ChangeStateForm,
    CommitmentForm,
    DraftForm,
    HandOverForm,
    NoteForm,
    PhoneCallForm,
    ReplyForm,
)
from amends.cases.models import Case, DeadlineStatus, OrganisationSettings, State
from amends.deadlines import engine
from amends.intake import outbound
from amends.intake.models import Attachment, Delivery, Direction, Message
from amends.playbook.coach import check_reply
from amends.playbook.lexicon import load_lexicon

PAGE_SIZE = 25


@dataclass(frozen=True)
class CaseRow:
    """A case in a list, with its deadline statuses worked out for the template."""

    case: Case
    commitment: str
    statutory: str
    worst: str

    @property
    def overdue(self) -> bool:
        return self.worst == DeadlineStatus.OVERDUE

    @property
    def due_soon(self) -> bool:
        return self.worst == DeadlineStatus.DUE_SOON


def _rows(cases: Any, *, now: datetime, soon_days: int) -> list[CaseRow]:
    return [
        CaseRow(
            case=case,
            commitment=case.commitment_status(now, soon_days),
            statutory=case.statutory_status(now, soon_days),
            worst=case.worst_status(now, soon_days),
        )
        for case in cases
    ]


@login_required
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    """The user's open cases, the nearest deadline first."""
    now = timezone.now()
    soon_days = OrganisationSettings.current().due_soon_days
    cases = (
        Case.objects.owned_by(request.user)
        .open()
        .with_next_deadline()
        .select_related("customer")
        .order_by(F("next_due").asc(nulls_last=True), "received_at", "pk")
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/my_cases.html",
        {"page": page, "rows": _rows(page, now=now, soon_days=soon_days), "nav": "my-cases"},
    )


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """Every case the user may see, filtered from the query string, 25 a page."""
    now = timezone.now()
    soon_days = OrganisationSettings.current().due_soon_days
    form = CaseFilterForm(request.GET or None)
    cases = (
        visible_cases(request.user)
        .matching(at=now, **form.filters())
        .select_related("customer", "owner")
        .sorted_by(form.ordering())
    )
    counts = cases.deadline_counts(now, soon_days)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": _rows(page, now=now, soon_days=soon_days),
            "counts": counts,
            "nav": "case-list",
        },
    )


def _local_date(value: datetime | None, jurisdiction: str) -> date | None:
    return timezone.localtime(value, engine.zone_for(jurisdiction)).date() if value else None


@dataclass(frozen=True)
class MessageRow:
    """One message of the conversation; a held one the user may send carries its form."""

    message: Message
    draft_form: DraftForm | None
    can_retry: bool

    @property
    def retrying(self) -> bool:
        return self.message.delivery == Delivery.QUEUED and self.message.attempts > 0

    @property
    def has_problem(self) -> bool:
        return self.retrying or self.message.delivery == Delivery.FAILED


def _conversation(case: Case, *, can_work: bool, failed: CaseActionForm | None) -> list[MessageRow]:
    rows = []
    for message in (
        Message.objects.filter(case=case)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("at", "pk")
    ):
        form = None
        if can_work and message.delivery == Delivery.DRAFT:
            if isinstance(failed, DraftForm) and failed.message_pk == message.pk:
                form = failed
            else:
                form = DraftForm(
                    message_pk=message.pk,
                    initial={"subject": message.subject, "body": message.body},
                )
        can_retry = can_work and message.delivery == Delivery.FAILED
        rows.append(MessageRow(message=message, draft_form=form, can_retry=can_retry))
    return rows


def _action_forms(case: Case, *, jurisdiction: str) -> dict[str, CaseActionForm]:
    today = timezone.localdate(timezone=engine.zone_for(jurisdiction))
    latest = _local_date(case.statutory_due, jurisdiction) if case.statutory_pending() else None
    return {
        "note": NoteForm(),
        "call": PhoneCallForm(),
        "handover": HandOverForm(case=case),
        "state": ChangeStateForm(case=case),
        "commitment": CommitmentForm(
            earliest=today,
            latest=latest,
            initial={"due": _local_date(case.commitment_due, jurisdiction)},
        ),
        "reply": ReplyForm(
            earliest=today,
            latest=latest,
            coach_url=reverse("cases:coach", args=[case.reference]),
        ),
    }


# The coach's purposes on the case page: the reply composer and the proposal composer.
COACH_PURPOSES = {"reply": "reply", "proposal": "resolution_proposal"}


@dataclass(frozen=True)
class CoachLine:
    """One element, flag or case check of a review, labelled in the user's UI language."""

    kind: str
    label: str
    ok: bool
    text: str = ""
    sentence: str = ""
    advice: str = ""
    date: date | None = None


@dataclass(frozen=True)
class CoachPanel:
    """What the coach panel under a composer shows (cases/partials/coach.html)."""

    purpose: str
    empty: bool
    score: int = 0
    language: str = ""
    elements: tuple[CoachLine, ...] = ()
    flags: tuple[CoachLine, ...] = ()
    checks: tuple[CoachLine, ...] = ()
    send_anyway: bool = False
    confirm_errors: tuple[str, ...] = ()


def coach_panel(
    case: Case,
    text: str,
    *,
    purpose: str = "reply",
    send_anyway: bool = False,
) -> CoachPanel:
    """Check `text` as a reply (or a proposal message) on `case`, in the case's language, with
    advice in the user's language."""
    from amends.resolution.services import coach_context

    if not text.strip():
        return CoachPanel(purpose=purpose, empty=True)
    ui = (translation.get_language() or "en")[:2]
    context = coach_context(case, purpose=COACH_PURPOSES[purpose])
    review = check_reply(text, case.language, context, ui_lang=ui)
    labels = load_lexicon(review.ui_language).ui

    def line(finding: Any) -> CoachLine:
        return CoachLine(
            kind=finding.kind,
            label=labels.get(finding.kind, finding.kind),
            ok=False,
            text=finding.text,
            sentence=finding.sentence,
            advice=finding.advice_ui,
        )

    elements = tuple(
        CoachLine(
            kind=kind,
            label=labels.get(kind, kind),
            ok=element.present,
            text=element.evidence[0].text if element.evidence else "",
            advice=element.advice_ui or "",
            date=element.date,
        )
        for kind, element in review.elements.items()
        if element.required
    )
    return CoachPanel(
        purpose=purpose,
        empty=False,
        score=review.score,
        language=review.language,
        elements=elements,
        flags=tuple(line(f) for f in review.flags),
        checks=tuple(line(c) for c in review.checks),
        send_anyway=send_anyway,
    )


def _render_case(
    request: HttpRequest,
    case: Case,
    *,
    failed: CaseActionForm | None = None,
    status: int = 200,
    coach: dict[str, CoachPanel] | None = None,
) -> HttpResponse:
    now = timezone.now()
    soon_days = OrganisationSettings.current().due_soon_days
    jurisdiction = case.customer.jurisdiction
    forms = _action_forms(case, jurisdiction=jurisdiction)
    if failed is not None:
        forms[failed.id_prefix] = failed
    try:
        rule: engine.Rule | None = engine.rule_by_id(case.statutory_rule)
    except engine.DeadlineError:
        rule = None
    language = (translation.get_language() or "en")[:2]
    can_work = access.can_work_on(request.user, case)
    context = {
        "case": case,
        "customer": case.customer,
        "zone": engine.zone_for(jurisdiction),
        "commitment_status": case.commitment_status(now, soon_days),
        "statutory_status": case.statutory_status(now, soon_days),
        "worst_status": case.worst_status(now, soon_days),
        "is_overdue": case.worst_status(now, soon_days) == DeadlineStatus.OVERDUE,
        "rule": rule,
        "rule_has_deadline": bool(rule and rule.has_deadline),
        "consequence": rule.consequence_in(language) if rule else "",
        "events": case.events.select_related("actor").order_by("-at", "-id"),
        "can_work": can_work,
        "conversation": _conversation(case, can_work=can_work, failed=failed),
        "reply_by_email": bool(case.customer.email),
        "can_hand_over": access.can_hand_over(request.user, case) and case.is_open,
        "can_acknowledge": case.state == State.RECEIVED,
        "is_open": case.is_open,
        "forms": forms,
        "failed": failed.id_prefix if failed is not None else "",
        "coach_reply": (coach or {}).get("reply") or CoachPanel(purpose="reply", empty=True),
    }
    # Resolution builds on cases: imported here, not at load time.
    from amends.recurrence.views import similar_panel
    from amends.resolution.views import case_panels

    context.update(
        case_panels(request, case, failed=failed, coach_proposal=(coach or {}).get("proposal"))
    )
    context.update(similar_panel(request, case))
    return render(request, "cases/case_detail.html", context, status=status)


def _done(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("cases:case-detail", reference=case.reference)


def _failed(
    request: HttpRequest,
    case: Case,
    form: CaseActionForm,
    *,
    coach: dict[str, CoachPanel] | None = None,
) -> HttpResponse:
    # A rule the service refused is told at the top too: its form may be hidden (e.g. on a closed case).
    for problem in form.non_field_errors():
        messages.error(request, str(problem))
    messages.error(request, _("Nothing was changed. Please correct the form below."))
    return _render_case(request, case, failed=form, status=400, coach=coach)


@login_required
@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference)
    return _render_case(request, case)


@login_required
@require_POST
def acknowledge_case(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    try:
        services.acknowledge(case, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("cases:case-detail", reference=case.reference)
    return _done(request, case, _("Receipt acknowledged."))


@login_required
@require_POST
def add_note(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(case, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            return _done(request, case, _("Note added."))
    return _failed(request, case, form)


@login_required
@require_POST
def log_call(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    form = PhoneCallForm(request.POST)
    if form.is_valid():
        try:
            services.log_phone_call(
                case,
                actor=request.user,
                summary=form.cleaned_data["summary"],
                direction=form.cleaned_data["direction"],
                minutes=form.cleaned_data["minutes"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, case, _("Phone call logged."))
    return _failed(request, case, form)


@login_required
@require_POST
def hand_over_case(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    access.require_hand_over(request.user, case)
    form = HandOverForm(request.POST, case=case)
    if form.is_valid():
        new_owner = form.cleaned_data["to"]
        try:
            services.hand_over(
                case, to=new_owner, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(
                request, case, _("Handed over to %(name)s.") % {"name": new_owner.display_name}
            )
    return _failed(request, case, form)


@login_required
@require_POST
def change_state(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    form = ChangeStateForm(request.POST, case=case)
    if form.is_valid():
        to = form.cleaned_data["to"]
        try:
            if to == State.RESOLVED:
                # B-1: no resolution without cause and fault; a manager's reason overrides.
                from amends.resolution.services import resolve

                resolve(case, actor=request.user, override_reason=form.cleaned_data["reason"])
            else:
                services.change_state(
                    case, to=to, actor=request.user, reason=form.cleaned_data["reason"]
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(
                request, case, _("The case is now: %(state)s.") % {"state": State(to).label}
            )
    return _failed(request, case, form)


@login_required
@require_POST
def set_commitment(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_user(request.user, reference, write=True)
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            services.set_commitment(
                case,
                due=form.cleaned_data["due"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error("due", exc)
        else:
            return _done(request, case, _("Next step set."))
    return _failed(request, case, form)


@login_required
@require_POST
def record_reply(request: HttpRequest, reference: str) -> HttpResponse:
    """Send or record a reply; one the coach flags needs "send anyway" ticked."""
    case = case_for_user(request.user, reference, write=True)
    form = ReplyForm(request.POST)
    panel = None
    if form.is_valid():
        send_anyway = form.cleaned_data["send_anyway"]
        panel = coach_panel(
            case, form.cleaned_data["text"], purpose="reply", send_anyway=send_anyway
        )
        if panel.flags and not send_anyway:
            problem = _("The coach flags this reply. Change it, or tick “Send it anyway”.")
            form.add_error("send_anyway", problem)
            panel = replace(panel, confirm_errors=(problem,))
            return _failed(request, case, form, coach={"reply": panel})
        try:
            services.record_reply(
                case,
                actor=request.user,
                text=form.cleaned_data["text"],
                next_step=form.cleaned_data["next_step"],
                substantive=form.cleaned_data["substantive"],
                coach_score=panel.score,
            )
        except ValidationError as exc:
            form.add_error("next_step" if form.cleaned_data["next_step"] else None, exc)
        else:
            if case.customer.email:
                return _done(request, case, _("Reply recorded and on its way to the customer."))
            return _done(request, case, _("Reply recorded."))
    return _failed(request, case, form, coach={"reply": panel} if panel else None)


@login_required
@require_POST
def coach(request: HttpRequest, reference: str) -> HttpResponse:
    """The coach's review of a composer's text: a partial for htmx, else the whole case page
    with the composer as typed (the "Check" button works without JavaScript)."""
    case = case_for_user(request.user, reference, write=True)
    purpose = request.POST.get("purpose", "")
    if purpose not in COACH_PURPOSES:
        purpose = "reply"
    text = request.POST.get("text" if purpose == "reply" else "message", "")[:20000]
    panel = coach_panel(
        case, text, purpose=purpose, send_anyway=request.POST.get("send_anyway") == "on"
    )
    if request.headers.get("HX-Request"):
        return render(request, "cases/partials/coach.html", {"panel": panel})
    form: CaseActionForm
    if purpose == "reply":
        form = ReplyForm(request.POST)
    else:
        from amends.resolution.forms import ProposalForm

        form = ProposalForm(request.POST)
    return _render_case(request, case, failed=form, coach={purpose: panel})


def _outgoing(case: Case, message_pk: int) -> Message:
    return get_object_or_404(Message, pk=message_pk, case=case, direction=Direction.OUT)


@login_required
@require_POST
def send_draft(request: HttpRequest, reference: str, message_pk: int) -> HttpResponse:
    """Send a held message (the acknowledgement) as the owner edited it."""
    case = case_for_user(request.user, reference, write=True)
    message = _outgoing(case, message_pk)
    form = DraftForm(request.POST, message_pk=message.pk)
    if form.is_valid():
        try:
            outbound.release(
                message,
                actor=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, case, _("The message is on its way to the customer."))
    return _failed(request, case, form)


@login_required
@require_POST
def retry_message(request: HttpRequest, reference: str, message_pk: int) -> HttpResponse:
    """Try again to deliver a message that failed for good."""
    case = case_for_user(request.user, reference, write=True)
    message = _outgoing(case, message_pk)
    try:
        outbound.retry_now(message, actor=request.user)
    except ValidationError as exc:
        for problem in exc.messages:
            messages.error(request, problem)
        return redirect("cases:case-detail", reference=case.reference)
    return _done(request, case, _("The message will be sent again."))


@login_required
@require_GET
def download_attachment(request: HttpRequest, reference: str, attachment_pk: int) -> FileResponse:
    """Stream a file the customer sent, to staff who may see the case."""
    case = case_for_user(request.user, reference)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, message__case=case)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    # Customer files are never rendered as our pages: no scripts, no sniffing.
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
