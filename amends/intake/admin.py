"""Intake in the admin: messages are read-only (they change only through intake and outbound);
acknowledgement rules are the organisation's policy and are edited here."""

from __future__ import annotations

from django.contrib import admin

from amends.intake.models import AcknowledgementRule, Attachment, Message


class AttachmentInline(admin.TabularInline[Attachment, Message]):
    model = Attachment
    fields = ("filename", "content_type", "size", "sha256")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    """What came in and went out, exactly as it was; the case page is where staff act on it."""

    list_display = (
        "at",
        "case",
        "direction",
        "purpose",
        "delivery",
        "attempts",
        "sender_email",
        "recipient_email",
        "subject",
    )
    list_filter = ("direction", "delivery", "channel", "purpose")
    search_fields = ("subject", "message_id", "sender_email", "recipient_email")
    list_select_related = ("case",)
    date_hierarchy = "at"
    inlines = [AttachmentInline]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [field.name for field in Message._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(AcknowledgementRule)
class AcknowledgementRuleAdmin(admin.ModelAdmin[AcknowledgementRule]):
    """Send the acknowledgement at once, or hold it for the owner, by channel and category.

    The most specific rule wins; without any rule every acknowledgement is sent at once.
    """

    list_display = ("channel", "category", "action")
    list_editable = ("action",)
    list_filter = ("action", "channel")
    list_select_related = ("category",)
