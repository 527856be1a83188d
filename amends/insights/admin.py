"""Managers enter revenue per product line and period here; customer activity is imported or
posted to the API, and shown here read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from amends.insights.models import CustomerActivity, RevenueEntry


@admin.register(RevenueEntry)
class RevenueEntryAdmin(admin.ModelAdmin[RevenueEntry]):
    list_display = ("product_line", "period_start", "period_end", "amount", "currency", "source")
    list_filter = ("product_line", "currency")
    date_hierarchy = "period_start"
    readonly_fields = ("source", "created_at")


@admin.register(CustomerActivity)
class CustomerActivityAdmin(admin.ModelAdmin[CustomerActivity]):
    list_display = ("customer", "date", "kind", "amount", "source")
    list_filter = ("kind",)
    search_fields = ("customer__name", "customer__email", "source_key")
    date_hierarchy = "date"
    list_select_related = ("customer",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
