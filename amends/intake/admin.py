"""Intake in the admin: messages are read-only (they change only through intake and outbound);
acknowledgement rules are the organisation's policy and are edited here; mailboxes we poll
(the password is never stored) and the mail we could not read, which managers retry or
resolve."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from amends.intake.mail import imap, quarantine
from amends.intake.mail.parse import MailParseError
from amends.intake.models import (
    AcknowledgementRule,
    Attachment,
    Mailbox,
    Message,
    QuarantinedMail,
)


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


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin[Mailbox]):
    """The password is never stored: `password_env` names the environment variable."""

    list_display = ("name", "username", "host", "folder", "active", "last_polled_at", "status")
    list_filter = ("active",)
    search_fields = ("name", "username", "host")
    readonly_fields = ("uidvalidity", "last_uid", "last_polled_at", "last_error")
    fieldsets = (
        (None, {"fields": ("name", "active")}),
        (
            gettext_lazy("Server"),
            {"fields": ("host", "port", "use_ssl", "username", "password_env")},
        ),
        (gettext_lazy("Folders"), {"fields": ("folder", "processed_folder")}),
        (
            gettext_lazy("Polling"),
            {"fields": ("last_polled_at", "last_error", "uidvalidity", "last_uid")},
        ),
    )
    actions = ("poll_now",)

    @admin.display(description=gettext_lazy("status"))
    def status(self, mailbox: Mailbox) -> str:
        if mailbox.last_polled_at is None:
            return _("not polled yet")
        return mailbox.last_error[:120] if mailbox.last_error else _("OK")

    @admin.action(
        description=gettext_lazy("Poll the selected mailboxes now"), permissions=["change"]
    )
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Mailbox]) -> None:
        for mailbox in queryset:
            result = imap.poll(mailbox)
            text = _(
                "%(mailbox)s: %(received)s new, %(duplicates)s already stored, "
                "%(quarantined)s quarantined."
            ) % {
                "mailbox": mailbox.name,
                "received": result.received,
                "duplicates": result.duplicates,
                "quarantined": result.quarantined,
            }
            if result.ok:
                self.message_user(request, text, messages.SUCCESS)
            else:
                self.message_user(request, f"{text} {result.error}", messages.ERROR)


class ResolvedFilter(admin.SimpleListFilter):
    title = gettext_lazy("resolved")
    parameter_name = "resolved"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("no", _("Open")), ("yes", _("Resolved"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "no":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(QuarantinedMail)
class QuarantinedMailAdmin(admin.ModelAdmin[QuarantinedMail]):
    """Kept byte for byte: managers read the reason, download the original, retry it (after
    a fix) or mark it resolved. Nothing is deleted here."""

    list_display = ("at", "mailbox", "short_reason", "message_id", "resolved_at", "download")
    list_filter = (ResolvedFilter, "mailbox")
    search_fields = ("reason", "message_id", "source_key")
    list_select_related = ("mailbox", "resolved_by")
    fields = (
        "at",
        "mailbox",
        "source_key",
        "message_id",
        "reason",
        "download",
        "resolved_at",
        "resolved_by",
    )
    readonly_fields = fields
    actions = ("retry", "mark_resolved")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("reason"))
    def short_reason(self, item: QuarantinedMail) -> str:
        return item.reason if len(item.reason) <= 100 else item.reason[:99] + "…"

    @admin.display(description=gettext_lazy("original message"))
    def download(self, item: QuarantinedMail) -> str:
        if item.pk is None:
            return ""
        url = reverse("admin:intake_quarantinedmail_raw", args=[item.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download .eml"))

    def get_urls(self) -> list[URLPattern]:
        raw = path(
            "<int:pk>/raw/",
            self.admin_site.admin_view(self.raw_view),
            name="intake_quarantinedmail_raw",
        )
        return [raw, *super().get_urls()]

    def raw_view(self, request: HttpRequest, pk: int) -> FileResponse:
        item = QuarantinedMail.objects.filter(pk=pk).first()
        if item is None:
            raise Http404
        if not self.has_view_permission(request, item):
            raise PermissionDenied
        return FileResponse(
            item.raw.open("rb"),
            as_attachment=True,
            filename=f"quarantined-{item.pk}.eml",
            content_type="message/rfc822",
        )

    @admin.action(description=gettext_lazy("Retry: read and receive again"), permissions=["change"])
    def retry(self, request: HttpRequest, queryset: QuerySet[QuarantinedMail]) -> None:
        done = 0
        for item in queryset.filter(resolved_at__isnull=True):
            try:
                quarantine.retry(item, actor=request.user)
            except (MailParseError, ValidationError):
                self.message_user(
                    request,
                    _("%(source)s is still refused: %(reason)s")
                    % {"source": item.source_key, "reason": item.reason},
                    messages.WARNING,
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)s message received and resolved.",
                    "%(count)s messages received and resolved.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("Mark as resolved"), permissions=["change"])
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet[QuarantinedMail]) -> None:
        items = list(queryset.filter(resolved_at__isnull=True))
        for item in items:
            quarantine.resolve(item, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)s message marked as resolved.",
                "%(count)s messages marked as resolved.",
                len(items),
            )
            % {"count": len(items)},
            messages.SUCCESS,
        )
