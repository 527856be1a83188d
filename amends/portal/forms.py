"""Forms of the customer's view: a message with attachments, a decision, a rating."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Case, Channel
from amends.intake.forms import ComplaintFields
from amends.portal.services import MAX_COMMENT_CHARS
from amends.resolution.models import Decision

SCORES = [(n, str(n)) for n in range(1, 6)]


class PortalMessageForm(ComplaintFields):
    """A message from the case's customer, with the attachment rules of every channel (the
    form sniffs the files; `complaint.validate` checks size, count and type)."""

    channel_value = Channel.PORTAL
    field_order = ["text", "attachments"]

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        del self.fields["requested_remedy"]
        self.fields["text"].label = _("Your message")
        self.fields["text"].widget.attrs["rows"] = 5

    def complaint_values(self) -> dict[str, Any]:
        customer = self.case.customer
        return {
            **super().complaint_values(),
            "sender_name": customer.name,
            "sender_email": customer.email,
            "sender_phone": customer.phone,
            "language": self.case.language,
            "jurisdiction": customer.jurisdiction,
            "customer_kind": customer.kind,
            "order_reference": self.case.order_reference,
            "source_key": f"portal:{self.cleaned_data.get('token', '')}",
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(Decision.ACCEPTED, _("Accept")), (Decision.DECLINED, _("Decline"))]
    )


class RatingForm(forms.Form):
    outcome = forms.TypedChoiceField(
        label=_("How satisfied are you with the outcome?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    service = forms.TypedChoiceField(
        label=_("How satisfied are you with how we handled your complaint?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us (optional)"),
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
