"""Forms that turn a web post into a `Complaint`: the public form and the staff's log of a
phone call, social-media post or visit. They check the shape of the input and leave the rules
(attachments' types and content included) to `amends.intake.complaint`, which every channel
shares.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Case, Channel, CustomerKind, Language
from amends.intake.complaint import (
    ALLOWED_TYPES,
    JURISDICTION_BY_LANGUAGE,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MAX_TEXT_CHARS,
    Complaint,
    IncomingAttachment,
    attachment_problems,
    declared_type,
    validate,
)
from amends.intake.models import SubjectKind

# "Another country": ISO 3166 leaves ZZ for an unknown region. No statutory rule matches it,
# so the case gets the commitment date only, never another country's law.
OTHER_COUNTRY = "ZZ"
HONEYPOT = "website"
FORM_TOKEN_SALT = "amends.intake.form-token"
# A form left open longer than this gets a fresh token (its answers are kept).
FORM_TOKEN_MAX_AGE = timedelta(days=1)
MAX_REMEDY_CHARS = 10_000
EXPIRED = _("This form was open too long. Please check your answers and send it again.")


def new_form_token() -> str:
    """A signed one-time token: a double submit of one form stores one complaint."""
    return signing.dumps(secrets.token_urlsafe(16), salt=FORM_TOKEN_SALT)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation shows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        files = data if isinstance(data, list | tuple) else [data]
        return [f for f in (super(MultipleFileField, self).clean(d, initial) for d in files) if f]


class ComplaintFields(forms.Form):
    """The fields every way of logging a complaint shares, and the mapping to `Complaint`."""

    # Complaint field -> form field, to show complaint.validate's errors where they belong.
    FIELDS = {
        "sender_name": "name",
        "sender_email": "email",
        "sender_phone": "phone",
        "order_reference": "order_reference",
        "jurisdiction": "country",
        "customer_kind": "customer_kind",
        "subject_kind": "subject_kind",
        "text": "text",
        "requested_remedy": "requested_remedy",
        "public_url": "public_url",
        "received_at": "received_at",
        "attachments": "attachments",
        "language": "language",
        "channel": "channel",
    }
    channel_value = Channel.WEB_FORM

    text = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 7}),
        max_length=MAX_TEXT_CHARS,
        strip=True,
    )
    requested_remedy = forms.CharField(
        label=_("What would you like us to do"),
        help_text=_("For example a repair, a replacement, a refund or a discount."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REMEDY_CHARS,
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)
    # The one-time token: a double submit (double click, back button) stores one complaint.
    token = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": EXPIRED},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.complaint: Complaint | None = None
        attachments = self.fields["attachments"]
        attachments.widget.attrs["accept"] = ",".join(sorted(ALLOWED_TYPES))
        attachments.help_text = gettext(
            "Photos or documents: PDF, JPEG, PNG, GIF and office files, up to %(count)s files "
            "of %(size)s MB each."
        ) % {"count": MAX_ATTACHMENTS, "size": MAX_ATTACHMENT_BYTES // (1024 * 1024)}

    def clean_token(self) -> str:
        try:
            value = signing.loads(
                self.cleaned_data["token"], salt=FORM_TOKEN_SALT, max_age=FORM_TOKEN_MAX_AGE
            )
        except signing.BadSignature:
            raise ValidationError(EXPIRED, code="expired") from None
        return str(value)

    @property
    def valid_token(self) -> str:
        """The token to carry into a re-rendered form: the one posted, if it was good."""
        if self.is_bound and "token" not in self.errors:
            return str(self.data.get("token", ""))
        return ""

    def clean_attachments(self) -> list[IncomingAttachment]:
        files: list[UploadedFile[Any]] = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("At most %(limit)s attachments.") % {"limit": MAX_ATTACHMENTS}, code="too_many"
            )
        problems: list[str] = []
        attachments: list[IncomingAttachment] = []
        for upload in files:
            name = upload.name or "attachment"
            # Checked before reading, so an oversized upload never lands in memory.
            if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
                problems.append(
                    _("%(name)s is larger than %(limit)s MB.")
                    % {"name": name, "limit": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
                )
                continue
            data = upload.read()
            content_type = declared_type(upload.content_type or "", data)
            attachment = IncomingAttachment(filename=name, content_type=content_type, data=data)
            # The rule every channel shares, here so the files' problems show with the others.
            found = attachment_problems(attachment)
            if found:
                problems.extend(found)
                continue
            attachments.append(attachment)
        if problems:
            raise ValidationError(problems)
        return attachments

    def complaint_values(self) -> dict[str, Any]:
        """The Complaint's fields from the cleaned data; subclasses add the sender."""
        data = self.cleaned_data
        return {
            "channel": self.channel_value,
            "text": data.get("text", ""),
            "requested_remedy": data.get("requested_remedy", ""),
            "attachments": tuple(data.get("attachments") or ()),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if self.errors:
            return cleaned
        complaint = Complaint(**self.complaint_values())
        try:
            validate(complaint)
        except ValidationError as exc:
            self.add_complaint_errors(exc)
        else:
            self.complaint = complaint
        return cleaned

    def add_complaint_errors(self, exc: ValidationError) -> None:
        """Show complaint.validate's (or receive's) errors next to the fields they are about."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for name, errors in exc.error_dict.items():
            field = self.FIELDS.get(name)
            self.add_error(field if field in self.fields else None, errors)


class ComplaintForm(ComplaintFields):
    """The public form: anyone may complain, in the language of the page."""

    COUNTRIES = [
        ("PL", _("Poland")),
        ("BG", _("Bulgaria")),
        ("FI", _("Finland")),
        ("other", _("Another country")),
    ]
    field_order = [
        "name",
        "email",
        "phone",
        "country",
        "customer_kind",
        "subject_kind",
        "order_reference",
        "text",
        "requested_remedy",
        "attachments",
        "consent",
    ]

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send the confirmation and our answers here."),
    )
    phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)
    country = forms.ChoiceField(
        label=_("Country you live in"),
        choices=COUNTRIES,
        help_text=_("Its consumer law sets the time we have to answer."),
    )
    customer_kind = forms.ChoiceField(
        label=_("You are"),
        choices=[
            (CustomerKind.CONSUMER, _("A consumer (a private person)")),
            (CustomerKind.BUSINESS, _("A business")),
        ],
        initial=CustomerKind.CONSUMER,
        widget=forms.RadioSelect,
    )
    subject_kind = forms.ChoiceField(
        label=_("Your complaint is about"),
        choices=[
            (SubjectKind.GOODS, _("Goods you bought")),
            (SubjectKind.SERVICE, _("A service")),
        ],
        initial=SubjectKind.GOODS,
        widget=forms.RadioSelect,
    )
    order_reference = forms.CharField(
        label=_("Order or contract number"),
        max_length=100,
        required=False,
        help_text=_("If you have one: it helps us find your purchase quickly."),
    )
    consent = forms.BooleanField(
        label=_("I agree that my complaint and contact details are stored to handle it."),
        help_text=_(
            "We keep what you write here, your contact details and your files to investigate "
            "and answer your complaint, and for as long as the law requires us to keep "
            "complaint records. Only our complaint-handling staff can see them."
        ),
        error_messages={"required": _("Please agree, or we cannot handle your complaint.")},
    )
    # Hidden from people by CSS; a bot that fills every field reveals itself here.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("country", JURISDICTION_BY_LANGUAGE.get(language, "other"))
        super().__init__(*args, **kwargs)
        self.language = language
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        self.fields[HONEYPOT].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def complaint_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        country = data.get("country", "")
        return {
            **super().complaint_values(),
            "sender_name": data.get("name", ""),
            "sender_email": data.get("email", ""),
            "sender_phone": data.get("phone", ""),
            "language": self.language,
            "jurisdiction": OTHER_COUNTRY if country == "other" else country,
            "customer_kind": data.get("customer_kind", ""),
            "subject_kind": data.get("subject_kind", ""),
            "order_reference": data.get("order_reference", ""),
            "source_key": f"form:{data.get('token', '')}",
        }


class StaffChannelFields(ComplaintFields):
    """What a staff member adds when they log a complaint they took: how and when it came."""

    CHANNELS = [
        (Channel.PHONE, Channel.PHONE.label),
        (Channel.SOCIAL, Channel.SOCIAL.label),
        (Channel.IN_PERSON, Channel.IN_PERSON.label),
    ]

    channel = forms.ChoiceField(
        label=_("How the customer complained"),
        choices=CHANNELS,
        initial=Channel.PHONE,
        widget=forms.RadioSelect,
    )
    public_url = forms.URLField(
        label=_("Address of the post"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Required for social media: the link to the customer's post or comment."),
    )
    received_at = forms.DateTimeField(
        label=_("When the customer complained"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now. It starts the statutory clock."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("What the customer said")
        self.fields["requested_remedy"].label = _("What the customer asks for")
        self.fields["requested_remedy"].required = False

    def clean_received_at(self) -> Any:
        value = self.cleaned_data.get("received_at")
        if value is not None and value > timezone.now():
            raise ValidationError(_("A complaint cannot be received in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        if data.get("channel") == Channel.SOCIAL and not data.get("public_url"):
            self.add_error(
                "public_url", _("A social-media complaint needs the address of the post.")
            )
        return super().clean()

    def complaint_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **super().complaint_values(),
            "channel": data.get("channel", ""),
            "public_url": data.get("public_url", ""),
            "received_at": data.get("received_at"),
            "source_key": f"staff:{data.get('token', '')}",
        }


class StaffComplaintForm(StaffChannelFields):
    """A new case from a complaint staff took by phone, on social media or in person."""

    field_order = [
        "channel",
        "public_url",
        "received_at",
        "name",
        "email",
        "phone",
        "language",
        "country",
        "customer_kind",
        "subject_kind",
        "order_reference",
        "text",
        "requested_remedy",
        "attachments",
    ]

    name = forms.CharField(label=_("Customer's name"), max_length=200)
    email = forms.EmailField(label=_("Customer's e-mail address"), required=False)
    phone = forms.CharField(label=_("Customer's phone"), max_length=40, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Detect from the text")), *Language.choices],
        required=False,
    )
    country = forms.ChoiceField(
        label=_("Customer's country"),
        choices=[("", _("From the language")), *ComplaintForm.COUNTRIES],
        required=False,
    )
    customer_kind = forms.ChoiceField(
        label=_("Kind of customer"), choices=CustomerKind.choices, initial=CustomerKind.CONSUMER
    )
    subject_kind = forms.ChoiceField(
        label=_("About"), choices=SubjectKind.choices, initial=SubjectKind.GOODS
    )
    order_reference = forms.CharField(
        label=_("Order or contract number"), max_length=100, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        if not (data.get("email") or data.get("phone")) and "email" not in self.errors:
            self.add_error(
                "email", _("Give an e-mail address or a phone number, so we can answer.")
            )
        return super().clean()

    def complaint_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        country = data.get("country", "")
        return {
            **super().complaint_values(),
            "sender_name": data.get("name", ""),
            "sender_email": data.get("email", ""),
            "sender_phone": data.get("phone", ""),
            "language": data.get("language", ""),
            "jurisdiction": OTHER_COUNTRY if country == "other" else country,
            "customer_kind": data.get("customer_kind", ""),
            "subject_kind": data.get("subject_kind", ""),
            "order_reference": data.get("order_reference", ""),
        }


class CaseComplaintForm(StaffChannelFields):
    """A further complaint on an existing case: the customer is the case's customer."""

    field_order = ["channel", "public_url", "received_at", "text", "attachments"]

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        # The remedy is recorded when a case opens; a later wish is part of what they said.
        del self.fields["requested_remedy"]

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
        }
