"""Customers, cases and the append-only event timeline, with the organisation's settings."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REFERENCE_PREFIX = "AM-"


class Language(models.TextChoices):
    EN = "en", _("English")
    PL = "pl", _("Polish")
    BG = "bg", _("Bulgarian")
    FI = "fi", _("Finnish")


class CustomerKind(models.TextChoices):
    CONSUMER = "consumer", _("Consumer")
    BUSINESS = "business", _("Business")
    FINANCIAL_CLIENT = "financial_client", _("Financial-sector client")


class Channel(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    SOCIAL = "social", _("Social media")
    IN_PERSON = "in_person", _("In person")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    PORTAL = "portal", _("Customer view")


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    INVESTIGATING = "investigating", _("Investigating")
    RESOLUTION_PROPOSED = "resolution_proposed", _("Resolution proposed")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATES = (State.RECEIVED, State.ACKNOWLEDGED, State.INVESTIGATING, State.RESOLUTION_PROPOSED)

# The allowed moves. Reopening (resolved/closed -> investigating) is recorded as its own event kind.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    State.RECEIVED: (State.ACKNOWLEDGED,),
    State.ACKNOWLEDGED: (State.INVESTIGATING, State.RESOLUTION_PROPOSED),
    State.INVESTIGATING: (State.RESOLUTION_PROPOSED,),
    State.RESOLUTION_PROPOSED: (State.INVESTIGATING, State.RESOLVED),
    State.RESOLVED: (State.CLOSED, State.INVESTIGATING),
    State.CLOSED: (State.INVESTIGATING,),
}


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class DeadlineStatus(models.TextChoices):
    NONE = "none", _("No deadline")
    ON_TRACK = "on_track", _("On track")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    MET = "met", _("Met")


class OrganisationSettings(models.Model):
    """One row of organisation-wide settings, edited by managers in the admin."""

    name = models.CharField(_("organisation name"), max_length=200, default="Amends")
    default_commitment_days = models.PositiveSmallIntegerField(
        _("default commitment (days)"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("The binding answer date promised at intake, counted from receipt."),
    )
    due_soon_days = models.PositiveSmallIntegerField(
        _("due soon (days)"), default=2, help_text=_("A deadline this close is marked as due soon.")
    )
    at_risk_days = models.PositiveSmallIntegerField(
        _("statutory warning (days)"),
        default=3,
        help_text=_("Record a warning this many days before a statutory deadline."),
    )
    home_jurisdiction = models.CharField(
        _("home country"),
        max_length=2,
        default="PL",
        help_text=_(
            "Whose law applies to a customer whose country is not known from the complaint "
            "or its language (ISO code, e.g. PL)."
        ),
    )
    high_value_customer = models.DecimalField(
        _("high-value customer from (annual value)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(50000),
        validators=[MinValueValidator(0)],
        help_text=_("Complaints from customers worth at least this much a year get priority."),
    )
    auto_assign = models.BooleanField(
        _("assign new cases automatically"),
        default=True,
        help_text=_("To the least-loaded agent who speaks the case's language."),
    )

    class Meta:
        verbose_name = _("organisation settings")
        verbose_name_plural = _("organisation settings")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> OrganisationSettings:
        obj, _created = cls.objects.get_or_create(
            pk=1, defaults={"default_commitment_days": settings.AMENDS_DEFAULT_COMMITMENT_DAYS}
        )
        return obj


class DeadlineRuleSetting(models.Model):
    """The organisation's choice for one statutory rule, e.g. rolling a deadline off a holiday."""

    rule_id = models.CharField(_("rule"), max_length=40, unique=True)
    holiday_rollover = models.BooleanField(
        _("move deadlines off weekends and holidays"),
        default=False,
        help_text=_("Only where the law allows it; see the rule's caveat."),
    )

    class Meta:
        verbose_name = _("deadline rule setting")
        verbose_name_plural = _("deadline rule settings")

    def __str__(self) -> str:
        return self.rule_id


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    active = models.BooleanField(_("active"), default=True)
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_(
            "Words or phrases, one per line and in any of our languages, that suggest this "
            "category at triage; * matches any ending (e.g. deliver*, dostaw*, доставк*)."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.keywords.splitlines() if line.strip())


class ProductLine(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("product or service line")
        verbose_name_plural = _("product and service lines")

    def __str__(self) -> str:
        return self.name


def normalise_email(address: str) -> str:
    """An address as stored and matched: trimmed and lower-cased, so finding a customer is an
    exact match that the index on Customer.email serves (``email__iexact`` can use no index)."""
    return address.strip().lower()


class Customer(models.Model):
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.EN
    )
    jurisdiction = models.CharField(
        _("country"),
        max_length=2,
        default="PL",
        help_text=_("ISO country code whose law applies, e.g. PL, BG, FI."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=CustomerKind.choices, default=CustomerKind.CONSUMER
    )
    annual_value = models.DecimalField(
        _("annual value"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Every path (intake, API, admin, forms) stores the address as it is matched.
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)


def _due_before(at: datetime) -> Q:
    return Q(commitment_due__lt=at) | Q(statutory_due__lt=at, answered_at__isnull=True)


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def owned_by(self, user: Any) -> CaseQuerySet:
        return self.filter(owner=user)

    def overdue(self, at: datetime) -> CaseQuerySet:
        return self.due_before(at)

    def not_overdue(self, at: datetime) -> CaseQuerySet:
        return self.exclude(pk__in=self.model.objects.overdue(at).values("pk"))

    def due_before(self, at: datetime) -> CaseQuerySet:
        return self.open().filter(_due_before(at))

    def deadline_counts(self, at: datetime, soon_days: int) -> dict[str, int]:
        """How many of these cases are overdue and how many due soon (but not overdue), in one query."""
        open_ = Q(state__in=OPEN_STATES)
        counts = self.aggregate(
            total=models.Count("pk"),
            overdue=models.Count("pk", filter=open_ & _due_before(at)),
            soon=models.Count("pk", filter=open_ & _due_before(at + timedelta(days=soon_days))),
        )
        return {
            "total": counts["total"],
            "overdue": counts["overdue"],
            "due_soon": counts["soon"] - counts["overdue"],
        }

    def matching(
        self,
        *,
        at: datetime,
        state: str = "",
        owner: Any = None,
        language: str = "",
        channel: str = "",
        overdue: bool | None = None,
        jurisdiction: str = "",
    ) -> CaseQuerySet:
        """The all-cases filters; an empty value means "any". state="open" means any open state."""
        cases = self
        if state == "open":
            cases = cases.open()
        elif state:
            cases = cases.filter(state=state)
        if owner is not None:
            cases = cases.filter(owner=owner)
        if language:
            cases = cases.filter(language=language)
        if channel:
            cases = cases.filter(channel=channel)
        if jurisdiction:
            cases = cases.filter(customer__jurisdiction=jurisdiction)
        if overdue is True:
            cases = cases.overdue(at)
        elif overdue is False:
            cases = cases.not_overdue(at)
        return cases

    def search(self, text: str) -> CaseQuerySet:
        """Cases whose reference, subject, or customer name or e-mail matches `text`."""
        text = text.strip()
        if not text:
            return self
        match = (
            Q(subject__icontains=text)
            | Q(customer__name__icontains=text)
            | Q(customer__email__icontains=text)
        )
        pk = Case.pk_from_reference(text)
        if pk is not None and text.upper().startswith(REFERENCE_PREFIX):
            match |= Q(pk=pk)
        return self.filter(match)

    def by_reference(self, reference: str) -> Case | None:
        pk = Case.pk_from_reference(reference)
        return None if pk is None else self.filter(pk=pk).first()

    def with_priority_rank(self) -> CaseQuerySet:
        """Annotate `priority_rank`: 3 urgent, 2 high, 1 normal, 0 low, for sorting."""
        ranks = {Priority.URGENT: 3, Priority.HIGH: 2, Priority.NORMAL: 1, Priority.LOW: 0}
        return self.annotate(
            priority_rank=models.Case(
                *(models.When(priority=p, then=models.Value(r)) for p, r in ranks.items()),
                default=models.Value(1),
                output_field=models.IntegerField(),
            )
        )

    def sorted_by(self, sort: str) -> CaseQuerySet:
        """The queue orders: newest first (default), highest priority first, nearest deadline."""
        if sort == "priority":
            return (
                self.with_priority_rank()
                .with_next_deadline()
                .order_by(F("priority_rank").desc(), F("next_due").asc(nulls_last=True), "pk")
            )
        if sort == "deadline":
            return self.with_next_deadline().order_by(
                F("next_due").asc(nulls_last=True), "received_at", "pk"
            )
        return self.order_by("-received_at", "-pk")

    def with_next_deadline(self) -> CaseQuerySet:
        """Annotate `next_due`: the nearer of the commitment and the unanswered statutory deadline."""
        statutory = models.Case(
            models.When(answered_at__isnull=True, then=models.F("statutory_due")), default=None
        )
        return self.annotate(
            next_due=Coalesce(Least("commitment_due", statutory), "commitment_due", statutory)
        )


class Case(models.Model):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="cases"
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("received"), db_index=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_cases",
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT
    )
    product_line = models.ForeignKey(
        ProductLine,
        verbose_name=_("product or service line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    disputed_amount = models.DecimalField(
        _("disputed amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    # What the customer asked for at intake (ISO 10002 7.2): their order or contract and remedy.
    order_reference = models.CharField(
        _("order or contract reference"), max_length=100, blank=True, db_index=True
    )
    requested_remedy = models.TextField(_("remedy the customer asks for"), blank=True)
    # Triage signals (amends.playbook.triage), refreshed whenever the customer writes.
    irritation = models.FloatField(_("irritation"), default=0.0)
    exposure = models.FloatField(_("exposure"), default=0.0)
    signals = models.JSONField(_("triage signals"), default=dict, blank=True)
    # A new complaint about the same thing as an earlier, already closed case.
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("repeat of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
    )
    commitment_due = models.DateTimeField(_("next step due"), db_index=True)
    statutory_due = models.DateTimeField(
        _("statutory deadline"), null=True, blank=True, db_index=True
    )
    statutory_rule = models.CharField(_("statutory rule"), max_length=40)
    statutory_extended = models.BooleanField(_("statutory deadline extended"), default=False)
    # Set when a substantive answer went out: it stops the statutory clock.
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The deadline sweep's progress (0 none, 1 at risk recorded, 2 missed recorded), so each
    # warning is recorded once; reset whenever the deadline moves.
    statutory_alert = models.PositiveSmallIntegerField(default=0)
    commitment_alert = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["state", "commitment_due"]),
            models.Index(fields=["owner", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=State.RECEIVED) | Q(owner__isnull=False),
                name="case_acknowledged_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def reference(self) -> str:
        return f"{REFERENCE_PREFIX}{self.pk:06d}" if self.pk else ""

    @staticmethod
    def pk_from_reference(reference: str) -> int | None:
        ref = reference.strip().upper()
        if ref.startswith(REFERENCE_PREFIX):
            ref = ref[len(REFERENCE_PREFIX) :]
        # ASCII only: str.isdigit() also accepts "³" and other digits int() refuses.
        return int(ref) if ref.isascii() and ref.isdigit() and 0 < len(ref) <= 12 else None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def allowed_transitions(self) -> tuple[str, ...]:
        return TRANSITIONS.get(self.state, ())

    def statutory_pending(self) -> bool:
        return self.statutory_due is not None and self.answered_at is None and self.is_open

    def deadline_status(self, due: datetime | None, at: datetime, soon_days: int) -> str:
        if due is None:
            return DeadlineStatus.NONE
        if not self.is_open:
            return DeadlineStatus.MET
        if due < at:
            return DeadlineStatus.OVERDUE
        if due - at <= timedelta(days=soon_days):
            return DeadlineStatus.DUE_SOON
        return DeadlineStatus.ON_TRACK

    def commitment_status(self, at: datetime | None = None, soon_days: int = 2) -> str:
        return self.deadline_status(self.commitment_due, at or timezone.now(), soon_days)

    def statutory_status(self, at: datetime | None = None, soon_days: int = 2) -> str:
        if self.statutory_due is not None and self.answered_at is not None:
            return DeadlineStatus.MET
        return self.deadline_status(self.statutory_due, at or timezone.now(), soon_days)

    def worst_status(self, at: datetime | None = None, soon_days: int = 2) -> str:
        order = [DeadlineStatus.OVERDUE, DeadlineStatus.DUE_SOON, DeadlineStatus.ON_TRACK]
        statuses = {self.commitment_status(at, soon_days), self.statutory_status(at, soon_days)}
        return next((s for s in order if s in statuses), DeadlineStatus.NONE)


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Complaint received")
    OWNER_ASSIGNED = "owner_assigned", _("Owner assigned")
    HANDED_OVER = "handed_over", _("Handed over")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    STATE_CHANGED = "state_changed", _("State changed")
    REOPENED = "reopened", _("Reopened")
    NOTE = "note", _("Internal note")
    PHONE_CALL = "phone_call", _("Phone call")
    REPLY = "reply", _("Reply to the customer")
    COMMITMENT_SET = "commitment_set", _("Next step set")
    STATUTORY_EXTENDED = "statutory_extended", _("Statutory deadline extended")
    PRIORITY_CHANGED = "priority_changed", _("Priority changed")
    DEADLINE_AT_RISK = "deadline_at_risk", _("Deadline at risk")
    DEADLINE_MISSED = "deadline_missed", _("Deadline missed")
    CUSTOMER_MESSAGE = "customer_message", _("Customer wrote")
    REPEAT_CONTACT = "repeat_contact", _("Repeated complaint linked")
    MESSAGE_SENT = "message_sent", _("Message sent")
    MESSAGE_FAILED = "message_failed", _("Message not delivered")
    REGISTERED = "registered", _("Entered in the complaint register")
    INVESTIGATED = "investigated", _("Investigation updated")
    IMPROVEMENT = "improvement", _("Improvement task")
    PROPOSAL = "proposal", _("Resolution proposed")
    PROPOSAL_DECIDED = "proposal_decided", _("The customer decided on a proposal")
    ACTION_ITEM = "action_item", _("Joint action")
    COMPENSATION = "compensation", _("Compensation")
    RESOLVE_OVERRIDE = "resolve_override", _("Resolved without investigation")
    REVIEW = "review", _("Review")
    PORTAL = "portal", _("Customer view")
    RATED = "rated", _("The customer rated the case")


class Visibility(models.TextChoices):
    CUSTOMER = "customer", _("Visible to the customer")
    INTERNAL = "internal", _("Internal")


class AppendOnlyError(Exception):
    """Events are the audit trail: they are never edited or deleted."""


class EventQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("events are append-only")

    def for_customer(self) -> EventQuerySet:
        return self.filter(visibility=Visibility.CUSTOMER)


class Event(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices, db_index=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["case", "at"]),
            # The dashboard's commitments kept: a promise's first fulfilling event is one probe.
            models.Index(
                fields=["case", "at"],
                condition=Q(kind__in=["reply", "state_changed"]),
                name="event_fulfils_idx",
            ),
            # ... and the promises themselves, read from the index alone.
            models.Index(
                fields=["case"],
                include=["at", "data"],
                condition=Q(kind__in=["received", "commitment_set"]),
                name="event_promise_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("events are append-only")

    @property
    def is_customer_visible(self) -> bool:
        return self.visibility == Visibility.CUSTOMER
