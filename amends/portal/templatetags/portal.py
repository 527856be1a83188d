"""The staff's panel for the customer's view: the case's current link and who may revoke it."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from amends.portal.access import can_revoke_links
from amends.portal.links import portal_url

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_staff_link(context: template.Context, case: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "url": portal_url(case),
        "days": settings.AMENDS_PORTAL_LINK_DAYS,
        "can_revoke": user is not None and user.is_authenticated and can_revoke_links(user, case),
    }
