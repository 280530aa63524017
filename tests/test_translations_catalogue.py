"""
The Spanish gettext catalogue of the interface (articles/locale/es): patient
pages, error pages and the admin read in Spanish when Spanish is active, and
the committed catalogue is complete and compiled.
"""

import ast
import datetime
import gettext
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from articles import faults
from articles.models import Article, Status

from .factories import (
    ArticleFactory,
    DoctorFactory,
    GuideFactory,
    LocationFactory,
    PracticeFactory,
    StepFactory,
)

CATALOGUE = Path(settings.BASE_DIR) / "articles" / "locale" / "es" / "LC_MESSAGES"
PO_FILE = CATALOGUE / "django.po"
MO_FILE = CATALOGUE / "django.mo"

# Django's Spanish abbreviations of the months, as the "b" date format writes them.
SPANISH_MONTHS = "ene feb mar abr may jun jul ago sep oct nov dic".split()


def html(response):
    return response.content.decode()


def spanish_get(client, view_name, **kwargs):
    """GET a patient page at its Spanish address."""
    with translation.override("es"):
        url = reverse(view_name, kwargs=kwargs)
    return client.get(url)


@pytest.fixture
def spanish_guide(db):
    """A published Spanish guide of two articles, the first with steps."""
    practice = PracticeFactory(name="Centro de Columna Ejemplo")
    LocationFactory(practice=practice, phone="+1 555 010 0100")
    doctor = DoctorFactory(name="Ana Ejemplo", credentials="MD")
    doctor.practices.add(practice)
    guide = GuideFactory(title="Fracturas de columna", slug="fracturas", language="es")
    first = ArticleFactory(
        guide=guide,
        language="es",
        slug="que-es",
        title="Qué es una fractura por compresión vertebral",
        reviewed_by=doctor,
        reviewed_at=datetime.date(2025, 3, 4),
        practice=practice,
    )
    StepFactory(article=first, heading="Preparación")
    ArticleFactory(
        guide=guide,
        language="es",
        slug="cifoplastia",
        title="Cómo funciona la cifoplastia",
        reviewed_by=doctor,
    )
    return guide


# --- Patient pages ---------------------------------------------------------


@pytest.mark.django_db
def test_an_article_page_reads_in_spanish(client, spanish_guide):
    response = spanish_get(
        client, "articles:article", guide_slug="fracturas", article_slug="que-es"
    )
    assert response.status_code == 200
    page = html(response)
    assert '<html lang="es">' in page
    for spanish in [
        "Parte 1 de 2",
        "<dt>Revisado médicamente por:</dt>",
        "</a> el <time",
        "4 de marzo de 2025",
        "<dt>Última actualización:</dt>",
        "Se lee en alrededor de 1 minuto",
        "Siga leyendo",
        "Leer más",
        "¿Tiene preguntas sobre su tratamiento?",
        "Saltar al contenido principal",
        "Buscar en las guías",
        "En una emergencia, llame al 911.",
    ]:
        assert spanish in page, spanish
    for english in [
        "Continue reading",
        "Medically reviewed by",
        "Updated on",
        "Part 1 of 2",
        "March",
    ]:
        assert english not in page, english


@pytest.mark.django_db
def test_the_breadcrumbs_of_an_article_for_search_engines_are_in_spanish(
    client, spanish_guide
):
    page = html(
        spanish_get(
            client, "articles:article", guide_slug="fracturas", article_slug="que-es"
        )
    )
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )
    breadcrumbs = next(
        item for item in data["@graph"] if item["@type"] == "BreadcrumbList"
    )
    names = [crumb["name"] for crumb in breadcrumbs["itemListElement"]]
    assert names == [
        "Inicio",
        "Fracturas de columna",
        "Qué es una fractura por compresión vertebral",
    ]


@pytest.mark.django_db
def test_the_last_article_of_a_spanish_guide_leads_back_to_it(client, spanish_guide):
    page = html(
        spanish_get(
            client,
            "articles:article",
            guide_slug="fracturas",
            article_slug="cifoplastia",
        )
    )
    assert "Llegó al final de esta guía" in page
    assert "Volver a Fracturas de columna" in page
    assert "Anterior:" in page


@pytest.mark.django_db
def test_the_home_page_counts_articles_with_spanish_plurals(client, spanish_guide):
    single = GuideFactory(title="Después de la cifoplastia", language="es")
    ArticleFactory(guide=single, language="es")
    page = html(spanish_get(client, "articles:home"))
    assert "<h1>Guías para pacientes sobre el cuidado de la columna</h1>" in page
    assert '<p class="meta">2 artículos</p>' in page
    assert '<p class="meta">1 artículo</p>' in page


@pytest.mark.django_db
def test_search_reads_in_spanish(client, spanish_guide):
    with translation.override("es"):
        url = reverse("articles:search")
    found = html(client.get(url, {"q": "cifoplastia"}))
    assert "Resultados de la búsqueda de “cifoplastia”" in found
    assert "Se encontró 1 artículo" in found
    assert "De la guía: Fracturas de columna" in found
    assert '<label for="search-query">Buscar en las guías</label>' in found

    nothing = html(client.get(url, {"q": "zzzxq"}))
    assert "Se encontraron 0 artículos" in nothing
    assert "No se encontraron artículos" in nothing
    assert "Vea todas las guías para pacientes" in nothing

    empty = html(client.get(url))
    assert "Escriba una palabra o una pregunta" in empty


@pytest.mark.django_db
def test_the_glossary_and_print_pages_read_in_spanish(client, spanish_guide):
    glossary = html(spanish_get(client, "articles:glossary"))
    assert "Glosario: palabras médicas en lenguaje sencillo" in glossary
    assert "Todavía no hay palabras en el glosario." in glossary

    printed = html(spanish_get(client, "articles:guide_print", guide_slug="fracturas"))
    doctor = spanish_guide.articles.get(slug="que-es").reviewed_by
    assert "Fracturas de columna (guía completa para imprimir)" in printed
    assert (
        f"Revisado médicamente por {doctor.display_name} el 4 de marzo de 2025."
        in printed
    )
    assert '<h2 id="contents-heading">Contenido</h2>' in printed


@pytest.mark.django_db
def test_the_feed_is_titled_in_spanish(client, spanish_guide):
    feed = html(spanish_get(client, "articles:feed"))
    assert "<title>Guías para pacientes nuevas y actualizadas</title>" in feed


@pytest.mark.django_db
def test_a_missing_spanish_page_answers_with_the_spanish_404_page(client):
    response = spanish_get(client, "articles:guide", guide_slug="no-existe")
    assert response.status_code == 404
    page = html(response)
    assert '<html lang="es">' in page
    assert "<h1>No encontramos esa página</h1>" in page
    assert "Ver todas las guías para pacientes" in page


def test_the_500_page_reads_in_spanish_without_a_request_context():
    # Django's own server_error view: an empty context, no context processors.
    request = RequestFactory().get("/es/")
    with translation.override("es"):
        response = faults.server_error(request)
    page = html(response)
    assert response.status_code == 500
    assert '<html lang="es">' in page
    assert "<h1>Algo salió mal de nuestro lado</h1>" in page
    assert "Ir a la página de inicio" in page


def test_the_500_page_stays_english_in_english():
    page = render_to_string("500.html")
    assert '<html lang="en">' in page
    assert "Something went wrong on our side" in page


def test_the_503_page_reads_in_spanish():
    with translation.override("es"):
        response = faults.service_unavailable(RequestFactory().get("/es/"))
    assert response.status_code == 503
    assert "Volveremos en un momento" in html(response)


def test_the_shared_fragments_read_in_spanish():
    with translation.override("es"):
        header = render_to_string("includes/site_header.html", {"site_name": "K"})
        crumbs = render_to_string("includes/breadcrumbs.html", {"current": "X"})
        notice = render_to_string("includes/example_notice.html")
    assert 'aria-label="Búsqueda en el sitio"' in header
    assert '<button class="button" type="submit">Buscar</button>' in header
    assert 'aria-label="Ruta de navegación"' in crumbs
    assert ">Inicio</a>" in crumbs
    assert "<strong>Datos de ejemplo.</strong>" in notice


def test_status_and_field_names_read_in_spanish():
    with translation.override("es"):
        assert str(Status.PUBLISHED.label) == "Publicado"
        assert str(Article._meta.verbose_name_plural) == "artículos"
        assert (
            str(Article._meta.get_field("reviewed_by").verbose_name)
            == "revisado médicamente por"
        )


# --- The admin, for an editor whose browser asks for Spanish ---------------


@pytest.mark.django_db
def test_the_share_page_dates_its_weeks_the_spanish_way(editor_client):
    practice = PracticeFactory(name="Riverside Spine Clinic")
    ArticleFactory(guide=GuideFactory(title="Spinal Fractures"))
    response = editor_client.get(
        reverse("admin:articles_practice_share", args=[practice.pk]),
        headers={"Accept-Language": "es"},
    )
    page = html(response)
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    spanish_date = f"{monday.day} {SPANISH_MONTHS[monday.month - 1]}"
    assert f'<time datetime="{monday:%Y-%m-%d}">{spanish_date}</time>' in page
    assert "Semana del" in page
    assert "Compartir con los pacientes" in page


# --- The catalogue itself ----------------------------------------------------


def read_po(path):
    """The entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr[n], flags."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry, key = {"flags": set(), "msgstr": {}}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                value = ast.literal_eval(line)
                if isinstance(key, int):
                    entry["msgstr"][key] += value
                else:
                    entry[key] += value
            else:
                keyword, value = line.split(" ", 1)
                if keyword == "msgstr":
                    key = 0
                elif keyword.startswith("msgstr["):
                    key = int(keyword[7:-1])
                else:
                    key = keyword
                if isinstance(key, int):
                    entry["msgstr"][key] = ast.literal_eval(value)
                else:
                    entry[key] = ast.literal_eval(value)
        entries.append(entry)
    return entries


def read_mo(path):
    """The catalogue of a compiled .mo file, as Python's gettext reads it."""
    with path.open("rb") as file:
        return gettext.GNUTranslations(file)._catalog


def mo_keys(entry):
    """The keys under which an entry of the .po appears in the .mo catalogue."""
    msgid = entry["msgid"]
    if "msgctxt" in entry:
        msgid = f"{entry['msgctxt']}\x04{msgid}"
    if "msgid_plural" in entry:
        return {(msgid, n): text for n, text in entry["msgstr"].items()}
    return {msgid: entry["msgstr"][0]}


def message_key(entry):
    return entry.get("msgctxt", ""), entry["msgid"], entry.get("msgid_plural", "")


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_every_message_is_translated_and_none_is_fuzzy():
    header, *entries = read_po(PO_FILE)
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]
    assert "Language: es" in header["msgstr"][0]
    assert "fuzzy" not in header["flags"]
    assert len(entries) > 400
    for entry in entries:
        assert not entry.get("obsolete"), entry["msgid"]
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        expected = 2 if "msgid_plural" in entry else 1
        assert len(entry["msgstr"]) == expected, entry["msgid"]
        assert all(text.strip() for text in entry["msgstr"].values()), entry["msgid"]


def test_translations_keep_the_placeholders_of_the_english():
    for entry in read_po(PO_FILE)[1:]:
        english = set(PLACEHOLDER.findall(entry["msgid"]))
        english |= set(PLACEHOLDER.findall(entry.get("msgid_plural", "")))
        for n, text in entry["msgstr"].items():
            spanish = set(PLACEHOLDER.findall(text))
            assert spanish <= english, entry["msgid"]
            if n == 1 or "msgid_plural" not in entry:
                assert spanish == english, entry["msgid"]


def test_the_committed_mo_file_is_compiled_from_the_po_file():
    expected = {}
    for entry in read_po(PO_FILE)[1:]:
        expected.update(mo_keys(entry))
    compiled = read_mo(MO_FILE)
    compiled.pop("", None)  # the header
    assert compiled == expected


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext")
def test_msgfmt_compiles_the_po_file_to_the_committed_catalogue(tmp_path):
    # Compare what the files hold, not their bytes: the layout of a .mo file
    # differs between gettext versions.
    fresh = tmp_path / "django.mo"
    subprocess.run(
        [shutil.which("msgfmt"), "--check-format", "-o", str(fresh), str(PO_FILE)],
        check=True,
    )
    assert read_mo(fresh) == read_mo(MO_FILE)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_every_interface_string_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages, run on a copy of the code, finds nothing new to translate."""
    base = Path(settings.BASE_DIR)
    ignore = shutil.ignore_patterns("__pycache__", "*.mo")
    for name in ["articles", "kyphoinfo", "templates"]:
        shutil.copytree(base / name, tmp_path / name, ignore=ignore)
    shutil.copy(base / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    copy = tmp_path / "articles" / "locale" / "es" / "LC_MESSAGES" / "django.po"
    found = read_po(copy)[1:]
    untranslated = [
        entry["msgid"]
        for entry in found
        if "fuzzy" in entry["flags"]
        or not all(text.strip() for text in entry["msgstr"].values())
    ]
    assert untranslated == []
    # Nor does the committed catalogue hold messages the code no longer uses.
    assert sorted(map(message_key, found)) == sorted(
        map(message_key, read_po(PO_FILE)[1:])
    )
