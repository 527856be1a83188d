"""Forms of the resolution panels on the case page: they validate input shape; the rules live in
amends.resolution.services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.cases.forms import (
    CaseActionForm,
    DateInput,
    StaffChoiceField,
    active_staff,
    coach_attrs,
)
from amends.resolution.models import (
    Cause,
    CompensationKind,
    Decision,
    FactKind,
    Fault,
    Party,
    RemedyKind,
)


def cause_choices() -> list[tuple[Any, Any]]:
    """The two-level taxonomy as a grouped select: each group's causes under its name; a group
    without children can be chosen itself."""
    causes = list(Cause.objects.filter(active=True).select_related("parent"))
    children: dict[int, list[Cause]] = {}
    for cause in causes:
        if cause.parent_id is not None:
            children.setdefault(cause.parent_id, []).append(cause)
    choices: list[tuple[Any, Any]] = [("", _("Choose a cause"))]
    for cause in causes:
        if cause.parent_id is not None:
            continue
        kids = children.get(cause.pk)
        if kids:
            choices.append((cause.name, [(str(kid.pk), kid.name) for kid in kids]))
        else:
            choices.append((str(cause.pk), cause.name))
    return choices


class FactForm(CaseActionForm):
    id_prefix = "fact"
    kind = forms.ChoiceField(label=_("Kind"), choices=FactKind.choices)
    text = forms.CharField(
        label=_("Fact"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    evidence = forms.FileField(
        label=_("Evidence"), required=False, help_text=_("Optional: a photo, a PDF, a document.")
    )


class FactCheckForm(forms.Form):
    checked = forms.BooleanField(required=False)


class RootCauseForm(CaseActionForm):
    id_prefix = "cause"
    # A callable: the taxonomy is read when the select is rendered or validated.
    cause = forms.TypedChoiceField(label=_("Root cause"), coerce=int, choices=cause_choices)

    def clean_cause(self) -> Cause:
        try:
            return Cause.objects.get(pk=self.cleaned_data["cause"], active=True)
        except Cause.DoesNotExist as exc:
            raise forms.ValidationError(_("Choose a cause from the list.")) from exc


class FaultForm(CaseActionForm):
    id_prefix = "fault"
    fault = forms.ChoiceField(label=_("Fault"), choices=Fault.choices)
    findings = forms.CharField(
        label=_("Findings"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        required=False,
        help_text=_("Internal: never shown to the customer."),
    )


class ImprovementForm(CaseActionForm):
    id_prefix = "improvement"
    information = forms.CharField(label=_("Which information was unclear"), max_length=300)
    location = forms.CharField(label=_("Where it lives"), max_length=300)
    owner = StaffChoiceField(
        label=_("Owner"), queryset=active_staff(), empty_label=_("Choose a colleague")
    )
    due = forms.DateField(label=_("Due"), widget=DateInput())


class OptionForm(forms.Form):
    """One remedy option of a proposal; an untouched extra option is ignored."""

    kind = forms.ChoiceField(label=_("Remedy"), choices=[("", "—"), *RemedyKind.choices])
    description = forms.CharField(
        label=_("What we offer"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    cost = forms.DecimalField(
        label=_("Cost to us"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    currency = forms.CharField(label=_("Currency"), initial="EUR", max_length=3, min_length=3)
    due = forms.DateField(label=_("By"), widget=DateInput())
    knowledge_url = forms.URLField(
        label=_("Explanation link"),
        required=False,
        assume_scheme="https",
        help_text=_("For an explanation: where the customer can read more."),
    )

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).upper()

    def has_changed(self) -> bool:
        # Cost and currency come filled in: an option is only "there" once it says what it is.
        return any(
            self[name].field.has_changed(self[name].initial, self[name].data)
            for name in ("kind", "description", "due", "knowledge_url")
        )


class BaseOptionFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def options(self) -> list[dict[str, Any]]:
        return [
            {key: form.cleaned_data[key] for key in OptionForm.base_fields}
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


OptionFormSet = forms.formset_factory(
    OptionForm, formset=BaseOptionFormSet, extra=2, min_num=1, validate_min=True, max_num=6
)


class ProposalForm(CaseActionForm):
    """The message to the customer with its options (a formset prefixed "option")."""

    id_prefix = "proposal"
    message = forms.CharField(
        label=_("Message to the customer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
    )

    def __init__(
        self, *args: Any, currency: str = "EUR", coach_url: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if coach_url:
            self.fields["message"].widget.attrs.update(coach_attrs(coach_url, "proposal"))
        data = args[0] if args else kwargs.get("data")
        self.options = cast(
            BaseOptionFormSet,
            OptionFormSet(
                data,
                prefix="option",
                auto_id="proposal-%s",
                initial=None,
                form_kwargs={"label_suffix": "", "initial": {"currency": currency}},
            ),
        )

    def is_valid(self) -> bool:
        return bool(super().is_valid() & self.options.is_valid())


class DecisionForm(forms.Form):
    """A decision the customer told us by phone, e-mail or in person."""

    VIA = [("phone", _("by phone")), ("email", _("by e-mail")), ("in_person", _("in person"))]
    decision = forms.ChoiceField(
        choices=[
            (Decision.ACCEPTED, Decision.ACCEPTED.label),
            (Decision.DECLINED, Decision.DECLINED.label),
        ]
    )
    via = forms.ChoiceField(label=_("The customer told us"), choices=VIA)


class WithdrawForm(CaseActionForm):
    id_prefix = "withdraw"
    reason = forms.CharField(label=_("Why it is withdrawn"), max_length=2000)


class ActionItemForm(CaseActionForm):
    id_prefix = "action-item"
    title = forms.CharField(label=_("Action"), max_length=300)
    party = forms.ChoiceField(label=_("Who"), choices=Party.choices)
    owner = StaffChoiceField(
        label=_("Our owner"), queryset=active_staff(), required=False, empty_label=_("Nobody yet")
    )
    due = forms.DateField(label=_("Due"), widget=DateInput())


class CompensationForm(CaseActionForm):
    id_prefix = "compensation"
    kind = forms.ChoiceField(label=_("Kind"), choices=CompensationKind.choices)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=14, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).upper()


class CancelCompensationForm(CaseActionForm):
    """Cancelling one ledger line; several share the page, so the id prefix carries its id."""

    reason = forms.CharField(label=_("Why it is cancelled"), max_length=2000)

    def __init__(self, *args: Any, compensation_pk: int, **kwargs: Any) -> None:
        self.compensation_pk = compensation_pk
        self.id_prefix = f"cancel-{compensation_pk}"
        super().__init__(*args, **kwargs)


class CustomerReviewForm(CaseActionForm):
    id_prefix = "customer-review"
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    notes = forms.CharField(
        label=_("Meeting notes"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )
    recommendations = forms.CharField(
        label=_("Our recommendations"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=20000,
        required=False,
    )
    changes = forms.CharField(
        label=_("What changed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=20000,
        required=False,
    )


class InternalReviewForm(CaseActionForm):
    id_prefix = "internal-review"
    what_happened = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )
    contributing_causes = forms.CharField(
        label=_("Contributing causes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        help_text=_("Name causes, not culprits."),
    )


class PreventionActionForm(CaseActionForm):
    id_prefix = "prevention"
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = StaffChoiceField(
        label=_("Owner"), queryset=active_staff(), empty_label=_("Choose a colleague")
    )
    due = forms.DateField(label=_("Due"), widget=DateInput())
    cause = forms.TypedChoiceField(
        label=_("Cause"), coerce=int, choices=cause_choices, required=False
    )

    def clean_cause(self) -> Cause | None:
        value = self.cleaned_data.get("cause")
        if value in (None, ""):
            return None
        try:
            return Cause.objects.get(pk=value, active=True)
        except Cause.DoesNotExist as exc:
            raise forms.ValidationError(_("Choose a cause from the list.")) from exc


class ResolveForm(CaseActionForm):
    id_prefix = "resolve"
    override_reason = forms.CharField(
        label=_("Reason to resolve anyway"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Managers only: required when the root cause or the fault is missing."),
    )
