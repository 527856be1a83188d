"""Who is calling the API: a bearer token (`Authorization: Bearer am_...`) or a staff session."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from amends.accounts.models import ApiToken, User

# Writing last_used_at on every call would turn each read into a write; once a minute is plenty.
TOUCH_EVERY = timedelta(minutes=1)


class ApiRequest(HttpRequest):
    """A request that passed authentication: `auth` is the staff member calling."""

    auth: User


class TokenAuth(HttpBearer):
    """A bearer token. A token that is sent but unknown or revoked is refused outright (401)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = ApiToken.objects.for_key(token.strip()) if token.strip() else None
        if api_token is None:
            raise AuthenticationError(message="The API token is invalid or revoked.")
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at >= TOUCH_EVERY:
            # Conditional update: concurrent calls write it once.
            ApiToken.objects.filter(pk=api_token.pk).filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_EVERY)
            ).update(last_used_at=now)
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class StaffSessionAuth(APIKeyCookie):
    """The logged-in browser session, so /api/docs works for staff; unsafe methods need the CSRF token."""

    def __init__(self) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        # Without a session cookie there is nothing to check: let the caller get a 401, not a CSRF 403.
        if self.param_name not in request.COOKIES:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if user.is_authenticated and user.is_active:
            return user
        return None
