"""Managers edit the cause taxonomy and the resolution settings here; investigations, the ledger,
proposals and reviews are changed only through the desk (services write the timeline), so the
admin shows them read-only."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from amends.resolution.models import (
    ActionItem,
    Cause,
    Compensation,
    CustomerReview,
    Fact,
    ImprovementTask,
    InternalReview,
    Investigation,
    LetGoDecision,
    PreventionAction,
    Proposal,
    RemedyOption,
    ResolutionSettings,
)


@admin.register(ResolutionSettings)
class ResolutionSettingsAdmin(admin.ModelAdmin[ResolutionSettings]):
    list_display = (
        "__str__",
        "agent_approval_limit",
        "manager_approval_limit",
        "hourly_rate",
        "currency",
        "repeat_limit",
        "unfounded_limit",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ResolutionSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SubCauseInline(admin.TabularInline[Cause, Cause]):
    model = Cause
    fk_name = "parent"
    fields = ("name", "active")
    extra = 1
    verbose_name_plural = _("causes in this group")


@admin.register(Cause)
class CauseAdmin(admin.ModelAdmin[Cause]):
    """Two levels: a group (no parent) and its causes. Retire a cause with `active`; causes in
    use are protected from deletion."""

    list_display = ("__str__", "parent", "active")
    list_filter = ("active", "parent")
    search_fields = ("name", "parent__name")
    list_select_related = ("parent",)
    inlines = [SubCauseInline]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "parent":
            # Only groups can be parents: the taxonomy has two levels.
            kwargs["queryset"] = Cause.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_inlines(self, request: HttpRequest, obj: Cause | None) -> Any:
        # A cause inside a group has no children of its own.
        return [] if obj is not None and obj.parent_id is not None else self.inlines


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Shows rows for inspection; every change goes through amends.resolution.services."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        model: type[Model] = self.model
        return [f.name for f in model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Investigation)
class InvestigationAdmin(ReadOnlyAdmin):
    list_display = ("case", "root_cause", "fault", "updated_by", "updated_at")
    list_filter = ("fault", "root_cause__parent")
    search_fields = ("case__subject", "case__customer__name")
    list_select_related = ("case", "root_cause", "root_cause__parent", "updated_by")


@admin.register(Fact)
class FactAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "case", "kind", "checked", "added_by", "added_at")
    list_filter = ("kind", "checked")
    list_select_related = ("case", "added_by")


@admin.register(ImprovementTask)
class ImprovementTaskAdmin(ReadOnlyAdmin):
    list_display = ("information", "location", "case", "owner", "due", "done_at")
    list_filter = ("done_at",)
    list_select_related = ("case", "owner")


class RemedyOptionInline(admin.TabularInline[RemedyOption, Proposal]):
    model = RemedyOption
    fields = ("kind", "description", "cost", "currency", "due", "decision", "decided_via")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("case", "status", "created_by", "created_at", "decided_at")
    list_filter = ("status",)
    list_select_related = ("case", "created_by")
    inlines = [RemedyOptionInline]


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "case", "party", "owner", "due", "done_at")
    list_filter = ("party",)
    list_select_related = ("case", "owner")


@admin.register(Compensation)
class CompensationAdmin(ReadOnlyAdmin):
    list_display = (
        "case",
        "kind",
        "amount",
        "currency",
        "status",
        "proposed_by",
        "approved_by",
        "paid_at",
    )
    list_filter = ("status", "kind", "currency")
    search_fields = ("case__subject", "case__customer__name")
    list_select_related = ("case", "proposed_by", "approved_by")


@admin.register(CustomerReview)
class CustomerReviewAdmin(ReadOnlyAdmin):
    list_display = ("case", "held_on", "written_by")
    list_select_related = ("case", "written_by")


@admin.register(InternalReview)
class InternalReviewAdmin(ReadOnlyAdmin):
    list_display = ("case", "written_by", "written_at")
    list_select_related = ("case", "written_by")


@admin.register(PreventionAction)
class PreventionActionAdmin(ReadOnlyAdmin):
    list_display = ("title", "case", "cause", "owner", "due", "done_at")
    list_select_related = ("case", "cause", "owner")


@admin.register(LetGoDecision)
class LetGoDecisionAdmin(ReadOnlyAdmin):
    list_display = ("customer", "outcome", "decided_by", "decided_at")
    list_filter = ("outcome",)
    list_select_related = ("customer", "decided_by")
