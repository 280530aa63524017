"""schema.org descriptions of our pages, for search engines, as JSON-LD."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .facts import fill_text
from .sanitize import web_link


def clinic_data(practice, url):
    """A practice as a schema.org MedicalClinic, in the language of the page."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": practice.name,
        "url": url,
        # Practices are shared by every language; the page is in the request's.
        "inLanguage": get_language(),
    }
    if practice.description:
        data["description"] = practice.description
    # Every other url here is built from our own routes; this one was typed.
    if website := web_link(practice.website):
        data["sameAs"] = website
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
    """
    A doctor as a schema.org Physician, linked to the clinics they work at, in
    the language of the page.
    """
    data = {
        "@context": "https://schema.org",
        "@type": "Physician",
        "name": doctor.display_name,
        "url": url,
        "inLanguage": get_language(),
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


def article_data(
    article,
    url,
    steps,
    home_url,
    guide_url,
    image_url=None,
    reviewed_by_url=None,
    fact_values=None,
):
    """
    An article as a schema.org MedicalWebPage, with the reviewing physician,
    the procedure it explains (its steps in order) and its breadcrumb trail.
    The facts its steps name read as fact_values gives them: the shared values
    of the canonical page.
    """
    page = {
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": article.title,
        "headline": article.title,
        "description": article.teaser,
        "inLanguage": article.language,
        "dateModified": article.content_updated_at.isoformat(),
        "isPartOf": {"@type": "WebSite", "url": home_url},
    }
    if article.first_published_at:
        page["datePublished"] = article.first_published_at.isoformat()
    if article.reviewed_at:
        page["lastReviewed"] = article.reviewed_at.isoformat()
    if article.reviewed_by:
        page["reviewedBy"] = {
            "@type": "Physician",
            "name": article.reviewed_by.display_name,
            "url": reviewed_by_url,
        }
    if image_url:
        page["primaryImageOfPage"] = {
            "@type": "ImageObject",
            "url": image_url,
            "caption": article.hero_image.alt_text,
        }
    if steps:
        page["about"] = {
            "@type": "MedicalProcedure",
            "name": article.title,
            "howPerformed": " ".join(
                f"{number}. {step.heading}." for number, step in enumerate(steps, 1)
            ),
            "step": [
                {
                    "@type": "HowToStep",
                    "position": number,
                    "name": step.heading,
                    "text": fill_text(step.plain_body, fact_values or {}),
                }
                for number, step in enumerate(steps, 1)
            ],
        }
    breadcrumbs = {
        "@type": "BreadcrumbList",
        "inLanguage": article.language,
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": item}
            for position, (name, item) in enumerate(
                [
                    (_("Home"), home_url),
                    (article.guide.title, guide_url),
                    (article.title, url),
                ],
                1,
            )
        ],
    }
    return {"@context": "https://schema.org", "@graph": [page, breadcrumbs]}
