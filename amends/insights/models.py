"""The two ledgers the dashboard needs besides the case timeline: revenue per product line and
period (for the complaint-cost reserve, B-3) and what customers did after a complaint (retention).
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Customer, ProductLine


class RevenueEntry(models.Model):
    """Revenue of one product or service line over a period (entered by managers or imported)."""

    product_line = models.ForeignKey(
        ProductLine,
        verbose_name=_("product or service line"),
        on_delete=models.PROTECT,
        related_name="revenue",
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to (inclusive)"))
    amount = models.DecimalField(
        _("revenue"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        ordering = ["product_line__name", "period_start"]
        verbose_name = _("revenue entry")
        verbose_name_plural = _("revenue")
        constraints = [
            models.UniqueConstraint(
                fields=["product_line", "period_start", "period_end"],
                name="revenue_once_per_line_and_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="revenue_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_line} {self.period_start}–{self.period_end}: {self.amount}"

    @property
    def days(self) -> int:
        return (self.period_end - self.period_start).days + 1


class ActivityKind(models.TextChoices):
    PURCHASE = "purchase", _("Purchase")
    RENEWAL = "renewal", _("Renewal")
    CANCELLATION = "cancellation", _("Cancellation")


class CustomerActivity(models.Model):
    """Something a customer did that tells whether they stayed: bought, renewed or cancelled.

    `source_key` makes the import and the API idempotent: the same row offered again is stored once.
    """

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="activity"
    )
    date = models.DateField(_("date"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    source = models.CharField(_("source"), max_length=100, blank=True)
    source_key = models.CharField(_("source key"), max_length=300, unique=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("customer activity")
        verbose_name_plural = _("customer activity")
        indexes = [models.Index(fields=["customer", "date"])]

    def __str__(self) -> str:
        return f"{self.customer} {self.kind} {self.date}"


class DashboardSnapshot(models.Model):
    """The dashboard's finished figures for one viewer scope, filters and UI language, kept so the
    page for a year need not recompute them (amends/insights/snapshots.py, docs/operators.md).

    `scope` is "managers" (every manager sees the same figures) or "agent:<user id>" (an agent's
    figures count the cases they own); `filters` is the non-period filters as a query string.
    """

    scope = models.CharField(_("scope"), max_length=40)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to (inclusive)"))
    filters = models.CharField(_("filters"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=10)
    computed_at = models.DateTimeField(_("computed at"))
    data = models.JSONField(_("figures"), default=list)

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "period_start", "period_end", "filters", "language"],
                name="dashboard_snapshot_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.period_start}–{self.period_end} {self.filters} {self.language}"


class DashboardViewer(models.Model):
    """Who opens the dashboard in which UI language: the refresh keeps exactly those views ready
    (plus the managers' in the default language), not every scope in every language."""

    scope = models.CharField(_("scope"), max_length=40)
    language = models.CharField(_("language"), max_length=10)
    viewed_at = models.DateTimeField(_("last viewed"))

    class Meta:
        verbose_name = _("dashboard viewer")
        verbose_name_plural = _("dashboard viewers")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "language"], name="dashboard_viewer_once_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.language} {self.viewed_at:%Y-%m-%d %H:%M}"
