"""
Sign-in throttling (django-axes): who the client is, and what a locked-out one sees.

settings.AXES_* configure the rules: after a number of failed sign-ins for one
username, or from one address, signing in is paused for the cool-off time.
Axes calls `client_ip` for the address and `lockout_response` for the page.
"""

import ipaddress
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import admin
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def client_ip(request):
    """
    The address the request came from.

    REMOTE_ADDR, unless settings.TRUSTED_PROXY_COUNT proxies stand in front of
    us: then the address the outermost of them saw, which it appended to
    X-Forwarded-For. Entries further left are whatever the client claimed.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote_addr
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    forwarded = [address.strip() for address in forwarded if address.strip()]
    if len(forwarded) < count:
        return remote_addr
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote_addr


def retry_at(request, credentials):
    """When the pause ends at the latest: the newest counted failure plus the cool-off."""
    cool_off = get_cool_off(request)
    attempts = AxesDatabaseHandler().get_user_attempts(request, credentials)
    newest = [
        time
        for queryset in attempts
        if (time := queryset.aggregate(newest=Max("attempt_time"))["newest"])
    ]
    return max(newest, default=timezone.now()) + cool_off


def lockout_response(request, original_response=None, credentials=None):
    """The "signing in is paused" page, in the admin's design: 429 with Retry-After."""
    until = retry_at(request, credentials)
    context = {
        **admin.site.each_context(request),
        "title": _("Signing in is paused"),
        # Like the login page: no navigation for someone not signed in.
        "is_nav_sidebar_enabled": False,
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "retry_at": until,
    }
    response = render(request, "admin/locked_out.html", context, status=429)
    seconds = (until - timezone.now()).total_seconds()
    response["Retry-After"] = str(max(math.ceil(seconds), 0))
    return response
