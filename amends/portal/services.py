"""Verbs of the customer's view: staff revoke a case's links; the customer rates the case.

The customer's other actions go through the verbs that own them: messages through
`amends.intake.services.receive`, decisions and action items through
`amends.resolution.services`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.cases.events import record_event
from amends.cases.models import Case, Channel, EventKind, State, Visibility
from amends.portal.models import PortalAccess, SatisfactionRating
from amends.resolution import services as resolution_services
from amends.resolution.models import ActionItem, RemedyOption

MAX_COMMENT_CHARS = 5_000


def revoke_links(case: Case, *, actor: Any) -> PortalAccess:
    """Make every link of the case given so far stop working; later e-mails carry a new one."""
    with transaction.atomic():
        access, _created = PortalAccess.objects.select_for_update().get_or_create(case=case)
        access.version += 1
        access.revoked_at = timezone.now()
        access.save(update_fields=["version", "revoked_at"])
        record_event(
            case, kind=EventKind.PORTAL, actor=actor, data={"revoked_version": access.version - 1}
        )
    return access


def decide(option: RemedyOption, *, decision: str) -> RemedyOption:
    """The customer accepts or declines an option. Sending the same answer again (a double
    click, a reload) changes nothing; a different answer to a decided option is refused."""
    option.refresh_from_db(fields=["decision"])
    if option.decision == decision:
        return option
    return resolution_services.decide_option(option, decision=decision, via=Channel.PORTAL)


def complete(item: ActionItem) -> ActionItem:
    """The customer marks their own action done; again changes nothing."""
    item.refresh_from_db(fields=["done_at"])
    if item.done_at is not None:
        return item
    return resolution_services.complete_action_item(item, via=Channel.PORTAL)


def rate(case: Case, *, outcome: int, service: int, comment: str = "") -> SatisfactionRating:
    """The customer's rating of a closed case: the outcome and our service, 1 to 5 each.

    One rating per case; giving it again changes it (the link's holder is the customer). Each
    rating given is a RATED event, so insights see changes too. The same scores again change
    nothing.
    """
    if not (1 <= outcome <= 5 and 1 <= service <= 5):
        raise ValidationError(_("Choose from 1 to 5 stars for each question."))
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise ValidationError(
            _("The comment is too long (at most %(limit)s characters).")
            % {"limit": MAX_COMMENT_CHARS}
        )
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.state != State.CLOSED:
            raise ValidationError(_("You can rate your case once it is closed."))
        now = timezone.now()
        rating = SatisfactionRating.objects.filter(case=case).first()
        if rating is None:
            rating = SatisfactionRating.objects.create(
                case=case, outcome=outcome, service=service, comment=comment, rated_at=now
            )
        elif (rating.outcome, rating.service, rating.comment) == (outcome, service, comment):
            return rating
        else:
            rating.outcome, rating.service, rating.comment = outcome, service, comment
            rating.changed_at = now
            rating.save(update_fields=["outcome", "service", "comment", "changed_at"])
        record_event(
            case,
            kind=EventKind.RATED,
            visibility=Visibility.CUSTOMER,
            data={
                "outcome": outcome,
                "service": service,
                "comment": comment,
                "changed": rating.changed_at is not None,
            },
            at=now,
        )
    return rating
