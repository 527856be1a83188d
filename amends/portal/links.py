"""The signed links to the customer's view: making them, reading them, revoking them.

A link is `<SITE_URL>/portal/<token>/`; the token is a TimestampSigner signature over the case
id and its PortalAccess version, with the portal's own salt. It stops working after
AMENDS_PORTAL_LINK_DAYS, when tampered with, and when staff revoke the case's links (the
version moves on). Every failure looks the same to the holder, so a link reveals nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.urls import reverse

from amends.cases.models import Case
from amends.portal.models import PortalAccess

SALT = "amends.portal.link"
FIRST_VERSION = 1


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def link_lifetime() -> timedelta:
    return timedelta(days=settings.AMENDS_PORTAL_LINK_DAYS)


def current_version(case: Case) -> int:
    # No row yet: the case's links were never revoked, and they are version 1.
    version = PortalAccess.objects.filter(case=case).values_list("version", flat=True).first()
    return version or FIRST_VERSION


def portal_token(case: Case) -> str:
    return _signer().sign_object({"c": case.pk, "v": current_version(case)}, compress=False)


def portal_path(case: Case) -> str:
    return reverse("portal:case", kwargs={"token": portal_token(case)})


def portal_url(case: Case) -> str:
    """The absolute address of the case's customer view, valid for AMENDS_PORTAL_LINK_DAYS."""
    return f"{settings.SITE_URL}{portal_path(case)}"


def case_for_token(token: str) -> Case | None:
    """The case a link opens, or None if the link is wrong, tampered with, expired or revoked."""
    try:
        value: Any = _signer().unsign_object(token, max_age=link_lifetime())
        case_pk, version = int(value["c"]), int(value["v"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    current = Q(portal_access__version=version)
    if version == FIRST_VERSION:
        current |= Q(portal_access__isnull=True)
    return Case.objects.select_related("customer", "owner").filter(current, pk=case_pk).first()
