"""schema.org descriptions of our pages, for search engines, as JSON-LD."""


def clinic_data(practice, url):
    """A practice as a schema.org MedicalClinic."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": practice.name,
        "url": url,
    }
    if practice.description:
        data["description"] = practice.description
    if practice.website:
        data["sameAs"] = practice.website
    locations = list(practice.locations.all())
    if locations:
        data["address"] = [
            {
                "@type": "PostalAddress",
                "name": location.name,
                "streetAddress": " ".join(location.address.split()),
            }
            for location in locations
        ]
        phones = [location.phone for location in locations if location.phone]
        if phones:
            data["telephone"] = phones[0] if len(phones) == 1 else phones
    return data


def physician_data(doctor, url, practice_urls):
    """A doctor as a schema.org Physician, linked to the clinics they work at."""
    data = {
        "@context": "https://schema.org",
        "@type": "Physician",
        "name": doctor.display_name,
        "url": url,
    }
    if doctor.specialty:
        data["medicalSpecialty"] = doctor.specialty
    if doctor.biography:
        data["description"] = doctor.biography
    if practice_urls:
        data["memberOf"] = [
            {"@type": "MedicalClinic", "name": name, "url": practice_url}
            for name, practice_url in practice_urls
        ]
    return data
