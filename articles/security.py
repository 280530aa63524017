"""
The Content-Security-Policy of the editors' side of the site.

Patient pages get the strict policy of settings.CONTENT_SECURITY_POLICY. The
admin, and the image upload that CKEditor calls from it, get that policy plus
the allowances below, and no other path does.
"""

from csp.constants import SELF, UNSAFE_HASHES, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.urls import reverse

# What the admin needs on top of the patient policy: each allowance was found
# by loading the admin with CKEditor 5 in Chromium and watching for violations
# (tests/browser/test_csp.py).
ADMIN_POLICY_UPDATE = {
    # CKEditor writes style attributes; so do the admin's own widgets, and the
    # share, handout, dashboard and history pages have <style> elements.
    "style-src": [UNSAFE_INLINE],
    # CKEditor shows an image from a data: address while it is being uploaded.
    "img-src": ["data:"],
    # CKEditor sends uploads with XMLHttpRequest.
    "connect-src": [SELF],
    # The handout's Print button, onclick="window.print()", and no other handler.
    "script-src-attr": [
        UNSAFE_HASHES,
        "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='",
    ],
}


def is_admin_path(request):
    """True under the admin (its password pages included) and at the editor's upload."""
    return request.path.startswith(
        (reverse("admin:index"), reverse("editor_image_upload"))
    )


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, adding the admin's allowances on admin paths."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        # A view decorated with @csp_update keeps its own update.
        if not report_only and parts.update is None and is_admin_path(request):
            parts.update = ADMIN_POLICY_UPDATE
        return parts
