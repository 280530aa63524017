"""
"Share with patients" on a practice: its short links, their QR codes, printable
handouts and how often each link was opened per week.
"""

import re
from dataclasses import dataclass

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .admin_facts import fact_notices
from .models import Article
from .share import (
    qr_svg_file,
    qr_svg_inline,
    recent_weeks,
    referral_target,
    share_key,
    shared_page,
    shared_pages,
    short_link,
    weekly_opens,
)

PAPER_SIZES = {"a4": "A4", "letter": "letter"}


@dataclass
class SharedLink:
    """One guide or article as the Share page lists it."""

    page: object
    key: str
    short_url: str
    qr_url: str
    handout_url: str
    download_name: str
    opens: list


def qr_title(page, short_url):
    return _("QR code for “%(title)s”: %(url)s") % {
        "title": page.title,
        "url": short_url,
    }


class PracticeShareAdminMixin:
    """Adds the Share page, QR code downloads and handouts to a practice's admin."""

    share_weeks = 8

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/share/",
                self.admin_site.admin_view(self.share_view),
                name=f"{prefix}_share",
            ),
            path(
                "<path:object_id>/share/qr/<slug:target>.svg",
                self.admin_site.admin_view(self.share_qr_view),
                name=f"{prefix}_share_qr",
            ),
            path(
                "<path:object_id>/share/handout/<slug:target>/",
                self.admin_site.admin_view(self.share_handout_view),
                name=f"{prefix}_share_handout",
            ),
        ] + super().get_urls()

    def shared_practice(self, request, object_id):
        """The practice of a share URL, if the user may view it (get_object scopes it)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        practice = self.get_object(request, unquote(object_id))
        if practice is None:
            raise Http404
        if not self.has_view_or_change_permission(request, practice):
            raise PermissionDenied
        return practice

    def shared_link(self, request, practice, page, opens):
        url_name = f"admin:{self.opts.app_label}_{self.opts.model_name}_share"
        key = share_key(page)
        args = [practice.pk, key]
        return SharedLink(
            page=page,
            key=key,
            short_url=request.build_absolute_uri(short_link(practice, page)),
            qr_url=reverse(f"{url_name}_qr", args=args),
            handout_url=reverse(f"{url_name}_handout", args=args),
            download_name=f"qr-{practice.slug}-{key}.svg",
            opens=opens,
        )

    def share_view(self, request, object_id):
        practice = self.shared_practice(request, object_id)
        weeks = recent_weeks(self.share_weeks)
        counts = weekly_opens(practice, weeks)
        guides = []
        for guide in shared_pages():
            links = []
            for page in [guide, *guide.published_articles]:
                opens = [counts.get((referral_target(page), week), 0) for week in weeks]
                links.append(self.shared_link(request, practice, page, opens))
            guides.append((guide, links))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": practice,
            "title": _("Share with patients: %(practice)s") % {"practice": practice},
            "guides": guides,
            "weeks": weeks,
            # Facts the practice states itself, which the shared guide changed since.
            "notices": fact_notices(request.user, [practice]),
            "next_url": request.get_full_path(),
        }
        return TemplateResponse(request, "admin/articles/practice/share.html", context)

    def share_qr_view(self, request, object_id, target):
        practice = self.shared_practice(request, object_id)
        page = shared_page(target)
        if page is None:
            raise Http404
        short_url = request.build_absolute_uri(short_link(practice, page))
        return HttpResponse(
            qr_svg_file(short_url, qr_title(page, short_url)),
            content_type="image/svg+xml",
        )

    def share_handout_view(self, request, object_id, target):
        practice = self.shared_practice(request, object_id)
        page = shared_page(target)
        if page is None:
            raise Http404
        is_article = isinstance(page, Article)
        paper = "letter" if request.GET.get("paper") == "letter" else "a4"
        short_url = request.build_absolute_uri(short_link(practice, page))
        # A handout is for patients: in the language of the page it links to.
        with translation.override(page.language):
            context = {
                "practice": practice,
                "page": page,
                "guide": page.guide if is_article else None,
                "summary": page.teaser if is_article else page.summary,
                "short_url": short_url,
                # Printed addresses wrap after a slash, not inside a word.
                "short_url_parts": re.split(r"(?<=[^/]/)(?=[^/])", short_url),
                "qr_svg": qr_svg_inline(short_url, qr_title(page, short_url)),
                "paper": paper,
                "page_size": PAPER_SIZES[paper],
            }
            return TemplateResponse(
                request, "admin/articles/practice/handout.html", context
            ).render()
