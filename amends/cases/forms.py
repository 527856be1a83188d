"""Forms for the staff pages: they validate input shape; the rules live in services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Case, Channel, Customer, Language, State

User = get_user_model()


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        if obj.team_id:
            # Translators: a colleague in a select list, e.g. "Piotr Wiśniewski (Team Poland)".
            return _("%(name)s (%(team)s)") % {"name": obj.display_name, "team": obj.team.name}
        return str(obj.display_name)


def active_staff() -> Any:
    return (
        User.objects.filter(is_active=True)
        .select_related("team")
        .order_by("first_name", "last_name", "username")
    )


class CaseActionForm(forms.Form):
    """A form on the case page. Each has its own id prefix, so several can share one page."""

    id_prefix = "action"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class NoteForm(CaseActionForm):
    id_prefix = "note"
    text = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        help_text=_("Only staff see notes."),
    )


class PhoneCallForm(CaseActionForm):
    id_prefix = "call"
    DIRECTIONS = [
        ("inbound", _("The customer called us")),
        ("outbound", _("We called the customer")),
    ]

    direction = forms.ChoiceField(label=_("Direction"), choices=DIRECTIONS, initial="inbound")
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=0, max_value=600, required=False
    )
    summary = forms.CharField(
        label=_("What was said"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )


class HandOverForm(CaseActionForm):
    id_prefix = "handover"
    to = StaffChoiceField(
        label=_("New owner"), queryset=User.objects.none(), empty_label=_("Choose a colleague")
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Stays internal. The customer is told the new owner's name."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = active_staff()
        if case.owner_id is not None:
            staff = staff.exclude(pk=case.owner_id)
        self.fields["to"].queryset = staff  # type: ignore[attr-defined]


class ChangeStateForm(CaseActionForm):
    id_prefix = "state"
    to = forms.ChoiceField(label=_("New state"), choices=())
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Required when reopening a case."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Acknowledging has its own button; everything else the state machine allows is offered.
        self.fields["to"].choices = [  # type: ignore[attr-defined]
            (value, State(value).label)
            for value in case.allowed_transitions()
            if value != State.ACKNOWLEDGED
        ]

    @property
    def has_choices(self) -> bool:
        return bool(self.fields["to"].choices)  # type: ignore[attr-defined]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date_bounds(field: forms.Field, *, earliest: date | None, latest: date | None) -> None:
    if earliest:
        field.widget.attrs["min"] = earliest.isoformat()
    if latest:
        field.widget.attrs["max"] = latest.isoformat()


class CommitmentForm(CaseActionForm):
    id_prefix = "commitment"
    due = forms.DateField(label=_("Next step due on"), widget=DateInput())
    note = forms.CharField(label=_("What will happen by then"), max_length=500, required=False)

    def __init__(
        self, *args: Any, earliest: date | None = None, latest: date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _date_bounds(self.fields["due"], earliest=earliest, latest=latest)


class ReplyForm(CaseActionForm):
    id_prefix = "reply"
    text = forms.CharField(
        label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    next_step = forms.DateField(
        label=_("Next step promised for"),
        widget=DateInput(),
        required=False,
        help_text=_("Optional: the date of the next step this reply promises."),
    )
    substantive = forms.BooleanField(
        label=_("This is the substantive answer to the complaint"),
        required=False,
        help_text=_("It stops the statutory clock."),
    )
    # Ticked in the coach panel (cases/partials/coach.html) when the coach flags the reply.
    send_anyway = forms.BooleanField(label=_("Send it anyway"), required=False)

    def __init__(
        self,
        *args: Any,
        earliest: date | None = None,
        latest: date | None = None,
        coach_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _date_bounds(self.fields["next_step"], earliest=earliest, latest=latest)
        if coach_url:
            self.fields["text"].widget.attrs.update(coach_attrs(coach_url, "reply"))


def coach_attrs(url: str, purpose: str) -> dict[str, str]:
    """htmx attributes that send a composer's text to the coach as the user types (debounced)."""
    return {
        "hx-post": url,
        "hx-trigger": "input changed delay:600ms",
        "hx-target": f"#coach-{purpose}",
        "hx-swap": "innerHTML",
        "hx-vals": f'{{"purpose": "{purpose}"}}',
        "aria-describedby": f"coach-{purpose}",
    }


class DraftForm(CaseActionForm):
    """A held message (the acknowledgement) as the owner edits it before sending.

    Several drafts can share the case page, so each gets an id prefix with its message's id.
    """

    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 12}), max_length=20000
    )

    def __init__(self, *args: Any, message_pk: int, **kwargs: Any) -> None:
        self.message_pk = message_pk
        self.id_prefix = f"draft-{message_pk}"
        super().__init__(*args, **kwargs)


class CaseFilterForm(forms.Form):
    """The filters of the all-cases list, read from the query string."""

    OVERDUE_CHOICES = [("", _("Any")), ("yes", _("Overdue")), ("no", _("Not overdue"))]

    state = forms.ChoiceField(label=_("State"), required=False)
    owner = StaffChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    overdue = forms.ChoiceField(label=_("Overdue"), choices=OVERDUE_CHOICES, required=False)
    jurisdiction = forms.ChoiceField(label=_("Country"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Newest first")),
            ("priority", _("Priority")),
            ("deadline", _("Nearest deadline")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "filter-%s")
        kwargs.setdefault("label_suffix", "")
        jurisdictions = (
            Customer.objects.values_list("jurisdiction", flat=True)
            .distinct()
            .order_by("jurisdiction")
        )
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["state"].choices = [*anything, ("open", _("Any open state")), *State.choices]  # type: ignore[attr-defined]
        self.fields["language"].choices = [*anything, *Language.choices]  # type: ignore[attr-defined]
        self.fields["channel"].choices = [*anything, *Channel.choices]  # type: ignore[attr-defined]
        self.fields["jurisdiction"].choices = [*anything, *((code, code) for code in jurisdictions)]  # type: ignore[attr-defined]
        self.fields["owner"].queryset = active_staff()  # type: ignore[attr-defined]

    def ordering(self) -> str:
        self.is_valid()
        return str(getattr(self, "cleaned_data", {}).get("sort") or "")

    def filters(self) -> dict[str, Any]:
        """The valid filters as keyword arguments for CaseQuerySet.matching; invalid ones are ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "state": data.get("state", ""),
            "owner": data.get("owner"),
            "language": data.get("language", ""),
            "channel": data.get("channel", ""),
            "overdue": {"yes": True, "no": False}.get(data.get("overdue", "")),
            "jurisdiction": data.get("jurisdiction", ""),
        }

    @property
    def active(self) -> bool:
        return any(value not in ("", None) for value in self.filters().values())
