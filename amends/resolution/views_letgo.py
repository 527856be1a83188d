"""The managers' let-go page (E-4): the customers the advisor flags, highest score first and
PAGE_SIZE to a page, with the evidence, and a form per customer to decide. Agents get 403."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from amends.cases.models import Case, Customer
from amends.resolution import letgo
from amends.resolution.advice_text import EvidenceView, present_let_go
from amends.resolution.advisors import LetGoAdvice
from amends.resolution.history import let_go_advice, let_go_candidates
from amends.resolution.models import LetGoDecision

RECENT_DECISIONS = 20
# Customers per page: each brings its evidence and a form with the choice of its cases.
PAGE_SIZE = 20


class LetGoForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=LetGoDecision.Outcome.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    case = forms.TypedChoiceField(
        label=gettext_lazy("Case for the parting letter"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=gettext_lazy("Without a case no letter is sent."),
    )
    settlement = forms.CharField(
        label=gettext_lazy("Final settlement (in the customer's language)"),
        required=False,
        max_length=300,
    )
    settle_by = forms.DateField(
        label=gettext_lazy("Settled by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, cases: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *cases]


@dataclass(frozen=True)
class Candidate:
    customer: Customer
    advice: LetGoAdvice
    evidence: list[EvidenceView]
    form: LetGoForm


def _require_manager(request: HttpRequest) -> None:
    if not getattr(request.user, "is_manager", False):
        raise PermissionDenied(_("Only managers can see the let-go recommendations."))


def _case_choices(customers: list[Customer]) -> dict[int, list[tuple[int, str]]]:
    choices: dict[int, list[tuple[int, str]]] = {c.pk: [] for c in customers}
    rows = (
        Case.objects.filter(customer__in=customers)
        .order_by("-received_at", "-pk")
        .values_list("pk", "customer_id", "subject")
    )
    for pk, customer_id, subject in rows:
        choices[customer_id].append((pk, f"{Case(pk=pk).reference} {subject}"))
    return choices


def _page(
    request: HttpRequest, *, failed: LetGoForm | None = None, failed_for: Customer | None = None
) -> HttpResponse:
    pairs = let_go_candidates()
    if failed_for is not None:
        # The customer whose decision was refused comes first, so their form shows the reason.
        pairs = [(c, a) for c, a in pairs if c.pk != failed_for.pk]
        pairs.insert(0, (failed_for, let_go_advice(failed_for)))
    page = Paginator(pairs, PAGE_SIZE).get_page(
        None if failed is not None else request.GET.get("page")
    )
    pairs = list(page.object_list)
    customers = [c for c, _a in pairs]
    choices = _case_choices(customers)
    candidates = [
        Candidate(
            customer=customer,
            advice=advice,
            evidence=present_let_go(advice),
            form=failed
            if failed is not None and failed_for is not None and failed_for.pk == customer.pk
            else LetGoForm(cases=choices[customer.pk], prefix=f"c{customer.pk}"),
        )
        for customer, advice in pairs
    ]
    decisions = LetGoDecision.objects.select_related("customer", "decided_by", "case")[
        :RECENT_DECISIONS
    ]
    context = {"candidates": candidates, "page": page, "decisions": decisions, "nav": "let-go"}
    return render(
        request, "resolution/let_go.html", context, status=400 if failed is not None else 200
    )


@login_required
@require_GET
def let_go_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    return _page(request)


@login_required
@require_POST
def decide_let_go(request: HttpRequest, customer_pk: int) -> HttpResponse:
    _require_manager(request)
    customer = get_object_or_404(Customer, pk=customer_pk)
    form = LetGoForm(
        request.POST, cases=_case_choices([customer])[customer.pk], prefix=f"c{customer.pk}"
    )
    if form.is_valid():
        data = form.cleaned_data
        case = Case.objects.filter(pk=data["case"]).first() if data["case"] else None
        try:
            letgo.decide_let_go(
                customer,
                actor=request.user,
                outcome=data["outcome"],
                reason=data["reason"],
                case=case,
                settlement=data["settlement"],
                settle_by=data["settle_by"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Decision on %(customer)s recorded.") % {"customer": customer.name}
            )
            return redirect("resolution:let-go")
    return _page(request, failed=form, failed_for=customer)
