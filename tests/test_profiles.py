"""Practice and doctor pages carry schema.org data search engines can read."""

import json
import re

import pytest

from .factories import DoctorFactory, LocationFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def structured_data(response):
    page = response.content.decode()
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page, re.S
    )
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_practice_page_describes_a_medical_clinic(client):
    practice = PracticeFactory(name="North Spine", website="https://north.example.org/")
    LocationFactory(
        practice=practice,
        name="Main",
        address="1 Bone Road\nTown",
        phone="555 010 0150",
    )
    data = structured_data(client.get(practice.get_absolute_url()))
    assert data["@type"] == "MedicalClinic"
    assert data["name"] == "North Spine"
    assert data["url"] == f"http://testserver{practice.get_absolute_url()}"
    assert data["telephone"] == "+15550100150"
    assert data["address"][0]["streetAddress"] == "1 Bone Road Town"
    assert data["sameAs"] == "https://north.example.org/"


def test_doctor_page_describes_a_physician_and_their_clinics(client):
    practice = PracticeFactory(name="South Spine")
    doctor = DoctorFactory(name="Kim Careful", specialty="Spine surgery")
    doctor.practices.add(practice)
    data = structured_data(client.get(doctor.get_absolute_url()))
    assert data["@type"] == "Physician"
    assert data["name"] == "Dr. Kim Careful"
    assert data["medicalSpecialty"] == "Spine surgery"
    assert data["memberOf"] == [
        {
            "@type": "MedicalClinic",
            "name": "South Spine",
            "url": f"http://testserver{practice.get_absolute_url()}",
        }
    ]


def test_a_hostile_name_cannot_break_out_of_the_json_ld(client):
    practice = PracticeFactory(name='</script><script>alert("x")</script>')
    response = client.get(practice.get_absolute_url())
    page = response.content.decode()
    assert "<script>alert" not in page
    assert structured_data(response)["name"] == practice.name
