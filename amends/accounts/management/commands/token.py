"""`amends token create|list|revoke`: API tokens for the JSON API. A key is printed once, then only its digest is kept."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from amends.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Create, list and revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{create,list,revoke}"
        )
        create = actions.add_parser(
            "create", help="Issue a token for a staff member and print its key once."
        )
        create.add_argument("username")
        create.add_argument(
            "--name", required=True, help="What the token is for, e.g. 'shop integration'."
        )
        listing = actions.add_parser("list", help="List tokens (never their keys).")
        listing.add_argument("username", nargs="?", help="Only this user's tokens.")
        revoke = actions.add_parser("revoke", help="Revoke a token by its id or its key prefix.")
        revoke.add_argument("token", help="The id shown by `list`, or the prefix (am_...).")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self.create(options["username"], options["name"])
        elif action == "list":
            self.list(options.get("username"))
        else:
            self.revoke(options["token"])

    def create(self, username: str, name: str) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username} is not active.")
        name = name.strip()
        if not name:
            raise CommandError("A token needs a name.")
        token, key = ApiToken.issue(user, name)
        self.stdout.write(key)
        self.stderr.write(f"Token {token.pk} for {username}. The key is shown once: store it now.")

    def list(self, username: str | None) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "pk")
        if username:
            tokens = tokens.filter(user__username=username)
        for token in tokens:
            used = (
                timezone.localtime(token.last_used_at).isoformat(timespec="minutes")
                if token.last_used_at
                else "never"
            )
            created = timezone.localtime(token.created_at).isoformat(timespec="minutes")
            self.stdout.write(
                f"{token.pk}\t{token.user.username}\t{token.prefix}…\t{token.name}\tcreated {created}\tlast used {used}"
            )

    def revoke(self, ref: str) -> None:
        tokens = (
            ApiToken.objects.filter(pk=int(ref))
            if ref.isdigit()
            else ApiToken.objects.filter(prefix=ref[:8])
        )
        if len(ref) < 8 and not ref.isdigit():
            raise CommandError("Give the token's id or its full 8-character prefix.")
        found = list(tokens[:2])
        if not found:
            raise CommandError(f"No token {ref!r}.")
        if len(found) > 1:
            raise CommandError(f"More than one token starts with {ref!r}; revoke it by id.")
        token = found[0]
        pk = token.pk
        token.delete()
        self.stdout.write(f"Revoked token {pk} ({token.name}) of {token.user.username}.")
