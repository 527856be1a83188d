"""What came in and what went out: messages with their attachments, the mailboxes we poll,
the mail we could not read, the acknowledgement policy and the Bulgarian complaint register.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Case, Category, Channel


class Direction(models.TextChoices):
    IN = "in", _("From the customer")
    OUT = "out", _("To the customer")


class Delivery(models.TextChoices):
    """Where an outgoing message is; incoming messages are always RECEIVED."""

    RECEIVED = "received", _("Received")
    DRAFT = "draft", _("Held for the owner")
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    """One message of a case, in either direction, exactly as it came or went.

    `source_key` makes intake idempotent: the same mailbox message, file or form post can be
    offered any number of times and is stored once. `message_id` threads e-mail both ways.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="messages"
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    purpose = models.CharField(_("purpose"), max_length=40, blank=True)
    source_key = models.CharField(_("source"), max_length=300, null=True, blank=True, unique=True)
    message_id = models.CharField(_("Message-ID"), max_length=500, blank=True, db_index=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=500, blank=True)
    references = models.TextField(_("References"), blank=True)
    sender_name = models.CharField(_("sender name"), max_length=200, blank=True)
    sender_email = models.EmailField(_("sender e-mail"), blank=True)
    recipient_email = models.EmailField(_("recipient e-mail"), blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    public_url = models.URLField(_("public address"), max_length=500, blank=True)
    at = models.DateTimeField(_("time"), db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    # Outgoing delivery: queued -> sent, or retried with backoff until it fails for good.
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.RECEIVED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "message_id"],
                condition=~Q(message_id=""),
                name="message_id_once_per_direction",
            ),
        ]
        indexes = [models.Index(fields=["delivery", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.direction} {self.subject or self.body[:40]}"

    @property
    def is_incoming(self) -> bool:
        return self.direction == Direction.IN


class Attachment(models.Model):
    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class Mailbox(models.Model):
    """An IMAP mailbox we poll. The password is read from the environment, never stored."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    host = models.CharField(_("IMAP host"), max_length=200)
    port = models.PositiveIntegerField(_("port"), default=993)
    use_ssl = models.BooleanField(_("TLS"), default=True)
    username = models.CharField(_("user name"), max_length=200)
    password_env = models.CharField(
        _("password variable"),
        max_length=100,
        help_text=_("Name of the environment variable that holds the password or app password."),
    )
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    processed_folder = models.CharField(
        _("move processed mail to"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to only mark processed mail as seen."),
    )
    active = models.BooleanField(_("active"), default=True)
    uidvalidity = models.BigIntegerField(_("UIDVALIDITY"), null=True, blank=True)
    last_uid = models.BigIntegerField(_("last processed UID"), default=0)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return self.name


class QuarantinedMail(models.Model):
    """A message we could not turn into a complaint, kept byte for byte with the reason."""

    mailbox = models.ForeignKey(
        Mailbox, verbose_name=_("mailbox"), null=True, blank=True, on_delete=models.PROTECT
    )
    source_key = models.CharField(_("source"), max_length=300, unique=True)
    message_id = models.CharField(_("Message-ID"), max_length=500, blank=True)
    raw = models.FileField(_("original message"), upload_to="quarantine/%Y/%m/")
    reason = models.TextField(_("reason"))
    at = models.DateTimeField(_("time"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("quarantined message")
        verbose_name_plural = _("quarantined messages")

    def __str__(self) -> str:
        return f"{self.source_key}: {self.reason[:60]}"


class AckAction(models.TextChoices):
    SEND = "send", _("Send at once")
    HOLD = "hold", _("Hold for the owner to edit")


class AcknowledgementRule(models.Model):
    """Whether the automatic acknowledgement goes out at once or waits for the owner.

    The most specific rule wins (channel and category, then category, then channel); with no
    rule the acknowledgement is sent at once.
    """

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE
    )
    action = models.CharField(
        _("action"), max_length=10, choices=AckAction.choices, default=AckAction.SEND
    )

    class Meta:
        verbose_name = _("acknowledgement rule")
        verbose_name_plural = _("acknowledgement rules")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "category"], name="one_ack_rule_per_channel_category"
            ),
            # NULL never equals NULL in a unique index: "any category" needs its own.
            models.UniqueConstraint(
                fields=["channel"],
                condition=Q(category__isnull=True),
                name="one_ack_rule_per_channel_any_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel or '*'} / {self.category or '*'}: {self.action}"


class SubjectKind(models.TextChoices):
    GOODS = "goods", _("Goods")
    SERVICE = "service", _("Service")


class RegisterEntry(models.Model):
    """One line of the Bulgarian complaint register (ЗЗП art. 127, the KZP model columns)."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="register_entry"
    )
    made_at = models.DateTimeField(_("date and time made"))
    consumer_name = models.CharField(_("consumer"), max_length=200)
    consumer_address = models.CharField(_("contact address"), max_length=300)
    description = models.TextField(_("description of the complaint"))
    documents = models.TextField(_("documents attached"), blank=True)
    requested_remedy = models.TextField(_("requested remedy"), blank=True)
    subject_kind = models.CharField(
        _("goods or service"), max_length=10, choices=SubjectKind.choices
    )
    accepted_by = models.CharField(_("accepted by"), max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name = _("register entry")
        verbose_name_plural = _("complaint register")

    def __str__(self) -> str:
        return f"{self.number} {self.consumer_name}"
