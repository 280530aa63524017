import errno
from collections import namedtuple
from itertools import groupby

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView

from . import content_version
from .facts import fact_sheet, fill, practice_overrides, with_placeholders
from .forms import EditorImageUploadForm
from .glossary import mark_terms
from .languages import LanguageVersionsMixin, article_versions, guide_versions
from .models import Article, Doctor, GlossaryTerm, Guide, Location, Practice
from .sanitize import clean_html
from .search import ArticleSearch
from .structured_data import article_data, clinic_data, physician_data


class HomeView(LanguageVersionsMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "guides"

    def get_queryset(self):
        return (
            Guide.objects.published()
            .filter(language=get_language())
            .prefetch_related(
                Prefetch(
                    "articles",
                    queryset=Article.objects.published().order_by("position"),
                    to_attr="published_articles",
                )
            )
        )


class GuideDetailView(LanguageVersionsMixin, DetailView):
    template_name = "articles/guide_detail.html"
    context_object_name = "guide"
    slug_url_kwarg = "guide_slug"

    def get_queryset(self):
        return Guide.objects.published().filter(language=get_language())

    def get_language_versions(self):
        versions = guide_versions(self.object)
        return {code: guide.get_absolute_url() for code, guide in versions.items()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["articles"] = list(
            Article.objects.published()
            .filter(guide=self.object)
            .select_related("guide")
            .order_by("position")
        )
        return context


class GuidePrintView(GuideDetailView):
    """The whole guide on one page, every article in order, for printing."""

    template_name = "articles/guide_print.html"

    def get_language_versions(self):
        return {
            code: guide.get_print_url()
            for code, guide in guide_versions(self.object).items()
        }

    def get_context_data(self, **kwargs):
        # Skip GuideDetailView's article list: this page needs the full articles.
        context = super(GuideDetailView, self).get_context_data(**kwargs)
        context["articles"] = (
            Article.objects.published()
            .filter(guide=self.object)
            .for_page()
            .order_by("position")
        )
        return context


class ArticleDetailView(LanguageVersionsMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        # Kept per content version, and only until the next scheduled publish or
        # unpublish time: whether the article is published depends on the clock.
        key = (
            "published-article",
            get_language(),
            self.kwargs["guide_slug"],
            self.kwargs["article_slug"],
            content_version.schedule_period(self.content_version),
        )
        article = content_version.derived(
            self.content_version,
            key,
            lambda: (
                Article.objects.published()
                .select_related("guide", "hero_image", "reviewed_by", "practice")
                .filter(
                    guide__language=get_language(),
                    guide__slug=self.kwargs["guide_slug"],
                    slug=self.kwargs["article_slug"],
                )
                .first()
            ),
        )
        if article is None:
            raise Http404
        return article

    def get(self, request, *args, **kwargs):
        # Read before the article: what is derived from it and kept for this
        # version can then never be older than the version it is kept under.
        self.content_version = content_version.current_or_none()
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            withdrawn = self.withdrawn_article()
            if withdrawn is None:
                raise
            return render(request, "410.html", {"article": withdrawn}, status=410)

    def withdrawn_article(self):
        """An article patients could read before but no longer can (archived, unpublished)."""
        return (
            Article.objects.filter(
                guide__language=get_language(),
                guide__slug=self.kwargs["guide_slug"],
                slug=self.kwargs["article_slug"],
                first_published_at__lte=timezone.now(),
            )
            .exclude(pk__in=Article.objects.published())
            .select_related("guide")
            .first()
        )

    def get_language_versions(self):
        versions = self.versions_and_fallbacks()[0]
        return {code: page.get_absolute_url() for code, page in versions.items()}

    def get_language_fallbacks(self):
        fallbacks = self.versions_and_fallbacks()[1]
        return {code: page.get_absolute_url() for code, page in fallbacks.items()}

    def versions_and_fallbacks(self):
        key = (
            "article-versions",
            self.object.pk,
            content_version.schedule_period(self.content_version),
        )
        return content_version.derived(
            self.content_version, key, lambda: article_versions(self.object)
        )

    # The practice whose signed-off facts the page shows (short links set it).
    fact_practice = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        children = article_children(article, self.content_version)
        # For the parts of the template kept per version ({% keep %}).
        context["content_version"] = self.content_version
        context["structured_data"] = self.structured_data(
            article, children.steps, children.facts
        )
        context.update(
            article_page_context(
                article,
                steps=children.steps,
                facts=children.facts,
                references=children.references,
                practice=children.practice,
                version=self.content_version,
                fact_practice=self.fact_practice,
            )
        )
        return context

    def structured_data(self, article, steps, facts):
        build = self.request.build_absolute_uri
        url = build(article.get_absolute_url())

        def data():
            image = article.hero_image
            return article_data(
                article,
                url=url,
                steps=steps,
                home_url=build(reverse("articles:home")),
                guide_url=build(article.guide.get_absolute_url()),
                image_url=build(image.file.url) if image else None,
                reviewed_by_url=build(article.reviewed_by.get_absolute_url()),
                fact_values={fact.key: fact.value for fact in facts},
            )

        # Every address in it starts like the page's own, which is in the key.
        return content_version.derived(
            self.content_version,
            ("article-structured-data", article.pk, article.content_updated_at, url),
            data,
        )


ArticleChildren = namedtuple("ArticleChildren", "steps facts references practice")


def article_children(article, version=None):
    """
    An article's steps, facts and references, and its practice with the
    locations the page closes with: four queries, kept for the content version.
    """

    def load():
        if article.practice:
            prefetch_related_objects(
                [article.practice],
                Prefetch("locations", Location.objects.order_by("position", "pk")),
            )
        # Ordered by position alone: Meta.ordering would join the article and
        # guide to sort rows that all belong to this one article.
        return ArticleChildren(
            steps=tuple(article.steps.order_by("position")),
            facts=tuple(article.facts.order_by("position")),
            references=tuple(article.references.order_by("position")),
            practice=article.practice,
        )

    return content_version.derived(
        version,
        (
            "article-children",
            article.pk,
            article.content_updated_at,
            article.practice_id,
        ),
        load,
    )


def article_page_context(
    article,
    steps,
    facts,
    references,
    practice=None,
    version=None,
    fact_practice=None,
):
    """
    What the article template needs besides the article. Shared with the admin
    preview, which passes unsaved steps and an article patients cannot see yet,
    and with branded links, which pass the practice whose details close the page.
    The public pages pass the content version read before the article, to reuse
    the linked text derived from it (the preview passes none: its text is unsaved).
    With fact_practice, the facts are that practice's signed-off values where
    it has them.
    """
    sheet = fact_sheet(
        facts, fact_practice, practice_facts(fact_practice, article, version)
    )
    path = [
        item
        for item in reading_path(article.guide_id, version)
        if item.pk != article.pk
    ]
    index = sum(1 for item in path if item.position < article.position)
    path.insert(index, article)
    return {
        "cta_practice": practice or article.practice,
        "steps": steps,
        "facts": facts,
        "fact_sheet": sheet,
        # Names what the kept article body depends on besides the article.
        "fact_values": tuple(sorted(sheet.values.items())),
        "references": references,
        "part_number": index + 1,
        "part_total": len(path),
        "previous_article": path[index - 1] if index > 0 else None,
        "next_article": path[index + 1] if index + 1 < len(path) else None,
        "rich_text": rich_text_with_glossary(article, steps, version, sheet.values),
    }


def practice_facts(practice, article, version=None):
    """The practice's fact rows for the article (none without a practice), kept per version."""
    if practice is None:
        return ()
    return content_version.derived(
        version,
        ("practice-facts", practice.pk, article.pk),
        lambda: practice_overrides(practice, article),
    )


def reading_path(guide_id, version=None):
    """
    A guide's published articles in order, in one query: "part x of y" and the
    neighbours of each. Kept for the version until the next scheduled change.
    """

    def load():
        return tuple(
            Article.objects.published()
            .filter(guide=guide_id)
            .select_related("guide")
            .only("slug", "title", "teaser", "position", "language", "guide__slug")
            .order_by("position")
        )

    if version is None:
        return load()
    key = ("reading-path", guide_id, content_version.schedule_period(version))
    return content_version.derived(version, key, load)


def rich_text_with_glossary(article, steps, version=None, fact_values=None):
    """
    The article's rich text as the page shows it: cleaned like the richtext
    filter, with the first use of each glossary term on the page linked to it.
    With a content version, kept for that version: cleaning and linking it is
    most of the cost of rendering an article. The facts the text names are
    filled in last, from fact_values ({key: value}), which may differ per practice.
    """
    steps = list(steps)
    # The term links' addresses carry the language prefix of the request.
    key = (
        "article-rich-text",
        article.pk,
        article.content_updated_at,
        tuple(step.pk for step in steps),
        get_language(),
    )
    introduction, step_bodies, closing, safety_notice = content_version.derived(
        version, key, lambda: linked_rich_text(article, steps, version)
    )
    values = fact_values or {}
    return {
        "introduction": fill(introduction, values),
        "steps": [
            (step, fill(body, values))
            for step, body in zip(steps, step_bodies, strict=True)
        ],
        "closing": fill(closing, values),
        "safety_notice": fill(safety_notice, values),
    }


def linked_rich_text(article, steps, version):
    """The cleaned and linked introduction, step bodies, closing and safety notice."""
    terms = glossary_terms(article.language, version)
    seen = set()

    def marked(value):
        # mark_terms copies the cleaned tags and adds only escaped text and its links.
        # Facts become placeholders first, so no term is linked inside one.
        return mark_safe(mark_terms(with_placeholders(clean_html(value)), terms, seen))

    # In page order: the first use on the page is the one that is linked.
    introduction = marked(article.introduction)
    step_bodies = tuple(marked(step.body) for step in steps)
    closing = marked(article.closing)
    safety_notice = marked(article.safety_notice)
    return introduction, step_bodies, closing, safety_notice


def glossary_terms(language, version=None):
    """A language's glossary as mark_terms() takes it, kept for `version` if given."""
    return content_version.derived(
        version,
        ("glossary-terms", language, get_language()),
        lambda: tuple(
            (term.names, term.get_absolute_url(), term.term)
            for term in GlossaryTerm.objects.filter(language=language)
        ),
    )


class GlossaryView(LanguageVersionsMixin, ListView):
    """Every glossary term of the current language, A to Z, with a letter index."""

    template_name = "articles/glossary.html"
    context_object_name = "terms"

    def get_queryset(self):
        return GlossaryTerm.objects.filter(language=get_language())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Sorted here, not by the database, whose collation may put "X-ray" before "bone".
        terms = sorted(self.object_list, key=lambda term: term.term.casefold())
        for term in terms:
            # names is the term, its abbreviation if any, then the "also called" names.
            term.other_names = ", ".join(term.names[2 if term.abbreviation else 1 :])
        context["letters"] = [
            (
                letter,
                f"letter-{letter.lower() if letter.isalpha() else 'other'}",
                list(group),
            )
            for letter, group in groupby(terms, key=initial)
        ]
        return context


def initial(term):
    """The letter a term is listed under in the glossary; "#" for digits and signs."""
    first = term.term[:1].upper()
    return first if first.isalpha() else "#"


class PracticeDetailView(LanguageVersionsMixin, DetailView):
    template_name = "articles/practice_detail.html"
    context_object_name = "practice"

    def get_queryset(self):
        return Practice.objects.select_related("logo").prefetch_related(
            "locations",
            Prefetch("doctors", queryset=Doctor.objects.select_related("photo")),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["structured_data"] = clinic_data(
            self.object, self.request.build_absolute_uri(self.object.get_absolute_url())
        )
        # Imported here: short links are views built on these ones.
        from .share import short_link

        articles = list(
            Article.objects.published()
            .filter(guide__language=get_language(), reviewed_by__practices=self.object)
            .select_related("guide", "reviewed_by")
            .distinct()
            .order_by("guide__position", "guide__title", "position")
        )
        # Through the practice's short links: its patients read its own facts.
        for article in articles:
            article.short_link = short_link(self.object, article)
        context["reviewed_articles"] = articles
        return context


class DoctorDetailView(LanguageVersionsMixin, DetailView):
    template_name = "articles/doctor_detail.html"
    context_object_name = "doctor"

    def get_queryset(self):
        return Doctor.objects.select_related("photo").prefetch_related("practices")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        build = self.request.build_absolute_uri
        context["structured_data"] = physician_data(
            self.object,
            build(self.object.get_absolute_url()),
            [
                (p.name, build(p.get_absolute_url()))
                for p in self.object.practices.all()
            ],
        )
        context["reviewed_articles"] = (
            Article.objects.published()
            .filter(guide__language=get_language(), reviewed_by=self.object)
            .select_related("guide")
            .order_by("guide__position", "guide__title", "position")
        )
        return context


class SearchView(LanguageVersionsMixin, ListView):
    """Search results for ?q=, ten to a page."""

    template_name = "articles/search.html"
    paginate_by = 10

    def get_queryset(self):
        self.search = ArticleSearch(self.request.GET.get("q", ""), get_language())
        return self.search.results()

    def paginate_queryset(self, queryset, page_size):
        # A page number that is no number or out of range shows the first or last
        # page instead of an error: these links get edited by hand and shared.
        paginator = self.get_paginator(queryset, page_size)
        number = self.request.GET.get(self.page_kwarg)
        page = paginator.get_page(paginator.num_pages if number == "last" else number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["query"] = self.search.query
        context["results"] = [self.search.result(a) for a in context["object_list"]]
        if page.has_previous():
            context["previous_url"] = self.page_url(page.previous_page_number())
        if page.has_next():
            context["next_url"] = self.page_url(page.next_page_number())
        try:
            context["glossary_url"] = reverse("articles:glossary")
        except NoReverseMatch:
            context["glossary_url"] = None
        return context

    def page_url(self, number):
        return (
            reverse("articles:search")
            + "?"
            + urlencode({"q": self.search.query, "page": number})
        )


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sitemap_url"] = self.request.build_absolute_uri(reverse("sitemap"))
        return context


@never_cache
def healthz(request):
    """For load balancers: 200 only while the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse(
            "database unavailable\n", status=503, content_type="text/plain"
        )
    return HttpResponse("ok\n", content_type="text/plain")


@require_POST
def editor_image_upload(request):
    """The rich-text editor's image upload, through our validated image pipeline."""
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("articles.add_image")):
        return JsonResponse(
            {"error": {"message": _("You do not have permission to upload images.")}},
            status=403,
        )
    form = EditorImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        message = next(iter(form.errors.values()))[0]
        return JsonResponse({"error": {"message": message}}, status=400)
    content = form.cleaned_data["upload"]
    name = default_storage.save(f"editor/{content.name}", content)
    return JsonResponse({"url": default_storage.url(name)})


def serve_media(request, path):
    """Uploaded media, served as inert files; a real deployment puts them behind a CDN."""
    if not settings.MEDIA_ROOT:
        raise Http404
    try:
        response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:
        if error.errno != errno.ENAMETOOLONG:
            raise
        raise Http404 from error  # no file has a name that long
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response
