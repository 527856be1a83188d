"""The JSON API: one NinjaAPI with token or session auth, a rate limit and uniform `{"error": ...}` errors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as SchemaValidationError

from amends.api.activity import router as activity_router
from amends.api.auth import StaffSessionAuth, TokenAuth
from amends.api.body import BodyTooLarge, read_within_limit
from amends.api.cases import router as cases_router
from amends.api.complaints import router as complaints_router
from amends.api.throttle import ApiRateThrottle

DESCRIPTION = """
The Amends complaint desk over HTTP: open cases, list and filter them, move them through their
states, hand them over, promise the next step and read the timeline; and record complaints from
other systems (`POST /api/complaints`, safe to retry with an `Idempotency-Key` header). It calls
the same services as the staff pages, so it can do exactly what a staff member can.

**Authentication.** Send `Authorization: Bearer am_...` with a token from
`amends token create USERNAME --name NAME`. A logged-in staff session also works (this page);
unsafe methods then need the CSRF token.

**Errors** are JSON `{"error": "...", "details": [...]}`: 400 for a request the desk refuses
(an illegal transition, a commitment after the statutory deadline, malformed JSON), 401 without
valid credentials, 403 when the caller may see but not change a case, 404 for a case that does
not exist or is not visible, 409 for an `Idempotency-Key` reused for a different complaint, 413
for a body over the server's limit (`AMENDS_API_MAX_BODY_MB`; by default room for ten 10 MB
attachments), 422 for a body or query that does not match the schema (or a complaint the desk
cannot accept), 429 when the rate limit is hit. A refused request changes nothing.
"""

api = NinjaAPI(
    title="Amends API",
    version="1",
    description=DESCRIPTION,
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
    auth=[TokenAuth(), StaffSessionAuth()],
    throttle=[ApiRateThrottle()],
    openapi_extra={
        "tags": [
            {"name": "cases", "description": "Complaint cases and their timeline."},
            {
                "name": "complaints",
                "description": "Complaints from other systems, received like the web form's.",
            },
        ]
    },
)
api.add_router("/", cases_router)
api.add_router("/", complaints_router)
api.add_router("/", activity_router)


def _error(
    request: HttpRequest, status: int, message: str, details: list[Any] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {"error": message}
    if details is not None:
        body["details"] = details
    return api.create_response(request, body, status=status)


def _limit_body(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every operation reads its body within the API's ceiling, not Django's form limit."""

    @functools.wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            read_within_limit(request)
        except BodyTooLarge as exc:
            return _error(request, 413, str(exc))
        return run(request, *args, **kwargs)

    return checked


api.add_decorator(_limit_body, mode="view")


@api.exception_handler(DjangoValidationError)
def refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    messages = [str(m) for m in exc.messages]
    return _error(request, 400, " ".join(messages) or "invalid request", messages)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not found")


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "forbidden")


@api.exception_handler(SchemaValidationError)
def invalid(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    # Keep only plain fields: pydantic's `ctx` can hold exception objects that are not JSON.
    details = [
        {
            "loc": list(e.get("loc", ())),
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors
    ]
    return _error(request, 422, "invalid request", details)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = exc.message
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        message = "The request body is not valid JSON."
    elif isinstance(exc, AuthenticationError) and message == "Unauthorized":
        message = "Authentication required: send Authorization: Bearer <token>."
    elif isinstance(exc, Throttled):
        message = "Too many requests: slow down and retry later."
    response = _error(request, exc.status_code, message)
    if exc.status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="amends"'
    return response
