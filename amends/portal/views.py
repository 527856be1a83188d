"""The customer's view of a case, opened by its signed link (no account), and the staff's
"revoke links" button.

Each customer page checks the link first: a wrong, tampered, expired or revoked link, or an
option or action item of another case, gets the same 404 page, in the browser's language, so a
link reveals nothing. The page speaks the case's language unless the customer picks another
(`?lang=`). Every request counts against AMENDS_PORTAL_RATE_LIMIT per client address.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amends.api.throttle import client_ip, count_hit
from amends.cases.access import case_for_user
from amends.cases.models import Case, Language, OrganisationSettings, State
from amends.deadlines.engine import zone_for
from amends.intake import services as intake_services
from amends.intake.forms import new_form_token
from amends.intake.models import Delivery, Direction, Message
from amends.intake.views import PUBLIC_CSP
from amends.portal import access, links, services
from amends.portal.forms import DecisionForm, PortalMessageForm, RatingForm
from amends.portal.models import SatisfactionRating
from amends.resolution.models import Party, ProposalStatus

# What the customer reads for each state: a headline and what it means for them.
STATUS: dict[str, tuple[Any, Any]] = {
    State.RECEIVED: (
        gettext_lazy("We have received your complaint"),
        gettext_lazy("A named person will take it on and tell you the date of the next step."),
    ),
    State.ACKNOWLEDGED: (
        gettext_lazy("We have received your complaint and are working on it"),
        gettext_lazy("The person named here handles your complaint until it is resolved."),
    ),
    State.INVESTIGATING: (
        gettext_lazy("We are investigating"),
        gettext_lazy("We are finding out what caused the problem, so that we can put it right."),
    ),
    State.RESOLUTION_PROPOSED: (
        gettext_lazy("We have proposed a solution: please choose"),
        gettext_lazy(
            "Accept or decline each option below. If none of them suits you, write to us."
        ),
    ),
    State.RESOLVED: (
        gettext_lazy("Resolved"),
        gettext_lazy(
            "We have put right what we agreed with you. If something is still wrong, write to us."
        ),
    ),
    State.CLOSED: (
        gettext_lazy("Closed"),
        gettext_lazy("Your case is closed. Thank you for your patience."),
    ),
}


class LinkInvalid(Exception):
    """The link opens no case: every reason looks the same to its holder."""


def _retry_after(request: HttpRequest) -> int | None:
    """Count this request against AMENDS_PORTAL_RATE_LIMIT per client address; the seconds to
    wait, or None."""
    rate = getattr(settings, "AMENDS_PORTAL_RATE_LIMIT", "")
    return count_hit("portal", client_ip(request), rate)


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    context = {"organisation": OrganisationSettings.current().name, **context}
    return render(request, template, context, status=status)


def _portal(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A customer page: rate-limited, a strict CSP, never cached, indexed or referred from."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        browser_language = translation.get_language()
        wait = _retry_after(request)
        try:
            if wait is not None:
                response = _render(
                    request, "portal/rate_limited.html", {"minutes": wait // 60 + 1}, status=429
                )
                response["Retry-After"] = str(wait)
            else:
                try:
                    response = view(request, *args, **kwargs)
                except (LinkInvalid, Http404):
                    # Not 410: an expired link and one that never existed must look alike.
                    translation.activate(browser_language)
                    response = _render(request, "portal/invalid.html", {}, status=404)
            response["Content-Language"] = translation.get_language()
        finally:
            # The case's language was for this page only.
            translation.activate(browser_language)
        response["Content-Security-Policy"] = PUBLIC_CSP
        response["X-Robots-Tag"] = "noindex, nofollow"
        # The token is in the address: never send it on to another site in a Referer. Not
        # "no-referrer": browsers then send "Origin: null" with our own forms, and CSRF fails.
        response["Referrer-Policy"] = "same-origin"
        add_never_cache_headers(response)
        return response

    return wrapped


def _open(request: HttpRequest, token: str) -> tuple[Case, str]:
    """The link's case and the page's language (the case's, unless the customer chose one)."""
    case = links.case_for_token(token)
    if case is None:
        raise LinkInvalid
    chosen = request.POST.get("lang") or request.GET.get("lang") or ""
    language = chosen if chosen in Language.values else case.language
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return case, language


def _back(token: str, language: str, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("portal:case", kwargs={"token": token})
    return redirect(f"{url}?lang={language}{'#' + anchor if anchor else ''}")


def _conversation(case: Case) -> list[Message]:
    """What the customer wrote and what we sent them: no drafts, nothing unsent or internal."""
    return list(
        Message.objects.filter(case=case)
        .filter(Q(direction=Direction.IN) | Q(direction=Direction.OUT, delivery=Delivery.SENT))
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("at", "pk")
    )


def _page(
    request: HttpRequest,
    case: Case,
    token: str,
    language: str,
    *,
    message_form: PortalMessageForm | None = None,
    rating_form: RatingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    zone = zone_for(case.customer.jurisdiction)
    proposal = (
        case.proposals.exclude(status=ProposalStatus.WITHDRAWN).prefetch_related("options").first()
    )
    items = list(case.action_items.order_by("done_at", "due", "pk"))
    rating = SatisfactionRating.objects.filter(case=case).first()
    message_form = message_form or PortalMessageForm(case=case)
    if rating_form is None and rating is not None:
        rating_form = RatingForm(
            initial={
                "outcome": rating.outcome,
                "service": rating.service,
                "comment": rating.comment,
            }
        )
    headline, explanation = STATUS[case.state]
    context = {
        "case": case,
        "token": token,
        "lang": language,
        "languages": [(code, translation.get_language_info(code)) for code in Language.values],
        "owner_name": case.owner.display_name if case.owner else "",
        "headline": headline,
        "explanation": explanation,
        "next_step": timezone.localtime(case.commitment_due, zone).date() if case.is_open else None,
        "zone": zone.key,
        "proposal": proposal,
        "proposal_open": proposal is not None and proposal.status == ProposalStatus.OPEN,
        "our_items": [i for i in items if i.party == Party.US],
        "your_items": [i for i in items if i.party == Party.CUSTOMER],
        "conversation": _conversation(case),
        "message_form": message_form,
        "message_token": message_form.valid_token or new_form_token(),
        "can_rate": case.state == State.CLOSED,
        "rating": rating,
        "rating_form": rating_form or RatingForm(),
    }
    return _render(request, "portal/case.html", context, status=status)


@_portal
@require_GET
def case_view(request: HttpRequest, token: str) -> HttpResponse:
    case, language = _open(request, token)
    return _page(request, case, token, language)


@_portal
@require_POST
def decide(request: HttpRequest, token: str, option_id: int) -> HttpResponse:
    """Accept or decline one option of the open proposal. The same decision twice changes nothing."""
    case, language = _open(request, token)
    option = access.case_option(case, option_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise Http404("No such decision")
    try:
        services.decide(option, decision=form.cleaned_data["decision"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you, we have recorded your decision."))
    return _back(token, language, "proposal")


@_portal
@require_POST
def complete_item(request: HttpRequest, token: str, item_id: int) -> HttpResponse:
    """The customer marks one of their own action items done."""
    case, language = _open(request, token)
    item = access.customer_action_item(case, item_id)
    try:
        services.complete(item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you, we have marked it as done."))
    return _back(token, language, "actions")


@_portal
@require_POST
def write(request: HttpRequest, token: str) -> HttpResponse:
    """A message from the customer: it goes through intake like any other channel."""
    case, language = _open(request, token)
    form = PortalMessageForm(request.POST, request.FILES, case=case)
    if form.is_valid() and form.complaint is not None:
        try:
            received = intake_services.receive(form.complaint, case=case)
        except ValidationError as exc:
            form.add_complaint_errors(exc)
        else:
            if received.case.pk != case.pk:
                # A closed case is not reopened by a message: intake opens a new, linked case,
                # whose acknowledgement brings its own link.
                messages.success(
                    request,
                    _(
                        "Thank you. As this case is closed, your message started a new case, "
                        "%(reference)s. We will confirm it by e-mail."
                    )
                    % {"reference": received.case.reference},
                )
            else:
                messages.success(request, _("Thank you, your message has been added to your case."))
            return _back(token, language, "conversation")
    return _page(request, case, token, language, message_form=form, status=400)


@_portal
@require_POST
def rate(request: HttpRequest, token: str) -> HttpResponse:
    case, language = _open(request, token)
    form = RatingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.rate(
                case, outcome=data["outcome"], service=data["service"], comment=data["comment"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you for your rating."))
            return _back(token, language, "rating")
    return _page(request, case, token, language, rating_form=form, status=400)


# Staff


@login_required
@require_http_methods(["POST"])
def revoke(request: HttpRequest, reference: str) -> HttpResponse:
    """Stop every link of the case given so far (a forwarded e-mail, a shared screen)."""
    case = case_for_user(request.user, reference)
    if not access.can_revoke_links(request.user, case):
        raise PermissionDenied("Only the case's owner or a manager can revoke its links.")
    services.revoke_links(case, actor=request.user)
    messages.success(
        request,
        _("The customer's earlier links no longer work. Our next e-mail carries a new one."),
    )
    return redirect(reverse("cases:case-detail", kwargs={"reference": case.reference}))
