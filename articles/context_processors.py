from django.conf import settings


def site(request):
    """The site's name and the page's default canonical URL (its path, no query string)."""
    return {
        "site_name": settings.SITE_NAME,
        "canonical_url": request.build_absolute_uri(request.path),
    }
