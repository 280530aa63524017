import re
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

LINK = re.compile(r'(?:href|src)="([^"#]+)"')


def test_every_link_from_the_home_page_works_on_the_demo_site(client):
    """A new user clicks through the whole demo site without hitting an error."""
    call_command("load_demo", stdout=StringIO())
    seen, queue = set(), ["/en/"]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        if "text/html" not in response["Content-Type"]:
            continue
        for link in LINK.findall(response.content.decode()):
            url = urlsplit(urljoin("http://testserver" + path, link))
            if url.netloc == "testserver" and not url.path.startswith("/admin/"):
                queue.append(url.path)
    article_pages = [
        p
        for p in seen
        if re.fullmatch(r"/en/guides/[\w-]+/[\w-]+/", p) and not p.endswith("/print/")
    ]
    assert len(article_pages) == 3
    assert "/en/practices/example-spine-center/" in seen
    assert "/en/doctors/jordan-example/" in seen
    assert any(path.startswith("/media/images/") for path in seen)
