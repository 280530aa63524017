"""
A practice's own values of an article's key facts, as patients read them:
through the practice's short links (and its practice page, which links to
them) once a doctor of the practice signed them off; everyone else reads the
shared defaults. The article's text names the facts, so it reads naturally
with either value.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from articles.models import ArticleFact, GlossaryTerm, PracticeFact

from .factories import ArticleFactory, DoctorFactory, PracticeFactory, StepFactory

pytestmark = pytest.mark.django_db

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}
DEFAULT = "about half an hour per treated level"
OWN = "one to two hours per treated level"


class Site:
    def __init__(self):
        self.riverside = PracticeFactory(name="Riverside Spine", slug="riverside")
        self.lakeside = PracticeFactory(name="Lakeside Clinic", slug="lakeside")
        self.doctor = DoctorFactory(name="Rivera", credentials="MD")
        self.doctor.practices.add(self.riverside)
        self.article = ArticleFactory(
            title="How kyphoplasty works",
            slug="how-it-works",
            introduction="<p>The treatment takes {{ fact:duration }}.</p>",
            closing="<p>Most people {{ fact:stay }}.</p>",
        )
        StepFactory(
            article=self.article,
            heading="The procedure",
            body="<p>It lasts {{ fact:duration }} in all.</p>",
        )
        ArticleFact.objects.create(
            article=self.article,
            position=1,
            key="duration",
            label="How long it takes",
            value=DEFAULT,
        )
        ArticleFact.objects.create(
            article=self.article,
            position=2,
            key="stay",
            label="Time in hospital",
            value="go home the same day or the next",
        )
        # What the admin does after saving the facts: search text, reading level.
        self.article.mark_content_changed()
        self.signed_at = timezone.now() - timedelta(days=2)

    def override(self, practice=None, key="duration", value=OWN, signed=True):
        signed_fields = (
            {
                "signed_value": value,
                "signed_by": self.doctor,
                "signed_at": self.signed_at,
                "default_at_sign_off": DEFAULT,
                "pending": PracticeFact.Pending.NONE,
            }
            if signed
            else {}
        )
        return PracticeFact.objects.create(
            practice=practice or self.riverside,
            article=self.article,
            key=key,
            value=value,
            **signed_fields,
        )

    def short(self, practice):
        guide = self.article.guide.slug
        return f"/p/{practice.slug}/{guide}/{self.article.slug}/"


@pytest.fixture
def site():
    return Site()


def page(url):
    response = Client(headers=BROWSER).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def facts_shown(html):
    import re

    section = re.search(r'<section class="facts".*?</section>', html, re.S)[0]
    # The list starts each value with a capital; the text reads it mid-sentence.
    return {
        label: value[:1].lower() + value[1:]
        for label, value in re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", section)
    }


def test_the_text_reads_the_shared_values_everywhere_by_default(site):
    html = page(site.article.get_absolute_url())
    assert f'The treatment takes <span class="fact-value">{DEFAULT}</span>.' in html
    assert f'It lasts <span class="fact-value">{DEFAULT}</span> in all.' in html
    assert "Most people <span" in html and "go home the same day" in html
    assert "{{" not in html and "fact:" not in html
    assert facts_shown(html)["How long it takes"] == DEFAULT
    assert "checked by" not in html


def test_two_practices_read_the_same_article_with_their_own_values(site):
    site.override()
    riverside = page(site.short(site.riverside))
    assert f'The treatment takes <span class="fact-value">{OWN}</span>.' in riverside
    assert facts_shown(riverside)["How long it takes"] == OWN
    # Not overridden: the shared value.
    assert (
        facts_shown(riverside)["Time in hospital"] == "go home the same day or the next"
    )
    when = date_format(timezone.localtime(site.signed_at).date(), "DATE_FORMAT")
    assert (
        "Facts for Riverside Spine checked by Dr. Rivera on "
        f'<time datetime="{timezone.localtime(site.signed_at):%Y-%m-%d}">{when}</time>.'
    ) in riverside
    lakeside = page(site.short(site.lakeside))
    assert facts_shown(lakeside)["How long it takes"] == DEFAULT
    assert OWN not in lakeside and "checked by" not in lakeside
    plain = page(site.article.get_absolute_url())
    assert OWN not in plain and facts_shown(plain)["How long it takes"] == DEFAULT


def test_a_value_no_doctor_signed_off_is_never_shown(site):
    site.override(signed=False)
    html = page(site.short(site.riverside))
    assert OWN not in html and facts_shown(html)["How long it takes"] == DEFAULT
    assert "checked by" not in html


def test_a_changed_value_waits_for_sign_off_while_patients_read_the_signed_one(site):
    override = site.override()
    override.value = "three hours per treated level"
    override.pending = PracticeFact.Pending.VALUE
    override.save()
    html = page(site.short(site.riverside))
    assert OWN in html and "three hours per treated level" not in html


def test_a_new_default_reaches_practices_without_their_own_value_only(site):
    site.override()
    fact = ArticleFact.objects.get(article=site.article, key="duration")
    fact.value = "about 45 minutes per treated level"
    fact.save()
    site.article.mark_content_changed()
    assert "about 45 minutes per treated level" in page(site.short(site.lakeside))
    assert "about 45 minutes per treated level" in page(site.article.get_absolute_url())
    riverside = page(site.short(site.riverside))
    assert facts_shown(riverside)["How long it takes"] == OWN
    assert f'The treatment takes <span class="fact-value">{OWN}</span>.' in riverside


def test_the_page_cache_never_mixes_practices(site, settings):
    settings.PAGE_CACHE_SECONDS = 300
    site.override()
    for _round in range(2):
        assert facts_shown(page(site.short(site.riverside)))["How long it takes"] == OWN
        assert (
            facts_shown(page(site.short(site.lakeside)))["How long it takes"] == DEFAULT
        )
        plain = page(site.article.get_absolute_url())
        assert facts_shown(plain)["How long it takes"] == DEFAULT


def test_the_practice_page_leads_to_its_own_values(site):
    site.article.reviewed_by = site.doctor
    site.article.save()
    site.override()
    practice_page = page(site.riverside.get_absolute_url())
    assert f'href="{site.short(site.riverside)}"' in practice_page


def test_a_glossary_term_never_breaks_a_fact_in_the_text(site):
    GlossaryTerm.objects.create(term="duration", definition="How long.")
    GlossaryTerm.objects.create(term="fact", definition="Something true.")
    html = page(site.article.get_absolute_url())
    assert f'The treatment takes <span class="fact-value">{DEFAULT}</span>.' in html


def test_a_fact_deleted_since_leaves_no_token_on_the_page(site):
    ArticleFact.objects.filter(article=site.article, key="stay").delete()
    site.article.mark_content_changed()
    html = page(site.article.get_absolute_url())
    assert "{{" not in html and "Most people ." in html


def test_the_printed_guide_and_search_read_the_shared_values(site):
    printed = page(site.article.guide.get_print_url())
    assert f'The treatment takes <span class="fact-value">{DEFAULT}</span>.' in printed
    assert "{{" not in printed
    site.article.refresh_from_db()
    assert "{{" not in site.article.search_text
    assert f"The treatment takes {DEFAULT}." in site.article.search_text


def test_a_spanish_short_link_shows_the_sign_off_in_spanish(site):
    site.override()
    with translation.override("es"):
        expected = "Datos de Riverside Spine revisados por Dr. Rivera el"
    guide = site.article.guide
    guide.language = "es"
    guide.save()
    site.article.language = "es"
    site.article.save()
    html = page(site.short(site.riverside))
    assert expected in html


def test_the_practices_handout_carries_its_own_facts(site, admin_client):
    from django.urls import reverse

    site.override()
    url = reverse(
        "admin:articles_practice_share_handout",
        args=[site.riverside.pk, f"article-{site.article.pk}"],
    )
    handout = admin_client.get(url).content.decode()
    assert f"<dt>How long it takes</dt><dd>{OWN.capitalize()}</dd>" in handout
    assert "Facts for Riverside Spine checked by Dr. Rivera on" in handout
    other = reverse(
        "admin:articles_practice_share_handout",
        args=[site.lakeside.pk, f"article-{site.article.pk}"],
    )
    lakeside = admin_client.get(other).content.decode()
    assert f"<dt>How long it takes</dt><dd>{DEFAULT.capitalize()}</dd>" in lakeside
    assert "checked by" not in lakeside
