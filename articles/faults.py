"""
Error handlers (kyphoinfo/urls.py) for what fails on our side, or in the request.

Django calls `handler500` from inside the `except` block of any exception a
view or a middleware raised, so the exception is still at hand: an unreachable
database gets a 503 "try again in a minute" page instead of the 500 page, for
patient pages and, in the admin's own style, for editors.

These pages are rendered from a plain context, without context processors:
the session and the user live in the database, and a request can be bad
precisely because of what a context processor reads (a Host header we do not
serve makes build_absolute_uri() raise).
"""

import sys

from django.conf import settings
from django.contrib import admin
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views import defaults

# Refused, lost or timed-out connections, "too many clients", a locked SQLite
# file: errors that a retry a minute later is likely not to meet again.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)

RETRY_AFTER_SECONDS = 60


def bad_request(request, exception):
    """handler400: templates/400.html, from the plain context (see above)."""
    return HttpResponseBadRequest(
        loader.render_to_string("400.html", patient_page_context(request))
    )


def server_error(request):
    """handler500: the 503 page for an unreachable database, else Django's 500 page."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE_ERRORS):
        return service_unavailable(request)
    return defaults.server_error(request)


def service_unavailable(request):
    """The 503 page, never cached."""
    if request.path.startswith(reverse("admin:index")):
        template_name = "admin/503.html"
        context = {
            "site_header": admin.site.site_header,
            "site_title": admin.site.site_title,
        }
    else:
        template_name = "503.html"
        context = patient_page_context(request)
    response = HttpResponse(loader.render_to_string(template_name, context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def patient_page_context(request):
    """What base.html needs, from settings and the path alone."""
    return {"site_name": settings.SITE_NAME, "canonical_url": request.path}
