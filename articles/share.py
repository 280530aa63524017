"""
Branded short links: /p/<practice>/<guide>/ and /p/<practice>/<guide>/<article>/
show the normal patient page closed by that practice's details, follow renames
through the Redirect table, and count how often they are opened (counts only).
"""

import datetime
import io
import re
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from . import content_version
from .languages import guide_versions
from .models import Article, Guide, Practice, Redirect, ReferralCount
from .views import ArticleDetailView, GuideDetailView

# Crawlers, link checkers, chat-app link previews and scripts open links without
# a patient behind them; an empty user agent is never a patient's browser either.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|embedly|whatsapp|"
    r"curl|wget|python-requests|python-urllib|httpx|aiohttp|go-http-client|"
    r"okhttp|java/|libwww|scrapy|headless|phantomjs|lighthouse|pingdom|monitor",
    re.IGNORECASE,
)


# The short link of each kind of patient page.
SHORT_LINK_VIEWS = {
    "articles:guide": "share:guide",
    "articles:article": "share:article",
}


def is_bot(request):
    user_agent = request.headers.get("User-Agent", "").strip()
    return not user_agent or BOT_USER_AGENT.search(user_agent) is not None


def counts_as_opening(request):
    """A patient's browser loading a short link; not HEAD, and not a bot."""
    return request.method == "GET" and not is_bot(request)


# --- Links --------------------------------------------------------------------


def short_link(practice, page):
    """The path of `page` (a guide or an article) branded for `practice`."""
    if isinstance(page, Article):
        return reverse(
            "share:article",
            kwargs={
                "practice_slug": practice.slug,
                "guide_slug": page.guide.slug,
                "article_slug": page.slug,
            },
        )
    return reverse(
        "share:guide",
        kwargs={"practice_slug": practice.slug, "guide_slug": page.slug},
    )


def share_key(page):
    """How a guide or article is named in admin URLs: 'guide-3', 'article-12'."""
    return f"{page._meta.model_name}-{page.pk}"


def referral_target(page):
    """How a guide or article is named in ReferralCount: 'guide:3', 'article:12'."""
    return f"{page._meta.model_name}:{page.pk}"


def shared_pages():
    """
    Published guides that short links can show, each with its published
    articles in order: the site's languages in turn, each guide followed by
    its translations.
    """
    guides = Guide.objects.published().prefetch_related(
        Prefetch(
            "articles",
            queryset=Article.objects.published().order_by("position"),
            to_attr="published_articles",
        )
    )
    languages = [code for code, _name in settings.LANGUAGES]
    return sorted(
        guides,
        key=lambda guide: (
            languages.index(guide.language) if guide.language in languages else 99,
            guide.position,
            guide.title,
        ),
    )


def shared_page(key):
    """The published guide or article named by a share key such as 'guide-3', or None."""
    kind, _sep, pk = key.partition("-")
    if not pk.isdigit():
        return None
    if kind == "guide":
        return Guide.objects.published().filter(pk=pk).first()
    if kind == "article":
        return (
            Article.objects.published()
            .filter(pk=pk)
            .filter(guide__language=F("language"))
            .select_related("guide")
            .first()
        )
    return None


def followed_redirect(old_path):
    """
    (new_path, resolver match) of an internal redirect that the Redirect table
    holds for old_path, or None. Chains are collapsed when stored: one hop.
    """
    new_path = (
        Redirect.objects.filter(old_path=old_path, is_external=False)
        .values_list("new_path", flat=True)
        .first()
    )
    if new_path is None:
        return None
    path = urlsplit(new_path).path
    try:
        # Resolved in the language of its prefix: /es/guias/… only resolves in Spanish.
        with translation.override(
            translation.get_language_from_path(path) or settings.LANGUAGE_CODE
        ):
            return new_path, resolve(path)
    except Resolver404:
        return None


# --- QR codes -----------------------------------------------------------------


def qr_code(url):
    # Never a Micro QR code (segno.make may choose one): many phone cameras cannot read them.
    return segno.make_qr(url, error="m")


def qr_svg_inline(url, title):
    """The QR code of url as an <svg> element for an HTML page, sized by CSS."""
    svg = qr_code(url).svg_inline(
        scale=4, dark="#000", light="#fff", title=title, omitsize=True
    )
    # segno escapes the title and writes nothing else that comes from us.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


def qr_svg_file(url, title):
    """The QR code of url as a standalone SVG file (bytes)."""
    buffer = io.BytesIO()
    qr_code(url).save(
        buffer, kind="svg", scale=10, dark="#000", light="#fff", title=title
    )
    return buffer.getvalue()


# --- Referral counts ----------------------------------------------------------


def week_start(day):
    """The Monday of day's week."""
    return day - datetime.timedelta(days=day.weekday())


def recent_weeks(count, today=None):
    """The Mondays of the last `count` weeks, oldest first, the current week last."""
    this_week = week_start(today or timezone.localdate())
    return [this_week - datetime.timedelta(weeks=n) for n in reversed(range(count))]


def count_open(practice, page, today=None):
    """
    One more opening of practice's short link to page this week. Only the
    count is stored: nothing about who opened it.
    """
    count_referral(practice.pk, referral_target(page), today)


def count_referral(practice_id, target, today=None):
    """count_open() by ids, for a page served from the page cache."""
    row = {
        "practice_id": practice_id,
        "target": target,
        "week": week_start(today or timezone.localdate()),
    }
    counts = ReferralCount.objects.filter(**row)
    if counts.update(opens=F("opens") + 1):
        return
    try:
        with transaction.atomic():
            ReferralCount.objects.create(**row, opens=1)
    except IntegrityError:
        # Another request created this week's row between our update and create.
        counts.update(opens=F("opens") + 1)


def weekly_opens(practice, weeks):
    """{(target, week): opens} of practice's short links in the given weeks."""
    return {
        (target, week): opens
        for target, week, opens in ReferralCount.objects.filter(
            practice=practice, week__in=weeks
        ).values_list("target", "week", "opens")
    }


# --- Branded pages ------------------------------------------------------------


def guide_language(slug, version=None):
    """
    The language of the guide a short link names by its slug: short links
    carry no language prefix, and guides' slugs differ between languages.
    Where two languages share a slug, the site's default language wins.
    """

    def look_up():
        languages = set(
            Guide.objects.filter(slug=slug).values_list("language", flat=True)
        )
        if not languages or settings.LANGUAGE_CODE in languages:
            return settings.LANGUAGE_CODE
        return min(languages)

    return content_version.derived(version, ("guide-language", slug), look_up)


class BrandedPageMixin:
    """
    A patient page rendered at its short link, in its guide's language, with
    the branding practice's details. No cookie or session is touched, so the
    response depends on the URL alone and can be cached per URL.
    """

    canonical_view_name = None  # the unbranded page, e.g. "articles:guide"

    def dispatch(self, request, *args, **kwargs):
        self.language = guide_language(
            self.kwargs["guide_slug"], content_version.current_or_none()
        )
        with translation.override(self.language):
            self.practice = (
                Practice.objects.filter(slug=self.kwargs["practice_slug"])
                .prefetch_related("locations")
                .first()
            )
            if self.practice is None:
                # 302, not 301: a recovered practice makes its links branded again.
                return self.moved_practice() or HttpResponseRedirect(
                    self.canonical_path()
                )
            try:
                response = super().dispatch(request, *args, **kwargs)
            except Http404:
                moved = self.moved_page()
                if moved is None:
                    raise
                return moved
            if hasattr(response, "render"):
                response.render()  # while the page's language is active
            response.headers["Content-Language"] = self.language
        if response.status_code == 200:
            # The page cache counts later openings of this response's copies.
            response.referral = (self.practice.pk, referral_target(self.object))
            if counts_as_opening(request):
                count_open(self.practice, self.object)
        return response

    def page_kwargs(self):
        return {
            name: value
            for name, value in self.kwargs.items()
            if name != "practice_slug"
        }

    def canonical_path(self):
        with translation.override(getattr(self, "language", settings.LANGUAGE_CODE)):
            return reverse(self.canonical_view_name, kwargs=self.page_kwargs())

    def moved_practice(self):
        """301 to the same short link under the practice's new slug, if it was renamed."""
        with translation.override(settings.LANGUAGE_CODE):
            old_path = reverse(
                "articles:practice", kwargs={"slug": self.kwargs["practice_slug"]}
            )
        followed = followed_redirect(old_path)
        if followed is None or followed[1].view_name != "articles:practice":
            return None
        new_slug = followed[1].kwargs["slug"]
        if not Practice.objects.filter(slug=new_slug).exists():
            return None
        return HttpResponsePermanentRedirect(
            reverse(
                SHORT_LINK_VIEWS[self.canonical_view_name],
                kwargs={**self.kwargs, "practice_slug": new_slug},
            )
        )

    def moved_page(self):
        """
        301 to the current short link of a renamed or moved guide or article,
        or to wherever else its unbranded page now redirects.
        """
        followed = followed_redirect(self.canonical_path())
        if followed is None:
            return None
        new_path, match = followed
        if match.view_name in SHORT_LINK_VIEWS:
            return HttpResponsePermanentRedirect(
                reverse(
                    SHORT_LINK_VIEWS[match.view_name],
                    kwargs={"practice_slug": self.practice.slug, **match.kwargs},
                )
            )
        if urlsplit(new_path).path == self.request.path:
            return None  # a hand-made redirect back to this very link
        return HttpResponsePermanentRedirect(new_path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Search engines see one page: the unbranded one.
        context["canonical_url"] = self.request.build_absolute_uri(
            self.object.get_absolute_url()
        )
        context["cta_practice"] = self.practice
        # The unbranded page declares the alternates; the switcher stays branded.
        context["alternates"], context["default_alternate"] = [], ""
        return context

    def branded_versions(self, pages):
        """{language: short link} for {language: guide or article}."""
        return {code: short_link(self.practice, page) for code, page in pages.items()}


class BrandedGuideView(BrandedPageMixin, GuideDetailView):
    canonical_view_name = "articles:guide"

    def get_language_versions(self):
        return self.branded_versions(guide_versions(self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for article in context["articles"]:
            article.short_link = short_link(self.practice, article)
        context["article_card_template"] = "articles/branded_article_card.html"
        return context


class BrandedArticleView(BrandedPageMixin, ArticleDetailView):
    canonical_view_name = "articles:article"

    @property
    def fact_practice(self):
        """The practice's own facts, signed off by its doctor, for its patients."""
        return self.practice

    def get_language_versions(self):
        return self.branded_versions(self.versions_and_fallbacks()[0])

    def get_language_fallbacks(self):
        return self.branded_versions(self.versions_and_fallbacks()[1])

    def get_context_data(self, **kwargs):
        # ArticleDetailView's context, in which the branding practice replaces the
        # article's own as cta_practice (what article_page_context(practice=...)
        # returns) without querying the reading path a second time.
        context = super().get_context_data(**kwargs)
        neighbours = {
            "previous_url": context["previous_article"],
            "next_url": context["next_article"],
        }
        for name, neighbour in neighbours.items():
            if neighbour is not None:
                context[name] = short_link(self.practice, neighbour)
        context["guide_url"] = short_link(self.practice, self.object.guide)
        return context
