"""
Every patient page in English and in Spanish at its own address: the language
switcher leads to the same page in the other language (or says where it leads
instead), the head declares the real versions as hreflang alternates, and an
English page is never served under a Spanish address.
"""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article, GlossaryTerm, Status

from .factories import (
    ArticleFactory,
    DoctorFactory,
    GuideFactory,
    PracticeFactory,
)

pytestmark = pytest.mark.django_db


class Site:
    def __init__(self):
        self.practice = PracticeFactory(name="Riverside Spine", slug="riverside")
        self.doctor = DoctorFactory(name="Ana Example", slug="ana-example")
        self.doctor.practices.add(self.practice)
        self.guide = GuideFactory(title="Spinal fractures", slug="spinal-fractures")
        self.article = ArticleFactory(
            guide=self.guide,
            title="What a compression fracture is",
            slug="compression-fractures",
            reviewed_by=self.doctor,
            practice=self.practice,
        )
        self.untranslated = ArticleFactory(
            guide=self.guide,
            title="Balloon kyphoplasty",
            slug="balloon-kyphoplasty",
            reviewed_by=self.doctor,
        )
        self.guia = GuideFactory(
            title="Fracturas de columna",
            slug="fracturas-de-columna",
            language="es",
            translation_of=self.guide,
        )
        self.articulo = ArticleFactory(
            guide=self.guia,
            language="es",
            translation_of=self.article,
            title="Qué es una fractura por compresión",
            slug="fracturas-por-compresion",
            introduction="<p>Un hueso de la espalda se aplastó.</p>",
            reviewed_by=self.doctor,
            reviewed_at=timezone.localdate() - timedelta(days=3),
            practice=self.practice,
        )


@pytest.fixture
def site():
    return Site()


def get(url, **headers):
    return Client(headers=headers).get(url)


def html(url):
    response = get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def switcher(page):
    """{language: (href, note)} of the language switcher's links."""
    nav = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S)
    assert nav, "no language switcher"
    links = re.findall(
        r'<li lang="(\w+)"><a href="([^"]+)"[^>]*>[^<]+</a>'
        r'(?: <span class="language-note"[^>]*>([^<]+)</span>)?',
        nav[0],
    )
    return {code: (href, note) for code, href, note in links}


def alternates(page):
    return dict(
        re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', page)
    )


def path_in(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


# --- Addresses ------------------------------------------------------------------


def test_spanish_addresses_have_spanish_path_segments(site):
    assert site.articulo.get_absolute_url() == (
        "/es/guias/fracturas-de-columna/fracturas-por-compresion/"
    )
    assert path_in("es", "articles:glossary") == "/es/glosario/"
    assert path_in("es", "articles:search") == "/es/buscar/"
    assert (
        path_in("es", "articles:practice", slug="riverside")
        == "/es/clinicas/riverside/"
    )
    assert (
        path_in("es", "articles:doctor", slug="ana-example")
        == "/es/medicos/ana-example/"
    )
    assert (
        path_in("es", "articles:guide_print", guide_slug="x") == "/es/guias/x/imprimir/"
    )
    # An English article's address stays what doctors printed, whatever the
    # language of the page that links to it.
    with translation.override("es"):
        assert site.article.get_absolute_url() == (
            "/en/guides/spinal-fractures/compression-fractures/"
        )


@pytest.mark.parametrize(
    "language, expected", [("es-MX,es;q=0.9", "/es/"), ("de", "/en/"), ("", "/en/")]
)
def test_the_root_redirects_by_the_browsers_language(language, expected):
    headers = {"Accept-Language": language} if language else {}
    response = get("/", **headers)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_an_english_page_is_never_served_under_a_spanish_address(site):
    for url in [
        "/es/guides/spinal-fractures/compression-fractures/",
        "/es/guias/spinal-fractures/compression-fractures/",
        "/es/guias/spinal-fractures/",
        "/es/guias/fracturas-de-columna/balloon-kyphoplasty/",
        "/en/guides/fracturas-de-columna/fracturas-por-compresion/",
        "/en/guias/fracturas-de-columna/",
    ]:
        assert get(url).status_code == 404, url


def test_a_spanish_page_speaks_spanish(site):
    page = html(site.articulo.get_absolute_url())
    assert '<html lang="es">' in page
    assert "Un hueso de la espalda se aplastó." in page
    assert "Revisado médicamente por" in page
    assert "Medically reviewed" not in page and "Continue reading" not in page
    review_date = timezone.localdate() - timedelta(days=3)
    with translation.override("es"):
        from django.utils.formats import date_format

        assert date_format(review_date, "DATE_FORMAT") in page


def test_the_spanish_404_page_is_in_spanish():
    response = get("/es/guias/no-existe/")
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


# --- Switching language -----------------------------------------------------------


def test_an_article_switches_to_its_translation_and_back(site):
    english = html(site.article.get_absolute_url())
    assert switcher(english) == {"es": (site.articulo.get_absolute_url(), "")}
    spanish = html(site.articulo.get_absolute_url())
    assert switcher(spanish) == {"en": (site.article.get_absolute_url(), "")}
    assert 'hreflang="en"' in spanish and ">English</a>" in spanish
    assert ">Español</a>" in english


def test_an_untranslated_article_switches_to_the_guide_and_says_so(site):
    page = html(site.untranslated.get_absolute_url())
    href, note = switcher(page)["es"]
    assert href == site.guia.get_absolute_url()
    assert "no está traducida" in note or "no está traducido" in note
    # Declared in the link's own language.
    assert '<li lang="es">' in page


def test_an_unpublished_translation_is_not_offered(site):
    Article.objects.filter(pk=site.articulo.pk).update(status=Status.DRAFT)
    page = html(site.article.get_absolute_url())
    assert switcher(page)["es"][0] == site.guia.get_absolute_url()
    assert alternates(page) == {}
    # Patients could read it before: "gone", not "not found".
    assert get(site.articulo.get_absolute_url()).status_code == 410


def test_without_a_spanish_guide_the_switcher_leads_to_the_spanish_home(site):
    Article.objects.filter(pk=site.articulo.pk).delete()
    site.guia.delete()
    page = html(site.untranslated.get_absolute_url())
    assert switcher(page)["es"][0] == "/es/"


def test_a_guide_and_its_print_page_switch_to_their_translation(site):
    assert switcher(html(site.guide.get_absolute_url()))["es"][0] == (
        site.guia.get_absolute_url()
    )
    printed = html(site.guia.get_print_url())
    assert switcher(printed)["en"][0] == site.guide.get_print_url()


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("articles:home", {}),
        ("articles:glossary", {}),
        ("articles:search", {}),
        ("articles:practice", {"slug": "riverside"}),
        ("articles:doctor", {"slug": "ana-example"}),
    ],
)
def test_pages_every_language_has_switch_to_the_same_page(site, name, kwargs):
    english, spanish = path_in("en", name, **kwargs), path_in("es", name, **kwargs)
    assert switcher(html(english)) == {"es": (spanish, "")}
    page = html(spanish)
    assert '<html lang="es">' in page
    assert switcher(page) == {"en": (english, "")}
    assert alternates(page) == {
        "en": f"http://testserver{english}",
        "es": f"http://testserver{spanish}",
        "x-default": f"http://testserver{english}",
    }


# --- Alternates -------------------------------------------------------------------


def test_a_translated_article_declares_both_versions(site):
    expected = {
        "en": "http://testserver" + site.article.get_absolute_url(),
        "es": "http://testserver" + site.articulo.get_absolute_url(),
        "x-default": "http://testserver" + site.article.get_absolute_url(),
    }
    assert alternates(html(site.article.get_absolute_url())) == expected
    assert alternates(html(site.articulo.get_absolute_url())) == expected


def test_an_untranslated_article_declares_no_alternates(site):
    assert alternates(html(site.untranslated.get_absolute_url())) == {}


# --- Lists in each language -------------------------------------------------------


def test_spanish_lists_show_only_published_spanish_articles(site):
    home = html("/es/")
    assert "Fracturas de columna" in home and "Qué es una fractura" in home
    assert "Spinal fractures" not in home and "Balloon kyphoplasty" not in home
    guide = html(site.guia.get_absolute_url())
    assert "Qué es una fractura por compresión" in guide
    assert "Balloon kyphoplasty" not in guide
    english_home = html("/en/")
    assert "Fracturas de columna" not in english_home


def test_the_doctors_spanish_page_lists_only_spanish_reviews(site):
    spanish = html(path_in("es", "articles:doctor", slug="ana-example"))
    assert "Qué es una fractura por compresión" in spanish
    assert "What a compression fracture is" not in spanish
    english = html(path_in("en", "articles:doctor", slug="ana-example"))
    assert "What a compression fracture is" in english
    assert "Qué es una fractura" not in english


def test_the_spanish_glossary_lists_only_spanish_terms(site):
    GlossaryTerm.objects.create(term="vertebra", definition="A spine bone.")
    GlossaryTerm.objects.create(term="vértebra", language="es", definition="Un hueso.")
    spanish = html("/es/glosario/")
    assert "Un hueso." in spanish and "A spine bone." not in spanish
    assert "A spine bone." in html("/en/glossary/")


# --- Translations are reviewed on their own ----------------------------------------


def test_a_changed_original_leaves_the_reviewed_translation_on_the_page(site):
    articulo = Article.objects.get(pk=site.articulo.pk)
    articulo.record_original_reviewed()
    articulo.save()
    original = Article.objects.get(pk=site.article.pk)
    original.introduction = "<p>Rewritten after a new study.</p>"
    original.save()
    assert Article.objects.get(pk=site.articulo.pk).is_out_of_date
    page = html(site.articulo.get_absolute_url())
    assert "Un hueso de la espalda se aplastó." in page
    assert "Rewritten after a new study." not in page
    with translation.override("es"):
        from django.utils.formats import date_format

        own_review = date_format(articulo.reviewed_at, "DATE_FORMAT")
    assert own_review in page
    assert "Rewritten after a new study." in html(site.article.get_absolute_url())


# --- Practices' short links -------------------------------------------------------


def short(*slugs):
    return "/p/" + "/".join(slugs) + "/"


BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}


def test_a_short_link_to_a_spanish_article_is_in_spanish_and_stays_branded(site):
    link = short("riverside", "fracturas-de-columna", "fracturas-por-compresion")
    response = get(link, **BROWSER)
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    page = response.content.decode()
    assert '<html lang="es">' in page and "Un hueso de la espalda" in page
    assert "Revisado médicamente por" in page
    # The switcher keeps the practice's branding; the canonical page declares
    # the alternates.
    assert switcher(page) == {
        "en": (short("riverside", "spinal-fractures", "compression-fractures"), "")
    }
    assert alternates(page) == {}
    assert (
        f'<link rel="canonical" href="http://testserver{site.articulo.get_absolute_url()}">'
        in page
    )
    english = html(short("riverside", "spinal-fractures", "compression-fractures"))
    assert switcher(english)["es"][0] == link


def test_a_short_link_to_an_untranslated_article_switches_to_the_branded_guide(site):
    page = html(short("riverside", "spinal-fractures", "balloon-kyphoplasty"))
    assert switcher(page)["es"][0] == short("riverside", "fracturas-de-columna")


def test_the_share_page_offers_links_in_every_language(site, admin_client):
    url = reverse("admin:articles_practice_share", args=[site.practice.pk])
    page = admin_client.get(url).content.decode()
    assert "http://testserver" + short("riverside", "fracturas-de-columna") in page
    assert '<span lang="es">Fracturas de columna</span>' in page
    handout = reverse(
        "admin:articles_practice_share_handout",
        args=[site.practice.pk, f"article-{site.articulo.pk}"],
    )
    printed = admin_client.get(handout).content.decode()
    assert '<html lang="es">' in printed
    assert "Qué es una fractura por compresión" in printed
