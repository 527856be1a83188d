from django.contrib import admin

from amends.cases.models import (
    Case,
    Category,
    Customer,
    DeadlineRuleSetting,
    Event,
    OrganisationSettings,
    ProductLine,
)


@admin.register(OrganisationSettings)
class OrganisationSettingsAdmin(admin.ModelAdmin[OrganisationSettings]):
    list_display = (
        "name",
        "default_commitment_days",
        "due_soon_days",
        "at_risk_days",
        "auto_assign",
    )

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return not OrganisationSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(DeadlineRuleSetting)
class DeadlineRuleSettingAdmin(admin.ModelAdmin[DeadlineRuleSetting]):
    list_display = ("rule_id", "holiday_rollover")


admin.site.register(Category)
admin.site.register(ProductLine)


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin[Customer]):
    list_display = ("name", "email", "jurisdiction", "kind", "language", "annual_value", "currency")
    list_filter = ("jurisdiction", "kind", "language")
    search_fields = ("name", "email", "phone")


class EventInline(admin.TabularInline[Event, Case]):
    model = Event
    fields = ("at", "kind", "actor", "visibility", "data")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    """Cases are changed through the desk (services write the timeline); the admin only reads them."""

    list_display = (
        "__str__",
        "customer",
        "state",
        "owner",
        "language",
        "commitment_due",
        "statutory_due",
    )
    list_filter = ("state", "language", "channel", "priority")
    search_fields = ("subject", "customer__name", "customer__email")
    list_select_related = ("customer", "owner")
    inlines = [EventInline]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [f.name for f in Case._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    """The audit trail: readable, never editable."""

    list_display = ("case", "at", "kind", "actor", "visibility")
    list_filter = ("kind", "visibility")
    list_select_related = ("case", "actor")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
