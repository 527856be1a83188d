"""The API's own ceiling on a request body (AMENDS_API_MAX_BODY_MB), instead of Django's
DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), which stays the ceiling for every web page.

A complaint posted as JSON carries its attachments in base64, so it needs room for what the
intake accepts from every other channel. A body over the ceiling gets a JSON 413 and is not read.
"""

from __future__ import annotations

import math
from io import BytesIO

from django.conf import settings
from django.http import HttpRequest
from django.http.request import UnreadablePostError
from django.utils.translation import gettext as _

from amends.intake.complaint import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_TEXT_CHARS

MB = 1024 * 1024
# The schema's own bounds on the other free-text fields (requested_remedy, subject, name, ...).
_OTHER_TEXT_CHARS = 10_000 + 1_000
# JSON may escape a character as \uXXXX (6 bytes); the field names and the rest fit in 64 KB.
_JSON_BYTES_PER_CHAR = 6
_ENVELOPE_BYTES = 64 * 1024


class BodyTooLarge(Exception):
    """The request body is over the API's ceiling; the message is for the caller."""


def default_max_body_mb() -> int:
    """Room for the most the intake accepts: MAX_ATTACHMENTS files of MAX_ATTACHMENT_BYTES in
    base64 (4 characters for every 3 bytes), the longest texts JSON-escaped, and the envelope."""
    attachments = MAX_ATTACHMENTS * ((MAX_ATTACHMENT_BYTES + 2) // 3 * 4 + 1024)
    text = _JSON_BYTES_PER_CHAR * (MAX_TEXT_CHARS + _OTHER_TEXT_CHARS)
    return math.ceil((attachments + text + _ENVELOPE_BYTES) / MB)


def max_body_bytes() -> int:
    """The ceiling now: read per request, so tests and operators can change the setting."""
    mb = getattr(settings, "AMENDS_API_MAX_BODY_MB", None) or default_max_body_mb()
    return int(mb) * MB


def _too_large(limit: int) -> BodyTooLarge:
    return BodyTooLarge(
        _(
            "The request is too large: at most %(limit)s MB, attachments included. "
            "Send fewer or smaller attachments."
        )
        % {"limit": limit // MB}
    )


def read_within_limit(request: HttpRequest) -> None:
    """Refuse a body over the API's ceiling, and read one Django would refuse as too big.

    Called before authentication (Django Ninja offers no later hook before it reads the body),
    so a body Django would read anyway (up to DATA_UPLOAD_MAX_MEMORY_SIZE) is left for it to
    read lazily, after the credentials are checked.
    """
    limit = max_body_bytes()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0  # as Django's WSGI handler reads it: no body
    if declared > limit:
        raise _too_large(limit)
    django_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if django_limit is None or declared <= django_limit or hasattr(request, "_body"):
        return
    # As HttpRequest.body reads it, with our ceiling: one byte past it tells an understated
    # Content-Length; the body is then kept where request.body (Ninja's parser) finds it.
    try:
        data = request.read(limit + 1)
    except OSError as exc:
        raise UnreadablePostError(*exc.args) from exc
    finally:
        request._stream.close()
    if len(data) > limit:
        raise _too_large(limit)
    request._body = data
    request._stream = BytesIO(data)
