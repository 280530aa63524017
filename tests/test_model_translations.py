"""Practices, locations and doctors are shared by both languages; their text has a Spanish version."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from articles.models import Doctor, Location, Practice

from .admin_forms import form_data
from .factories import DoctorFactory, LocationFactory, PracticeFactory

pytestmark = pytest.mark.django_db

SPANISH_DESCRIPTION = "Una clínica de columna en el centro."


def test_spanish_readers_get_the_spanish_text():
    practice = PracticeFactory(
        description="A spine practice downtown.",
        description_es=SPANISH_DESCRIPTION,
    )
    LocationFactory(
        practice=practice,
        name="Main clinic",
        name_es="Clínica principal",
        opening_hours="Weekdays 9 to 5",
        opening_hours_es="De lunes a viernes, de 9 a 5",
    )
    DoctorFactory(specialty="Spine surgery", specialty_es="Cirugía de columna")

    practice = Practice.objects.get()
    with translation.override("es"):
        assert practice.description == SPANISH_DESCRIPTION
        location = practice.locations.get()
        assert location.name == "Clínica principal"
        assert location.opening_hours == "De lunes a viernes, de 9 a 5"
        assert Doctor.objects.get().specialty == "Cirugía de columna"
    with translation.override("en"):
        assert practice.description == "A spine practice downtown."
        assert practice.locations.get().name == "Main clinic"
        assert Doctor.objects.get().specialty == "Spine surgery"


def test_without_spanish_text_spanish_readers_get_the_english():
    practice = PracticeFactory(description="A spine practice downtown.")
    LocationFactory(practice=practice, name="Main clinic")
    DoctorFactory(biography="Treats broken bones of the spine.")
    # An editor who cleared the Spanish text leaves "", not NULL.
    Doctor.objects.update(biography_es="")

    practice = Practice.objects.get()
    assert practice.description_es is None
    with translation.override("es"):
        assert practice.description == "A spine practice downtown."
        assert practice.locations.get().name == "Main clinic"
        assert Doctor.objects.get().biography == "Treats broken bones of the spine."


def test_the_spanish_practice_page_shows_the_spanish_description(client):
    practice = PracticeFactory(
        description="A spine practice downtown.", description_es=SPANISH_DESCRIPTION
    )
    with translation.override("es"):
        url = practice.get_absolute_url()
    assert url.startswith("/es/")
    page = client.get(url).content.decode()
    assert SPANISH_DESCRIPTION in page
    assert "A spine practice downtown." not in page
    with translation.override("en"):
        url = practice.get_absolute_url()
    english = client.get(url).content.decode()
    assert "A spine practice downtown." in english
    assert SPANISH_DESCRIPTION not in english


def change_url(obj):
    return reverse(f"admin:articles_{obj._meta.model_name}_change", args=[obj.pk])


def test_the_practice_form_shows_and_saves_both_languages(admin_client):
    practice = PracticeFactory(description="A spine practice downtown.")
    LocationFactory(practice=practice, name="Main clinic", opening_hours="9 to 5")

    response = admin_client.get(change_url(practice))
    page = response.content.decode()
    for label in [
        "Short description (English)",
        "Short description (Spanish)",
        "Name (English)",
        "Name (Spanish)",
        "Opening hours (English)",
        "Opening hours (Spanish)",
    ]:
        assert f">{label}:</label>" in page, label
    # The tabbed variants would load jQuery UI from another host.
    assert "ajax.googleapis.com" not in page

    data = form_data(response, "practice_form")
    assert data["description_en"] == "A spine practice downtown."
    assert data["locations-0-name_en"] == "Main clinic"
    data["description_es"] = SPANISH_DESCRIPTION
    data["locations-0-name_es"] = "Clínica principal"
    data["locations-0-opening_hours_es"] = "De 9 a 5"
    response = admin_client.post(change_url(practice), data)
    assert response.status_code == 302, response.context["errors"]

    practice.refresh_from_db()
    assert practice.description_en == "A spine practice downtown."
    assert practice.description_es == SPANISH_DESCRIPTION
    location = Location.objects.get()
    assert (location.name_en, location.name_es) == ("Main clinic", "Clínica principal")
    assert (location.opening_hours_en, location.opening_hours_es) == (
        "9 to 5",
        "De 9 a 5",
    )


def test_a_location_needs_its_english_name(admin_client):
    practice = PracticeFactory()
    LocationFactory(practice=practice, name="Main clinic")
    data = form_data(admin_client.get(change_url(practice)), "practice_form")
    data["locations-0-name_en"] = ""
    data["locations-0-name_es"] = "Clínica principal"

    response = admin_client.post(change_url(practice), data)

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Location.objects.get().name_en == "Main clinic"


def test_the_doctor_form_shows_and_saves_both_languages(admin_client):
    doctor = DoctorFactory(specialty="Spine surgery", biography="Treats spines.")

    response = admin_client.get(change_url(doctor))
    page = response.content.decode()
    for label in [
        "Specialty (English)",
        "Specialty (Spanish)",
        "Short biography (English)",
        "Short biography (Spanish)",
    ]:
        assert f">{label}:</label>" in page, label

    data = form_data(response, "doctor_form")
    data["specialty_es"] = "Cirugía de columna"
    data["biography_es"] = "Trata la columna."
    response = admin_client.post(change_url(doctor), data)
    assert response.status_code == 302, response.context["errors"]

    doctor.refresh_from_db()
    assert (doctor.specialty_en, doctor.specialty_es) == (
        "Spine surgery",
        "Cirugía de columna",
    )
    assert (doctor.biography_en, doctor.biography_es) == (
        "Treats spines.",
        "Trata la columna.",
    )


def test_the_practice_list_finds_practices_by_their_spanish_description(admin_client):
    PracticeFactory(name="Northside", description_es=SPANISH_DESCRIPTION)
    PracticeFactory(name="Southside")

    page = admin_client.get(
        reverse("admin:articles_practice_changelist"), {"q": "centro"}
    ).content.decode()

    assert "Northside" in page and "Southside" not in page


def test_the_migration_keeps_existing_text_as_the_english(transactional_db):
    """0011 copies what the single columns held into the English ones, and back."""
    practice = PracticeFactory(
        description="A spine practice downtown.", description_es=SPANISH_DESCRIPTION
    )
    LocationFactory(practice=practice, name="Main clinic", opening_hours="9 to 5")
    DoctorFactory(specialty="Spine surgery", biography="Treats spines.")
    # The single column holds the text of the language active at the last save.
    with translation.override("es"):
        practice.save()
    try:
        call_command("migrate", "articles", "0010", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SELECT description FROM articles_practice")
            assert cursor.fetchall() == [("A spine practice downtown.",)]
    finally:
        call_command("migrate", verbosity=0)

    practice = Practice.objects.get()
    assert practice.description_en == "A spine practice downtown."
    location = Location.objects.get()
    assert (location.name_en, location.opening_hours_en) == ("Main clinic", "9 to 5")
    doctor = Doctor.objects.get()
    assert (doctor.specialty_en, doctor.biography_en) == (
        "Spine surgery",
        "Treats spines.",
    )
