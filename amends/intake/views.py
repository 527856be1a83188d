"""Complaint pages: the public form with its confirmation, and the staff's "Log a complaint"
for calls, social-media posts and visits, as a new case or on an existing one.

Each view binds a form, hands the `Complaint` to `services.receive` and redirects. The public
pages carry no staff data: the confirmation shows the reference, the owner's name and the date
of the next step, and only to whoever holds its signed link.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from amends.api.throttle import client_ip, count_hit
from amends.cases.access import case_for_user
from amends.cases.models import Language, OrganisationSettings
from amends.deadlines.engine import zone_for
from amends.intake import services
from amends.intake.forms import (
    HONEYPOT,
    CaseComplaintForm,
    ComplaintFields,
    ComplaintForm,
    StaffComplaintForm,
    new_form_token,
)
from amends.intake.models import Direction, Message

CONFIRMATION_SALT = "amends.intake.confirmation"
# Long enough to reread the page after a day; the acknowledgement e-mail has the same facts.
CONFIRMATION_MAX_AGE = timedelta(days=3)
# The public pages load nothing but our own stylesheet: no scripts, frames or plugins at all.
PUBLIC_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def _public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page for customers: a strict Content-Security-Policy, kept out of shared caches and
    search engines."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.setdefault("Content-Security-Policy", PUBLIC_CSP)
        response.setdefault("X-Robots-Tag", "noindex")
        # The form may stay in the browser's own cache: going back to it then brings back its
        # one-time token, and sending it again shows the first confirmation, not a new case.
        patch_cache_control(response, private=True)
        return response

    return wrapped


def _retry_after(request: HttpRequest) -> int | None:
    """Count this post against AMENDS_FORM_RATE_LIMIT per client address; the seconds to wait
    when over the limit, else None."""
    rate = getattr(settings, "AMENDS_FORM_RATE_LIMIT", "")
    return count_hit("form", client_ip(request), rate)


def _render_public(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    context = {"organisation": OrganisationSettings.current().name, **context}
    return render(request, template, context, status=status)


def _page_language() -> str:
    language = (translation.get_language() or "en")[:2]
    return language if language in Language.values else Language.EN


def _confirmation_link(message: Message) -> str:
    return signing.dumps({"m": message.pk}, salt=CONFIRMATION_SALT)


@_public
@require_http_methods(["GET", "POST"])
def complain(request: HttpRequest) -> HttpResponse:
    """The public complaint form, in the language the browser asks for (or the one chosen)."""
    language = _page_language()
    if request.method != "POST":
        form = ComplaintForm(language=language)
        return _render_form(request, form)
    wait = _retry_after(request)
    if wait is not None:
        response = _render_public(
            request, "intake/rate_limited.html", {"minutes": wait // 60 + 1}, status=429
        )
        response["Retry-After"] = str(wait)
        return response
    if request.POST.get(HONEYPOT):
        # A bot filled the field people cannot see: it is told all went well, and nothing is kept.
        return redirect("intake:thanks")
    form = ComplaintForm(request.POST, request.FILES, language=language)
    if form.is_valid() and form.complaint is not None:
        try:
            received = services.receive(form.complaint)
        except ValidationError as exc:
            form.add_complaint_errors(exc)
        else:
            return redirect("intake:complaint-received", token=_confirmation_link(received.message))
    return _render_form(request, form, status=400)


def _render_form(request: HttpRequest, form: ComplaintForm, *, status: int = 200) -> HttpResponse:
    context = {"form": form, "token": form.valid_token or new_form_token(), "honeypot": HONEYPOT}
    return _render_public(request, "intake/complain.html", context, status=status)


@_public
@never_cache
@require_GET
def complaint_received(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation, for the holder of the signed link only: reference, owner, next step."""
    try:
        message_pk = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)["m"]
    except (signing.BadSignature, KeyError, TypeError):
        return _render_public(request, "intake/received.html", {"expired": True}, status=404)
    message = (
        Message.objects.select_related("case__customer", "case__owner")
        .filter(pk=message_pk, direction=Direction.IN)
        .first()
    )
    if message is None:
        return _render_public(request, "intake/received.html", {"expired": True}, status=404)
    case = message.case
    # Added to a case the customer already had: its details are not repeated on a page that
    # anyone who knows their e-mail address and order number could reach.
    first = case.messages.filter(direction=Direction.IN).order_by("pk").values_list("pk", flat=True)
    opened_case = first.first() == message.pk
    zone = zone_for(case.customer.jurisdiction)
    context = {
        "opened_case": opened_case,
        "reference": case.reference,
        "owner_name": case.owner.display_name if case.owner else "",
        "next_step": timezone.localtime(case.commitment_due, zone).date(),
        "email": case.customer.email,
    }
    return _render_public(request, "intake/received.html", context)


@_public
@never_cache
@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return _render_public(request, "intake/received.html", {"generic": True})


# Staff


def _render_staff_form(
    request: HttpRequest, form: ComplaintFields, *, case: Any = None, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "case": case,
        "token": form.valid_token or new_form_token(),
        "nav": "log-complaint",
    }
    return render(request, "intake/log_complaint.html", context, status=status)


def _logged(request: HttpRequest, received: services.Received) -> HttpResponse:
    reference = received.case.reference
    if received.duplicate:
        messages.info(
            request, _("This complaint was already logged as %(ref)s.") % {"ref": reference}
        )
    elif received.created:
        messages.success(
            request, _("Complaint logged as a new case, %(ref)s.") % {"ref": reference}
        )
    else:
        messages.success(request, _("Complaint added to case %(ref)s.") % {"ref": reference})
    return redirect("cases:case-detail", reference=reference)


@login_required
@require_http_methods(["GET", "POST"])
def log_complaint(request: HttpRequest) -> HttpResponse:
    """A complaint taken by phone, on social media or in person becomes a new case."""
    if request.method != "POST":
        return _render_staff_form(request, StaffComplaintForm())
    form = StaffComplaintForm(request.POST, request.FILES)
    if form.is_valid() and form.complaint is not None:
        try:
            received = services.receive(form.complaint, actor=request.user)
        except ValidationError as exc:
            form.add_complaint_errors(exc)
        else:
            return _logged(request, received)
    return _render_staff_form(request, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def log_complaint_on_case(request: HttpRequest, reference: str) -> HttpResponse:
    """A further complaint from the case's customer, logged on that case.

    Whoever may see the case may log what its customer said (a team mate covering the phone);
    on a closed case it opens a new case linked as a repeat, as every channel does.
    """
    case = case_for_user(request.user, reference)
    if request.method != "POST":
        return _render_staff_form(request, CaseComplaintForm(case=case), case=case)
    form = CaseComplaintForm(request.POST, request.FILES, case=case)
    if form.is_valid() and form.complaint is not None:
        try:
            received = services.receive(form.complaint, actor=request.user, case=case)
        except ValidationError as exc:
            form.add_complaint_errors(exc)
        else:
            return _logged(request, received)
    return _render_staff_form(request, form, case=case, status=400)
