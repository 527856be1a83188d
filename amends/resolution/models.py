"""Investigation, resolution with the customer, compensation, reviews and let-go decisions.

PRODUCT.md capabilities 6 and 7; rules A-3, A-4, B-1 to B-5, D-3 to D-5, E-3, E-4. Fault is
internal: nothing here is ever shown to the customer except proposals, their options and the
joint action items.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amends.cases.models import Case, Customer

MONEY: dict[str, Any] = {
    "max_digits": 14,
    "decimal_places": 2,
    "validators": [MinValueValidator(0)],
}


class Fault(models.TextChoices):
    """Who or what caused the problem (internal only; the coach reads it, B-2, A-4, D-3)."""

    UNDETERMINED = "undetermined", _("Not determined yet")
    OURS = "ours", _("Ours")
    UNCLEAR_INFO = "unclear_info", _("Unclear information from us")
    CUSTOMER = "customer", _("The customer's")
    THIRD_PARTY = "third_party", _("A third party's")
    NONE = "none", _("No fault")


class ResolutionSettings(models.Model):
    """Organisation settings for approvals and the advisors (one row, edited by managers)."""

    agent_approval_limit = models.DecimalField(
        _("an agent approves up to"),
        default=Decimal(200),
        help_text=_("Compensation above this needs a manager."),
        **MONEY,
    )
    manager_approval_limit = models.DecimalField(
        _("a manager approves up to"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit; above it an administrator approves."),
        **MONEY,
    )
    hourly_rate = models.DecimalField(_("cost of one handling hour"), default=Decimal(40), **MONEY)
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="EUR",
        validators=[
            RegexValidator(
                r"^[A-Z]{3}$", _("Give the currency as a three-letter code, e.g. EUR or PLN.")
            )
        ],
        help_text=_(
            "The organisation's currency (ISO code): of the hourly rate and the approval limits; "
            "the complaint-cost reserve counts the money in it."
        ),
    )
    concede_share = models.DecimalField(
        _("concede when the dispute is at most this share of the customer's annual value"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.0100"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    persuade_share = models.DecimalField(
        _("persuade politely when the dispute is at least this share of the annual value"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.0500"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    repeat_limit = models.PositiveSmallIntegerField(
        _("let go when the same dispute has come back this many times"), default=3
    )
    unfounded_limit = models.PositiveSmallIntegerField(
        _("suggest letting go after this many unfounded complaints"), default=3
    )

    class Meta:
        verbose_name = _("resolution settings")
        verbose_name_plural = _("resolution settings")

    def __str__(self) -> str:
        return str(_("Resolution settings"))

    @classmethod
    def current(cls) -> ResolutionSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class Cause(models.Model):
    """The organisation's root-cause taxonomy: two levels, edited by managers."""

    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["parent__name", "name"]
        verbose_name = _("cause")
        verbose_name_plural = _("causes")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="cause_name_once_per_group"),
            # NULL never equals NULL in a unique index: top-level names need their own.
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="cause_group_name_once"
            ),
        ]

    def __str__(self) -> str:
        if self.parent_id is None or self.parent is None:
            return self.name
        return f"{self.parent.name} › {self.name}"


class Investigation(models.Model):
    """What we found out about one case (B-1): the root cause and the internal fault."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="investigation"
    )
    root_cause = models.ForeignKey(
        Cause, verbose_name=_("root cause"), null=True, blank=True, on_delete=models.PROTECT
    )
    fault = models.CharField(
        _("fault"), max_length=20, choices=Fault.choices, default=Fault.UNDETERMINED
    )
    findings = models.TextField(_("findings"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_fault_display()}"


class FactKind(models.TextChoices):
    CUSTOMER_SAYS = "customer_says", _("What the customer says")
    OUR_RECORDS = "our_records", _("What our records show")
    DOCUMENT = "document", _("Document")


class Fact(models.Model):
    """One line of the facts checklist, optionally with an evidence file."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="facts"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FactKind.choices)
    text = models.TextField(_("fact"))
    evidence = models.FileField(_("evidence"), upload_to="evidence/%Y/%m/", blank=True)
    checked = models.BooleanField(_("checked"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("fact")
        verbose_name_plural = _("facts")

    def __str__(self) -> str:
        return self.text[:60]


class ImprovementTask(models.Model):
    """Information of ours that was unclear (A-4): which, where it lives, who fixes it by when."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="improvements"
    )
    information = models.CharField(_("which information"), max_length=300)
    location = models.CharField(_("where it lives"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="improvement_tasks",
    )
    due = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due", "id"]
        verbose_name = _("improvement task")
        verbose_name_plural = _("improvement tasks")

    def __str__(self) -> str:
        return self.information


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the customer")
    AGREED = "agreed", _("Agreed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(models.Model):
    """A resolution proposed to the customer, with options they accept or decline (B-4)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="proposals"
    )
    message = models.TextField(_("message to the customer"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_status_display()}"


class RemedyKind(models.TextChoices):
    REPAIR = "repair", _("Repair")
    REPLACEMENT = "replacement", _("Replacement")
    REFUND = "refund", _("Refund")
    PRICE_REDUCTION = "price_reduction", _("Price reduction")
    EXPLANATION = "explanation", _("Explanation")
    GOODWILL = "goodwill", _("Goodwill gesture")


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting for the customer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class RemedyOption(models.Model):
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="options"
    )
    kind = models.CharField(_("remedy"), max_length=20, choices=RemedyKind.choices)
    description = models.TextField(_("what we offer"))
    cost = models.DecimalField(_("cost to us"), default=Decimal(0), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    due = models.DateField(pgettext_lazy("the date a remedy is due", "by"))
    knowledge_url = models.URLField(_("explanation link"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_via = models.CharField(_("decided via"), max_length=20, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("remedy option")
        verbose_name_plural = _("remedy options")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:40]}"


class Party(models.TextChoices):
    US = "us", _("Us")
    CUSTOMER = "customer", _("The customer")


class ActionItem(models.Model):
    """A joint action (B-4), ours or the customer's, visible to both."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="action_items"
    )
    title = models.CharField(_("action"), max_length=300)
    party = models.CharField(_("who"), max_length=10, choices=Party.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("our owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    due = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.title


class CompensationKind(models.TextChoices):
    REFUND = "refund", _("Refund")
    DISCOUNT = "discount", _("Discount")
    CREDIT_NOTE = "credit_note", _("Credit note")
    FREE_SERVICE = "free_service", _("Free service")
    REPLACEMENT = "replacement", _("Replacement")
    GOODWILL = "goodwill", _("Goodwill beyond the agreement")


class CompensationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class Compensation(models.Model):
    """One line of a case's compensation ledger (B-3, B-5)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="compensations"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CompensationKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CompensationStatus.choices,
        default=CompensationStatus.PROPOSED,
    )
    note = models.TextField(_("note"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]
        verbose_name = _("compensation")
        verbose_name_plural = _("compensation ledger")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency}"


class CustomerReview(models.Model):
    """The optional review held with the customer after closing (D-4)."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="customer_review"
    )
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("meeting notes"))
    recommendations = models.TextField(_("our recommendations"), blank=True)
    changes = models.TextField(_("what changed"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("review with the customer")
        verbose_name_plural = _("reviews with customers")

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"


class InternalReview(models.Model):
    """The blameless internal review (E-3): causes, not culprits."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="internal_review"
    )
    what_happened = models.TextField(_("what happened"))
    contributing_causes = models.TextField(_("contributing causes"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT
    )
    written_at = models.DateTimeField(_("written"), auto_now=True)

    class Meta:
        verbose_name = _("internal review")
        verbose_name_plural = _("internal reviews")

    def __str__(self) -> str:
        return f"{self.case_id}"


class PreventionAction(models.Model):
    """What we change so the cause does not come back (A-3, A-6, E-3)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="prevention_actions"
    )
    cause = models.ForeignKey(
        Cause, verbose_name=_("cause"), null=True, blank=True, on_delete=models.PROTECT
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="prevention_actions",
    )
    due = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["done_at", "due", "id"]
        verbose_name = _("prevention action")
        verbose_name_plural = _("prevention actions")

    def __str__(self) -> str:
        return self.title


class LetGoDecision(models.Model):
    """A manager's decision on a let-go recommendation (E-4)."""

    class Outcome(models.TextChoices):
        LET_GO = "let_go", _("End the relationship")
        KEEP = "keep", _("Keep the customer")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="let_go"
    )
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    reason = models.TextField(_("reason"))
    evidence = models.JSONField(_("evidence"), default=dict)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("The case whose parting letter closes the relationship."),
    )

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("let-go decision")
        verbose_name_plural = _("let-go decisions")

    def __str__(self) -> str:
        return f"{self.customer} {self.get_outcome_display()}"
