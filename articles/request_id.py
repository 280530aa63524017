"""
Request ids and log lines that say which request they belong to.

Every response carries an X-Request-ID header, and every line logged while
its request was handled carries the same id, so that a patient's or an
editor's "it failed at 10:42" leads to the right lines. An id set by the
proxy in front is kept when it looks sane, so that its logs and ours match.
"""

import contextvars
import logging
import re
import uuid

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

HEADER = "X-Request-ID"

# UUIDs, hex digests and the like; nothing that could break or forge a log line.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:+/=-]{8,128}")

current_request_id = contextvars.ContextVar("current_request_id", default=None)


class RequestIDMiddleware:
    """Give the request an id (request.id), for its log lines and its response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request.id = (
            incoming if SANE_REQUEST_ID.fullmatch(incoming) else str(uuid.uuid4())
        )
        token = current_request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request.id
        return response


class RequestLogFilter(logging.Filter):
    """
    Adds request_id to every record, and to records about a request (Django
    logs errors with extra={"request": ...}) its method, path and user id.
    """

    def filter(self, record):
        request = getattr(record, "request", None)
        # Django logs 4xx and 5xx responses after the middleware has returned.
        record.request_id = current_request_id.get() or getattr(request, "id", None)
        if request is not None and hasattr(request, "method"):
            record.method = request.method
            record.path = request.path
            # Only a user already loaded: loading one would query the database,
            # which may be the very thing that failed.
            user = getattr(request, "_cached_user", None)
            record.user_id = user.pk if user is not None else None
        return True


class RequestJsonFormatter(JsonFormatter):
    """
    One JSON object per line. The request object Django attaches is left out:
    its headers hold the session cookie, the CSRF token and Authorization, its
    body the passwords; RequestLogFilter copies the harmless parts.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        super().__init__(*args, **kwargs)
