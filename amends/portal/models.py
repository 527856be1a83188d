"""The customer's view of a case: the version that keeps its signed links valid, and the
satisfaction rating the customer gives after closing (PRODUCT.md capability 9).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Case

SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class PortalAccess(models.Model):
    """One row per case that has been given a link. A link carries the version it was made
    with; bumping the version (revoking) makes every earlier link of the case stop working."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="portal_access"
    )
    version = models.PositiveIntegerField(_("link version"), default=1)
    revoked_at = models.DateTimeField(_("links last revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer view access")
        verbose_name_plural = _("customer view access")

    def __str__(self) -> str:
        return f"{self.case_id} v{self.version}"


class SatisfactionRating(models.Model):
    """How the customer rated the outcome and our service, separately, 1 (poor) to 5 (very good).

    One per case. The customer may change it while their link works; the RATED events keep
    every rating given, this row the current one.
    """

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="satisfaction"
    )
    outcome = models.PositiveSmallIntegerField(_("outcome"), validators=SCORE)
    service = models.PositiveSmallIntegerField(_("service"), validators=SCORE)
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"))
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)

    class Meta:
        ordering = ["-rated_at"]
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__gte=1, outcome__lte=5)
                & models.Q(service__gte=1, service__lte=5),
                name="rating_scores_one_to_five",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.outcome}/{self.service}"
