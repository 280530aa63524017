"""Every public page is valid HTML for the W3C Nu HTML Checker (vnu), run offline."""

import json
import subprocess
import urllib.error
import urllib.request
from collections import defaultdict

import pytest

pytestmark = pytest.mark.browser


CANARY = "<!doctype html><html lang=en><title>Canary</title><p><li>Not in a list"


def fetch(url):
    """The page's HTML as the live server sends it, error pages included."""
    # Only the live server on 127.0.0.1 is ever asked.
    try:
        with urllib.request.urlopen(url) as response:  # noqa: S310
            return response.read()
    except urllib.error.HTTPError as error:
        return error.read()


@pytest.fixture(scope="module")
def checker_messages(demo_site, vnu, tmp_path_factory):
    """The checker's messages for each page, from one run over all pages (one JVM)."""
    folder = tmp_path_factory.mktemp("pages")
    for name in demo_site.pages:
        url, _status = demo_site.url(name)
        (folder / f"{name}.html").write_bytes(fetch(url))
    # A page with a known error proves that the checker read the batch.
    (folder / "canary.html").write_text(CANARY)
    files = sorted(str(file) for file in folder.iterdir())
    result = subprocess.run(
        [*vnu, "--format", "json", "--stdout", "--exit-zero-always", *files],
        capture_output=True,
        check=True,
        timeout=300,
    )
    messages = defaultdict(list)
    for message in json.loads(result.stdout)["messages"]:
        name = message.get("url", "").rsplit("/", 1)[-1].removesuffix(".html")
        messages[name].append(message)
    assert messages.pop("canary"), "the checker missed the error in canary.html"
    return messages


def describe(message):
    line = message.get("lastLine", "?")
    extract = message.get("extract", "").strip().replace("\n", " ")
    kind = message.get("subType", message["type"])
    return f"line {line}: {kind}: {message['message']}\n    {extract}"


def test_page_is_valid_html(checker_messages, page_name):
    messages = checker_messages[page_name]
    errors = [m for m in messages if m["type"] != "info"]
    others = [m for m in messages if m["type"] == "info"]
    if others:  # warnings do not fail the test, but show with -rA or on failure
        print(f"{page_name}: the checker warns:\n" + "\n".join(map(describe, others)))
    assert not errors, f"{page_name} is not valid HTML:\n" + "\n".join(
        map(describe, errors)
    )
