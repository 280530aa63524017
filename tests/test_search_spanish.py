"""Search in Spanish: its own articles, stop words and glossary; accents ignored."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from articles.models import GlossaryTerm
from articles.search import ArticleSearch, search_articles

from .factories import ArticleFactory, GuideFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"
)


def search_page(client, query, language="es"):
    with translation.override(language):
        url = reverse("articles:search")
    return client.get(url, {"q": query})


def html(response):
    return response.content.decode()


def found_titles(response):
    return [article.title for article in response.context["object_list"]]


@pytest.fixture
def guia():
    return GuideFactory(title="Guía de la columna", language="es")


@pytest.fixture
def articulo(guia):
    """A published Spanish article in a Spanish guide, in Spanish throughout."""

    def make(title, introduction="<p>Un texto sencillo.</p>", **fields):
        return ArticleFactory(
            guide=guia,
            language="es",
            title=title,
            subtitle=fields.pop("subtitle", "Lo que debe saber"),
            teaser=fields.pop("teaser", "Una guía para pacientes."),
            introduction=introduction,
            closing="<p>Hable con su médico.</p>",
            **fields,
        )

    return make


def test_each_language_searches_only_its_own_articles(client, articulo):
    spanish = articulo("La osteoporosis y sus huesos")
    english = ArticleFactory(title="Osteoporosis and your bones")
    assert found_titles(search_page(client, "osteoporosis", "es")) == [spanish.title]
    assert found_titles(search_page(client, "osteoporosis", "en")) == [english.title]


def test_an_english_article_filed_in_a_spanish_guide_is_not_a_spanish_result(
    client, articulo, guia
):
    ArticleFactory(guide=guia, language="en", title="Osteoporosis explained")
    spanish = articulo("Qué es la osteoporosis")
    assert found_titles(search_page(client, "osteoporosis", "es")) == [spanish.title]


@pytest.mark.parametrize(
    "query, text, marked",
    [
        ("vertebra", "Cada hueso es una vértebra.", "vértebra"),
        ("vertebras", "Cada hueso es una vértebra.", "vértebra"),
        (
            "vértebra",
            "Las vertebras sin tilde, como las escribe un paciente.",
            "vertebras",
        ),
        ("fractura vertebral", "Una fractura vertebral duele.", "fractura vertebral"),
        (
            "fracturas vertebrales",
            "Una fractura vertebral duele.",
            "fractura vertebral",
        ),
        ("cifoplastía", "La cifoplastia rellena el hueso.", "cifoplastia"),
        ("recuperacion", "La recuperación es rápida.", "recuperación"),
        ("NINOS", "También los niños se rompen huesos.", "niños"),
    ],
)
def test_accents_do_not_matter(client, articulo, query, text, marked):
    wanted = articulo("Para leer en casa", introduction=f"<p>{text}</p>")
    articulo("Otro tema", introduction="<p>Coma bien y camine cada día.</p>")
    response = search_page(client, query)
    assert found_titles(response) == [wanted.title]
    assert f"<mark>{marked}</mark>" in html(response)


@pytest.mark.parametrize(
    "question",
    ["¿Qué más hay sobre la cifoplastia?", "¿Cómo está él con la cifoplastia?"],
)
def test_spanish_stop_words_are_ignored(client, articulo, question):
    # None of the question's other words appear in the article.
    wanted = articulo("Cifoplastia", teaser="Un tratamiento para huesos rotos.")
    articulo("Fisioterapia", teaser="Ejercicios para sanar.")
    assert found_titles(search_page(client, question)) == [wanted.title]


def test_spanish_stop_words_do_not_count_towards_the_ten(client, articulo):
    question = (
        "cuánto tiempo tiene que pasar antes de que yo pueda caminar "
        "otra vez después de mi cifoplastia"
    )
    articulo(
        "Caminar después de la cifoplastia",
        teaser="Cuánto tiempo tiene que pasar antes de que pueda caminar otra vez.",
    )
    response = search_page(client, question)
    assert found_titles(response) == ["Caminar después de la cifoplastia"]
    assert "search-note" not in html(response)
    assert ArticleSearch(question, "es").searched == question


@pytest.fixture
def glosario():
    GlossaryTerm.objects.create(
        language="es",
        term="fractura vertebral por compresión",
        abbreviation="FVC",
        also_called="aplastamiento vertebral",
        definition="Un hueso de la columna que se rompió y se aplastó.",
    )
    GlossaryTerm.objects.create(
        term="VCF",
        also_called="compression fracture",
        definition="A bone in the spine that has cracked and been squashed flat.",
    )


@pytest.mark.parametrize(
    "query",
    ["FVC", "fractura vertebral por compresion", "Fractura vertebral por compresión"],
)
def test_spanish_glossary_names_widen_a_spanish_search(
    client, articulo, glosario, query
):
    wanted = articulo(
        "En casa", introduction="<p>Un aplastamiento vertebral sana despacio.</p>"
    )
    articulo("Comer bien", introduction="<p>Calcio y vitamina D.</p>")
    response = search_page(client, query)
    assert found_titles(response) == [wanted.title]
    assert "Un <mark>aplastamiento vertebral</mark> sana despacio." in html(response)


def test_english_glossary_names_do_not_widen_a_spanish_search(
    client, articulo, glosario
):
    articulo(
        "Su informe", introduction="<p>Su informe puede decir compression fracture.</p>"
    )
    assert ArticleSearch("VCF", "es").variants == ["VCF"]
    assert found_titles(search_page(client, "VCF")) == []


# The Spanish demo guide, searched as patients would: PostgreSQL and the
# fallback find the same articles (their order differs where ranks nearly tie).
FRACTURAS = "fracturas-por-compresion-de-la-columna"
COMO_FUNCIONA = "como-funciona-la-cifoplastia-con-balon"
BENEFICIOS = "beneficios-de-la-cifoplastia-con-balon"
DEMO_SEARCHES = {
    "cifoplastia": [FRACTURAS, COMO_FUNCIONA, BENEFICIOS],
    "cifoplastía": [FRACTURAS, COMO_FUNCIONA, BENEFICIOS],
    "¿qué es la cifoplastia?": [FRACTURAS, COMO_FUNCIONA, BENEFICIOS],
    "vertebra": [FRACTURAS, COMO_FUNCIONA],
    "fractura vertebral": [FRACTURAS],
    "fracturas por compresion": [FRACTURAS],
    "balon": [COMO_FUNCIONA, BENEFICIOS],
    "cuánto dura la recuperacion": [COMO_FUNCIONA],
    "caminando": [FRACTURAS, COMO_FUNCIONA, BENEFICIOS],
    "rayos X": [FRACTURAS, COMO_FUNCIONA],
    "RM": [FRACTURAS],
    "riesgos": [BENEFICIOS],
    "huesos debiles": [FRACTURAS, COMO_FUNCIONA, BENEFICIOS],
    "anestesia": [COMO_FUNCIONA],
    "kyphoplasty": [],
    "cirugía": [],
}


def test_spanish_demo_content_gives_the_same_results_on_every_database():
    call_command("load_demo", stdout=StringIO())
    found = {
        query: sorted(article.slug for article in search_articles(query, "es"))
        for query in DEMO_SEARCHES
    }
    assert found == {query: sorted(slugs) for query, slugs in DEMO_SEARCHES.items()}


@postgresql_only
def test_spanish_full_text_index_exists():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_spanish'"
        )
        (definition,) = cursor.fetchone()
    assert "USING gin" in definition
    assert "to_tsvector('spanish_unaccent'::regconfig" in definition


@postgresql_only
def test_spanish_search_uses_its_full_text_index(glosario):
    guide = GuideFactory(language="es")
    for number in range(60):
        ArticleFactory(guide=guide, language="es", title=f"Recuperación {number}")
    ArticleFactory(guide=guide, language="es", title="Cifoplastia")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
        # As in tests/test_search.py: merge the pending list, and keep the
        # planner from reading every row of a table this small.
        cursor.execute("SELECT gin_clean_pending_list('article_search_spanish')")
        cursor.execute("SET LOCAL enable_seqscan = off")
    for query in ["cifoplastía", "FVC", "fractura por compresión -recuperación"]:
        plan = search_articles(query, "es").explain()
        assert "Bitmap Index Scan on article_search_spanish" in plan, plan
