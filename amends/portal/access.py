"""What the holder of a case's link may touch: only that case's proposal options and the
customer's own action items. Anything else is "not found", like a wrong link."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from amends.cases.models import Case
from amends.resolution.models import ActionItem, Party, RemedyOption


def case_option(case: Case, option_id: int) -> RemedyOption:
    option = (
        RemedyOption.objects.select_related("proposal")
        .filter(pk=option_id, proposal__case=case)
        .first()
    )
    if option is None:
        raise Http404("No such option")
    return option


def customer_action_item(case: Case, item_id: int) -> ActionItem:
    item = ActionItem.objects.filter(pk=item_id, case=case, party=Party.CUSTOMER).first()
    if item is None:
        raise Http404("No such action item")
    return item


def can_revoke_links(user: Any, case: Case) -> bool:
    """The case's owner and managers may revoke its links (say, a link forwarded by mistake)."""
    if user.is_manager:
        return True
    return bool(case.owner_id == user.pk)
