"""The dashboard's filters: a period (both days included) and what to narrow it to."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amends.accounts.models import Team
from amends.cases.models import Category, Channel, Language, ProductLine
from amends.insights.metrics import Filters

DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366


def _any(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", gettext_lazy("Any")), *choices]


class DashboardFilterForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Any"),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"), choices=_any(Channel.choices), required=False
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=_any(Language.choices), required=False
    )
    jurisdiction = forms.CharField(
        label=gettext_lazy("Country"),
        required=False,
        max_length=2,
        validators=[RegexValidator(r"^[A-Za-z]{2}$", gettext_lazy("A two-letter country code."))],
        widget=forms.TextInput(attrs={"size": 3, "placeholder": "PL"}),
    )
    product_line = forms.ModelChoiceField(
        label=gettext_lazy("Product or service line"),
        queryset=ProductLine.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Any"),
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=Category.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Any"),
    )

    @classmethod
    def bound(cls, data: Any) -> DashboardFilterForm:
        """The form bound to the query string, the last DEFAULT_DAYS days where no period is given."""
        values = data.copy()
        today = timezone.localdate()
        values.setdefault("end", today.isoformat())
        values.setdefault("start", (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat())
        return cls(values)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("start")
        end: date | None = data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (end - start).days >= MAX_DAYS:
                raise forms.ValidationError(_("Choose a period of at most three years."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            start=data["start"],
            end=data["end"],
            team_id=data["team"].pk if data.get("team") else None,
            channel=data.get("channel") or "",
            language=data.get("language") or "",
            jurisdiction=(data.get("jurisdiction") or "").upper(),
            product_line_id=data["product_line"].pk if data.get("product_line") else None,
            category_id=data["category"].pk if data.get("category") else None,
        )
