"""Branded short links, their QR codes and handouts, and privacy-preserving counts."""

import datetime
import io
import re

import pytest
import zxingcpp
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageDraw

from articles import share
from articles.models import PracticeMembership, Redirect, ReferralCount, Status

from .factories import (
    ArticleFactory,
    GuideFactory,
    LocationFactory,
    PracticeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BROWSER = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


def html(response):
    return response.content.decode()


def hrefs(response):
    return re.findall(r'href="([^"]*)"', html(response))


def canonical(response):
    return re.search(r'<link rel="canonical" href="([^"]*)"', html(response))[1]


def decode_png(buffer):
    buffer.seek(0)
    return [result.text for result in zxingcpp.read_barcodes(PillowImage.open(buffer))]


def decode_svg(svg):
    """Draw segno's SVG path (rows of 'h' strokes, one module high) and read it."""
    size = int(re.search(r'<path fill="#fff" d="M0 0h(\d+)', svg)[1])
    dots = 8
    image = PillowImage.new("L", (size * dots, size * dots), 255)
    draw = ImageDraw.Draw(image)
    path = re.search(r'class="qrline"[^>]* d="([^"]+)"', svg)[1]
    x = y = 0.0
    for command, numbers in re.findall(r"([MmHh])([^MmHh]*)", path):
        values = [float(n) for n in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            draw.rectangle(
                [
                    x * dots,
                    (y - 0.5) * dots,
                    (x + values[0]) * dots - 1,
                    (y + 0.5) * dots - 1,
                ],
                fill=0,
            )
            x += values[0]
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return decode_png(buffer)


@pytest.fixture
def patient():
    """A patient's phone browser, not logged in."""
    return Client(headers={"User-Agent": BROWSER})


@pytest.fixture
def riverside():
    """The practice that hands out the links."""
    practice = PracticeFactory(
        name="Riverside Spine Clinic",
        slug="riverside",
        website="https://riverside.example.org/",
    )
    LocationFactory(
        practice=practice,
        name="Riverside main clinic",
        address="12 River Road\nRiverton",
        phone="+1 555 010 0177",
        opening_hours="Monday to Friday 8 to 6",
    )
    return practice


@pytest.fixture
def guide():
    """A published guide of three articles, assigned to another practice."""
    owner = PracticeFactory(name="Hilltop Orthopedics", slug="hilltop")
    LocationFactory(practice=owner, phone="+1 555 010 0100")
    guide = GuideFactory(
        title="Spinal Fractures", slug="fractures", summary="All about fractures."
    )
    for slug in ["what-happened", "how-it-works", "recovery"]:
        ArticleFactory(
            guide=guide, slug=slug, title=slug.replace("-", " ").title(), practice=owner
        )
    return guide


def article(guide, slug):
    return guide.articles.get(slug=slug)


def short(practice_slug, guide_slug, article_slug=None):
    if article_slug:
        return f"/p/{practice_slug}/{guide_slug}/{article_slug}/"
    return f"/p/{practice_slug}/{guide_slug}/"


# --- Branded pages ------------------------------------------------------------


def test_short_link_helper_reverses_the_share_urls(riverside, guide):
    assert share.short_link(riverside, guide) == "/p/riverside/fractures/"
    assert (
        share.short_link(riverside, article(guide, "recovery"))
        == "/p/riverside/fractures/recovery/"
    )


def test_a_branded_article_closes_with_the_branding_practice(patient, riverside, guide):
    response = patient.get(short("riverside", "fractures", "how-it-works"))
    assert response.status_code == 200
    page = html(response)
    assert "How It Works" in page
    call_to_action = page[page.index('class="call-to-action"') :]
    assert "Riverside Spine Clinic" in call_to_action
    assert 'href="tel:+15550100177"' in call_to_action
    assert 'href="/en/practices/riverside/"' in call_to_action
    assert "Hilltop" not in page
    assert "+15550100100" not in page
    # The reviewing doctor works elsewhere: the button names the practice instead.
    assert "Learn about Riverside Spine Clinic" in call_to_action


def test_a_branded_page_is_canonical_on_the_unbranded_address(
    patient, riverside, guide
):
    response = patient.get(short("riverside", "fractures", "how-it-works"))
    assert canonical(response) == "http://testserver/en/guides/fractures/how-it-works/"
    response = patient.get(short("riverside", "fractures"))
    assert canonical(response) == "http://testserver/en/guides/fractures/"


def test_a_branded_guide_shows_the_practice_contact_block(patient, riverside, guide):
    response = patient.get(short("riverside", "fractures"))
    assert response.status_code == 200
    page = html(response)
    assert "All about fractures." in page
    call_to_action = page[page.index('class="call-to-action"') :]
    for text in [
        "Riverside Spine Clinic",
        "Riverside main clinic",
        "12 River Road<br>Riverton",
        'href="tel:+15550100177"',
        "Monday to Friday 8 to 6",
        'href="https://riverside.example.org/"',
    ]:
        assert text in call_to_action, text


def test_the_unbranded_guide_has_no_call_to_action(patient, guide):
    response = patient.get(guide.get_absolute_url())
    assert 'class="call-to-action"' not in html(response)


def test_links_on_a_branded_article_stay_branded(patient, riverside, guide):
    links = hrefs(patient.get(short("riverside", "fractures", "how-it-works")))
    assert short("riverside", "fractures") in links
    assert short("riverside", "fractures", "what-happened") in links
    assert short("riverside", "fractures", "recovery") in links
    assert not [link for link in links if link.startswith("/en/guides/")]


def test_the_last_branded_article_leads_back_to_the_branded_guide(
    patient, riverside, guide
):
    links = hrefs(patient.get(short("riverside", "fractures", "recovery")))
    assert links.count(short("riverside", "fractures")) == 2  # guide name and "Back to"
    assert not [link for link in links if link.startswith("/en/guides/")]


def test_article_links_on_a_branded_guide_stay_branded(patient, riverside, guide):
    links = hrefs(patient.get(short("riverside", "fractures")))
    for slug in ["what-happened", "how-it-works", "recovery"]:
        assert short("riverside", "fractures", slug) in links
    assert not [link for link in links if link.startswith("/en/guides/")]


def test_unbranded_pages_keep_their_own_links_and_practice(patient, guide):
    response = patient.get(article(guide, "how-it-works").get_absolute_url())
    links = hrefs(response)
    assert "/en/guides/fractures/recovery/" in links
    assert "/en/guides/fractures/what-happened/" in links
    assert not [link for link in links if link.startswith("/p/")]
    assert "Hilltop Orthopedics" in html(response)


def test_branded_pages_set_no_cookie_and_do_not_vary_on_it(client, riverside, guide):
    # Even a logged-in editor's browser: the page must not look at the session.
    client.force_login(UserFactory(is_staff=True))
    for url in [
        short("riverside", "fractures"),
        short("riverside", "fractures", "recovery"),
    ]:
        response = client.get(url, headers={"User-Agent": BROWSER})
        assert response.status_code == 200
        assert not response.cookies
        assert "cookie" not in response.get("Vary", "").lower()


def test_short_links_are_rendered_in_the_default_language(settings, riverside, guide):
    settings.LANGUAGES = [("en", "English"), ("de", "German")]
    german_browser = Client(headers={"User-Agent": BROWSER, "Accept-Language": "de"})
    response = german_browser.get(short("riverside", "fractures", "recovery"))
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html(response)


def test_a_branded_article_page_has_a_constant_number_of_queries(
    patient, riverside, guide, django_assert_max_num_queries
):
    with django_assert_max_num_queries(18):
        assert (
            patient.get(short("riverside", "fractures", "recovery")).status_code == 200
        )
    for slug in ["more-1", "more-2", "more-3"]:
        ArticleFactory(guide=guide, slug=slug)
    with django_assert_max_num_queries(18):
        assert (
            patient.get(short("riverside", "fractures", "recovery")).status_code == 200
        )


# --- Renames ------------------------------------------------------------------


def test_renaming_an_article_moves_its_short_link(patient, riverside, guide):
    renamed = article(guide, "how-it-works")
    renamed.slug = "kyphoplasty-step-by-step"
    renamed.save()
    response = patient.get(short("riverside", "fractures", "how-it-works"))
    assert response.status_code == 301
    assert response["Location"] == short(
        "riverside", "fractures", "kyphoplasty-step-by-step"
    )
    assert patient.get(response["Location"]).status_code == 200


def test_renaming_a_guide_moves_its_short_links(patient, riverside, guide):
    guide.slug = "spinal-fractures"
    guide.save()
    response = patient.get(short("riverside", "fractures"))
    assert response.status_code == 301
    assert response["Location"] == short("riverside", "spinal-fractures")
    response = patient.get(short("riverside", "fractures", "recovery"))
    assert response.status_code == 301
    assert response["Location"] == short("riverside", "spinal-fractures", "recovery")


def test_renaming_a_practice_moves_its_short_links(patient, riverside, guide):
    riverside.slug = "riverside-spine"
    riverside.save()
    response = patient.get(short("riverside", "fractures", "recovery"))
    assert response.status_code == 301
    assert response["Location"] == short("riverside-spine", "fractures", "recovery")
    response = patient.get(response["Location"])
    assert response.status_code == 200
    assert "Riverside Spine Clinic" in html(response)


def test_a_printed_qr_code_keeps_working_after_renames(patient, riverside, guide):
    printed = "http://testserver" + short("riverside", "fractures", "how-it-works")
    buffer = io.BytesIO()
    share.qr_code(printed).save(buffer, kind="png", scale=4)
    renamed = article(guide, "how-it-works")
    renamed.slug = "step-by-step"
    renamed.save()
    riverside.slug = "riverside-spine"
    riverside.save()

    (scanned,) = decode_png(buffer)
    response = patient.get(scanned, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [
        (short("riverside-spine", "fractures", "how-it-works"), 301),
        (short("riverside-spine", "fractures", "step-by-step"), 301),
    ]
    assert "Riverside Spine Clinic" in html(response)


def test_a_twice_renamed_article_answers_in_one_hop(patient, riverside, guide):
    renamed = article(guide, "how-it-works")
    for slug in ["second-name", "third-name"]:
        renamed.slug = slug
        renamed.save()
    response = patient.get(short("riverside", "fractures", "how-it-works"))
    assert response["Location"] == short("riverside", "fractures", "third-name")


def test_an_article_moved_to_another_guide_keeps_its_branded_link(
    patient, riverside, guide
):
    other = GuideFactory(slug="recovery-guide")
    moved = article(guide, "recovery")
    moved.guide = other
    moved.position = 1
    moved.save()
    response = patient.get(short("riverside", "fractures", "recovery"))
    assert response.status_code == 301
    assert response["Location"] == short("riverside", "recovery-guide", "recovery")


def test_a_deleted_article_leads_to_the_branded_guide(patient, riverside, guide):
    article(guide, "recovery").delete()
    response = patient.get(short("riverside", "fractures", "recovery"))
    assert response.status_code == 301
    assert response["Location"] == short("riverside", "fractures")


def test_a_deleted_guide_leads_where_its_unbranded_page_leads(patient, riverside):
    GuideFactory(slug="old-guide").delete()
    assert patient.get("/en/guides/old-guide/")["Location"] == "/en/"
    response = patient.get(short("riverside", "old-guide"))
    assert response.status_code == 301
    assert response["Location"] == "/en/"


def test_a_redirect_back_to_the_short_link_itself_does_not_loop(patient, riverside):
    Redirect.objects.create(old_path="/en/guides/gone/", new_path="/p/riverside/gone/")
    assert patient.get(short("riverside", "gone")).status_code == 404


# --- Fallbacks ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path, canonical_path",
    [
        (short("nobody", "fractures"), "/en/guides/fractures/"),
        (short("nobody", "fractures", "recovery"), "/en/guides/fractures/recovery/"),
    ],
)
def test_an_unknown_practice_falls_back_to_the_unbranded_page(
    patient, guide, path, canonical_path
):
    response = patient.get(path)
    assert response.status_code == 302
    assert response["Location"] == canonical_path
    assert not ReferralCount.objects.exists()


def test_a_deleted_practice_falls_back_to_the_unbranded_page(patient, riverside, guide):
    riverside.delete()
    response = patient.get(short("riverside", "fractures", "recovery"), follow=True)
    assert response.redirect_chain == [("/en/guides/fractures/recovery/", 302)]
    assert response.status_code == 200
    assert "Riverside" not in html(response)


def unpublish(guide, slug):
    """Take an article off the site: it answers 410 Gone."""
    gone = article(guide, slug)
    gone.status = Status.ARCHIVED
    gone.save()


def never_published(guide, slug):
    draft = ArticleFactory(guide=guide, slug=slug, status=Status.DRAFT)
    draft.first_published_at = None
    draft.save()


@pytest.mark.parametrize(
    "change, guide_slug, article_slug, status",
    [
        (lambda guide: None, "fractures", "no-such-article", 404),
        (lambda guide: None, "no-such-guide", None, 404),
        (lambda guide: never_published(guide, "draft"), "fractures", "draft", 404),
        (lambda guide: unpublish(guide, "recovery"), "fractures", "recovery", 410),
        (
            lambda guide: GuideFactory(slug="draft-guide", status=Status.DRAFT),
            "draft-guide",
            None,
            404,
        ),
    ],
    ids=["unknown article", "unknown guide", "draft", "withdrawn", "draft guide"],
)
def test_a_page_patients_cannot_read_answers_like_its_canonical_address(
    patient, riverside, guide, change, guide_slug, article_slug, status
):
    change(guide)
    canonical_path = f"/en/guides/{guide_slug}/" + (
        f"{article_slug}/" if article_slug else ""
    )
    assert patient.get(canonical_path).status_code == status
    assert (
        patient.get(short("riverside", guide_slug, article_slug)).status_code == status
    )
    assert not ReferralCount.objects.exists()


# --- Referral counts ----------------------------------------------------------


def this_monday():
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday())


def test_each_opening_by_a_browser_is_counted(patient, riverside, guide):
    recovery = article(guide, "recovery")
    for _time in range(3):
        patient.get(short("riverside", "fractures", "recovery"))
    patient.get(short("riverside", "fractures"))
    assert set(ReferralCount.objects.values_list("target", "week", "opens")) == {
        (f"article:{recovery.pk}", this_monday(), 3),
        (f"guide:{guide.pk}", this_monday(), 1),
    }
    assert ReferralCount.objects.get(target=f"guide:{guide.pk}").practice == riverside


@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "   ",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "WhatsApp/2.23.20.0",
        "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
        "curl/8.5.0",
        "Wget/1.21.4",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/124.0 Safari/537.36",
    ],
)
def test_bots_and_link_previews_are_not_counted(riverside, guide, user_agent):
    response = Client(headers={"User-Agent": user_agent}).get(
        short("riverside", "fractures", "recovery")
    )
    assert response.status_code == 200
    assert not ReferralCount.objects.exists()


def test_a_browser_user_agent_is_not_a_bot(rf):
    assert not share.is_bot(rf.get("/", headers={"User-Agent": BROWSER}))
    assert share.is_bot(rf.get("/"))


def test_head_requests_are_not_counted(patient, riverside, guide):
    response = patient.head(short("riverside", "fractures", "recovery"))
    assert response.status_code == 200
    assert not ReferralCount.objects.exists()


def test_only_the_count_is_stored(patient, riverside, guide):
    patient.cookies["tracking"] = "should-not-matter"
    patient.get(
        short("riverside", "fractures", "recovery"),
        REMOTE_ADDR="203.0.113.7",
        headers={"Referer": "https://mail.example.org/inbox"},
    )
    assert [field.name for field in ReferralCount._meta.get_fields()] == [
        "id",
        "practice",
        "target",
        "week",
        "opens",
    ]
    (row,) = ReferralCount.objects.values()
    stored = " ".join(str(value) for value in row.values())
    for personal in ["203.0.113.7", "iPhone", "Mozilla", "mail.example.org", "should"]:
        assert personal not in stored
    assert not Session.objects.exists()


def test_counts_are_kept_per_week(riverside, guide):
    recovery = article(guide, "recovery")
    monday = datetime.date(2025, 3, 3)
    for day in [monday, monday + datetime.timedelta(days=6)]:
        share.count_open(riverside, recovery, today=day)
    share.count_open(riverside, recovery, today=monday + datetime.timedelta(days=7))
    assert list(
        ReferralCount.objects.order_by("week").values_list("week", "opens")
    ) == [
        (monday, 2),
        (datetime.date(2025, 3, 10), 1),
    ]


def test_a_count_created_at_the_same_moment_elsewhere_is_not_lost(
    monkeypatch, riverside, guide
):
    recovery = article(guide, "recovery")
    update = QuerySet.update
    raced = []

    def update_racing_another_request(queryset, **changes):
        if not raced:
            # Our update finds no row; another request creates it just after.
            raced.append(True)
            ReferralCount.objects.create(
                practice=riverside,
                target=f"article:{recovery.pk}",
                week=this_monday(),
                opens=1,
            )
            return 0
        return update(queryset, **changes)

    monkeypatch.setattr(QuerySet, "update", update_racing_another_request)
    share.count_open(riverside, recovery)
    assert ReferralCount.objects.get().opens == 2


def test_redirects_are_not_counted(patient, riverside, guide):
    riverside.slug = "riverside-spine"
    riverside.save()
    patient.get(short("riverside", "fractures", "recovery"))
    assert not ReferralCount.objects.exists()


# --- QR codes -----------------------------------------------------------------


def test_a_qr_code_decodes_to_its_short_link():
    url = "https://kyphoinfo.example.org/p/riverside/fractures/how-it-works/"
    buffer = io.BytesIO()
    share.qr_code(url).save(buffer, kind="png", scale=4)
    assert decode_png(buffer) == [url]


def test_qr_codes_are_never_micro_qr_codes():
    assert share.qr_code("http://a.b/p/").designator[0].isdigit()


# --- The admin's Share page ---------------------------------------------------


def share_urls(practice, target):
    return [
        reverse("admin:articles_practice_share", args=[practice.pk]),
        reverse("admin:articles_practice_share_qr", args=[practice.pk, target]),
        reverse("admin:articles_practice_share_handout", args=[practice.pk, target]),
    ]


def member_client(practice):
    user = UserFactory(username=f"{practice.slug}-member", is_staff=True)
    user.groups.add(Group.objects.get(name="Practice editors"))
    PracticeMembership.objects.create(user=user, practice=practice)
    client = Client()
    client.force_login(user)
    return client


def test_the_practice_page_links_to_share_with_patients(editor_client, riverside):
    response = editor_client.get(
        reverse("admin:articles_practice_change", args=[riverside.pk])
    )
    share_url = reverse("admin:articles_practice_share", args=[riverside.pk])
    assert f'href="{share_url}">Share with patients</a>' in html(response)
    assert "History" in html(response)  # the object tools of reversion stay


def test_the_share_page_lists_every_published_guide_and_article(
    editor_client, riverside, guide
):
    GuideFactory(title="Draft Guide", slug="draft-guide", status=Status.DRAFT)
    ArticleFactory(guide=guide, title="Unfinished Draft", status=Status.DRAFT)
    ArticleFactory(
        guide=guide,
        title="Next Week's Article",
        publish_at=timezone.now() + datetime.timedelta(days=7),
    )
    other_guide = GuideFactory(title="Living With Osteoporosis", slug="osteoporosis")
    ArticleFactory(guide=other_guide, title="Bone Health", slug="bone-health")
    response = editor_client.get(
        reverse("admin:articles_practice_share", args=[riverside.pk])
    )
    assert response.status_code == 200
    page = html(response)
    for title in [
        "Spinal Fractures",
        "What Happened",
        "How It Works",
        "Recovery",
        "Living With Osteoporosis",
        "Bone Health",
    ]:
        assert title in page, title
    for slugs in [
        ("fractures",),
        ("fractures", "how-it-works"),
        ("osteoporosis",),
        ("osteoporosis", "bone-health"),
    ]:
        assert f'value="http://testserver{short("riverside", *slugs)}"' in page
    for hidden in ["Draft Guide", "Unfinished Draft", "Next Week"]:
        assert hidden not in page
    recovery = article(guide, "recovery")
    for url in share_urls(riverside, f"article-{recovery.pk}")[1:]:
        assert f'href="{url}' in page


def test_the_share_page_shows_opens_per_week(editor_client, riverside, guide):
    recovery = article(guide, "recovery")
    monday = this_monday()
    ReferralCount.objects.create(
        practice=riverside, target=f"article:{recovery.pk}", week=monday, opens=17
    )
    ReferralCount.objects.create(
        practice=riverside,
        target=f"article:{recovery.pk}",
        week=monday - datetime.timedelta(weeks=3),
        opens=5,
    )
    # Too old for the table, and another practice's count of the same link.
    ReferralCount.objects.create(
        practice=riverside,
        target=f"article:{recovery.pk}",
        week=monday - datetime.timedelta(weeks=8),
        opens=999,
    )
    ReferralCount.objects.create(
        practice=PracticeFactory(),
        target=f"article:{recovery.pk}",
        week=monday,
        opens=444,
    )
    response = editor_client.get(
        reverse("admin:articles_practice_share", args=[riverside.pk])
    )
    page = html(response)
    table = re.search(
        r"<table>\s*<caption>Opens per week of the link to “Recovery”</caption>(.*?)</table>",
        page,
        re.S,
    )[1]
    assert len(re.findall(r'<th scope="col">', table)) == 9  # "Week of" + 8 weeks
    assert f'<time datetime="{monday:%Y-%m-%d}">' in table
    cells = re.findall(r"<td>(\d+)</td>", table)
    assert cells == ["0", "0", "0", "0", "5", "0", "0", "17"]
    assert "<td>999</td>" not in page
    assert "<td>444</td>" not in page


def test_the_share_page_has_a_constant_number_of_queries(
    editor_client, riverside, guide, django_assert_max_num_queries
):
    url = reverse("admin:articles_practice_share", args=[riverside.pk])
    with django_assert_max_num_queries(10):
        editor_client.get(url)
    for number in range(5):
        ArticleFactory(guide=GuideFactory(), title=f"Extra {number}")
    with django_assert_max_num_queries(10):
        assert editor_client.get(url).status_code == 200


def test_the_qr_code_download_is_an_svg_with_a_title(editor_client, riverside, guide):
    recovery = article(guide, "recovery")
    response = editor_client.get(
        reverse(
            "admin:articles_practice_share_qr",
            args=[riverside.pk, f"article-{recovery.pk}"],
        )
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    link = "http://testserver/p/riverside/fractures/recovery/"
    assert re.search(
        r"<svg[^>]*><title>QR code for “Recovery”: " + re.escape(link), svg
    )
    assert decode_svg(svg) == [link]


def test_the_handout_has_everything_a_patient_needs(editor_client, riverside, guide):
    response = editor_client.get(
        reverse(
            "admin:articles_practice_share_handout",
            args=[riverside.pk, f"guide-{guide.pk}"],
        )
    )
    assert response.status_code == 200
    page = html(response).replace("<wbr>", "")
    for text in [
        "<h1>Spinal Fractures</h1>",
        "All about fractures.",
        '<svg role="img"',
        "<title>QR code for “Spinal Fractures”: http://testserver/p/riverside/fractures/</title>",
        '<p class="url">http://testserver/p/riverside/fractures/</p>',
        "Riverside Spine Clinic",
        "12 River Road<br>Riverton",
        'href="tel:+15550100177"',
        "Monday to Friday 8 to 6",
        "https://riverside.example.org/",
        "@page { size: A4;",
    ]:
        assert text in page, text
    assert "Hilltop" not in page


def test_the_handout_of_an_article_uses_its_teaser(editor_client, riverside, guide):
    recovery = article(guide, "recovery")
    url = reverse(
        "admin:articles_practice_share_handout",
        args=[riverside.pk, f"article-{recovery.pk}"],
    )
    page = html(editor_client.get(url))
    assert "<h1>Recovery</h1>" in page
    assert recovery.teaser in page
    assert "From the guide “Spinal Fractures”" in page
    assert "http://testserver/p/riverside/fractures/recovery/" in page


def test_the_handout_prints_on_letter_paper_on_request(editor_client, riverside, guide):
    url = reverse(
        "admin:articles_practice_share_handout",
        args=[riverside.pk, f"guide-{guide.pk}"],
    )
    assert "@page { size: letter;" in html(editor_client.get(url, {"paper": "letter"}))
    assert "@page { size: A4;" in html(editor_client.get(url, {"paper": "tabloid"}))


@pytest.mark.parametrize("target", ["guide-0", "article-0", "bogus", "guide-x"])
def test_unknown_targets_are_not_found(editor_client, riverside, target):
    for url in share_urls(riverside, target)[1:]:
        assert editor_client.get(url).status_code == 404, url


def test_drafts_cannot_be_shared(editor_client, riverside, guide):
    draft = ArticleFactory(guide=guide, status=Status.DRAFT)
    for url in share_urls(riverside, f"article-{draft.pk}")[1:]:
        assert editor_client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_the_login(client, riverside, guide):
    for url in share_urls(riverside, f"guide-{guide.pk}"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_staff_without_permission_on_practices_are_refused(
    client, staff_without_permissions, riverside, guide
):
    client.force_login(staff_without_permissions)
    for url in share_urls(riverside, f"guide-{guide.pk}"):
        assert client.get(url).status_code == 403, url


def test_a_practice_editor_shares_only_their_own_practice(riverside, guide):
    client = member_client(riverside)
    other = PracticeFactory(slug="elsewhere")
    for url in share_urls(riverside, f"guide-{guide.pk}"):
        assert client.get(url).status_code == 200, url
    for url in share_urls(other, f"guide-{guide.pk}"):
        assert client.get(url).status_code == 404, url
