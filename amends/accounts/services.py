"""Staff accounts: creating staff and keeping Django's admin flags in line with the role."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from amends.accounts.models import Role, Team, User

MANAGERS_GROUP = "Managers"
# Managers edit the organisation's settings and reference data in the admin; cases and events
# stay read-only there (they change only through the desk's services).
MANAGER_PERMISSIONS = [
    ("cases", "organisationsettings", ("view", "change")),
    ("cases", "deadlinerulesetting", ("view", "add", "change", "delete")),
    ("cases", "category", ("view", "add", "change")),
    ("cases", "productline", ("view", "add", "change")),
    ("cases", "customer", ("view", "change")),
    ("cases", "case", ("view",)),
    ("cases", "event", ("view",)),
    ("accounts", "team", ("view", "add", "change")),
    ("accounts", "user", ("view",)),
    # Mailboxes hold no secret (the password is an environment variable); quarantined mail is
    # retried or resolved by managers, never deleted.
    ("intake", "mailbox", ("view", "add", "change")),
    ("intake", "quarantinedmail", ("view", "change")),
    ("intake", "acknowledgementrule", ("view", "add", "change", "delete")),
    ("intake", "message", ("view",)),
    ("intake", "registerentry", ("view",)),
    # The cause taxonomy and the approval limits are the managers'; investigations, proposals,
    # the ledger and reviews change only through the desk, so the admin shows them read-only.
    ("resolution", "cause", ("view", "add", "change")),
    ("resolution", "resolutionsettings", ("view", "change")),
    ("resolution", "investigation", ("view",)),
    ("resolution", "fact", ("view",)),
    ("resolution", "improvementtask", ("view",)),
    ("resolution", "proposal", ("view",)),
    ("resolution", "remedyoption", ("view",)),
    ("resolution", "actionitem", ("view",)),
    ("resolution", "compensation", ("view",)),
    ("resolution", "customerreview", ("view",)),
    ("resolution", "internalreview", ("view",)),
    ("resolution", "preventionaction", ("view",)),
    ("resolution", "letgodecision", ("view",)),
    # Revenue is the managers' to enter (the reserve's denominator); activity comes from imports.
    ("insights", "revenueentry", ("view", "add", "change", "delete")),
    ("insights", "customeractivity", ("view",)),
]


def managers_group() -> Group:
    group, _created = Group.objects.get_or_create(name=MANAGERS_GROUP)
    codenames = [
        (app, f"{action}_{model}")
        for app, model, actions in MANAGER_PERMISSIONS
        for action in actions
    ]
    perms = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in codenames
    ]
    group.permissions.set(perms)
    return group


def set_role(user: User, role: str) -> User:
    """Give `user` a role; managers get the admin for settings, admins everything."""
    with transaction.atomic():
        user.role = Role(role)
        user.is_staff = role in (Role.MANAGER, Role.ADMIN)
        user.is_superuser = role == Role.ADMIN
        user.save(update_fields=["role", "is_staff", "is_superuser"])
        if role == Role.MANAGER:
            user.groups.add(managers_group())
        else:
            user.groups.remove(*Group.objects.filter(name=MANAGERS_GROUP))
    return user


def create_staff(
    username: str,
    *,
    password: str,
    first_name: str,
    last_name: str,
    role: str,
    team: Team | None,
    languages: list[str],
    email: str = "",
) -> User:
    user = User.objects.create_user(
        username,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        team=team,
        languages=languages,
    )
    return set_role(user, role)
