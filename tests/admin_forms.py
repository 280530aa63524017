"""Submit Django admin forms in tests the way a browser does."""

from html.parser import HTMLParser

from django.urls import reverse


class _FormReader(HTMLParser):
    """Collect the name/value pairs a browser would submit for one <form>."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.pairs = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.pairs.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = {"name": name, "selected": [], "first": None}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["selected"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # Browsers drop the newline that directly follows <textarea>.
            self.pairs.append((name, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["selected"] or [self._select["first"]]
            self.pairs += [(self._select["name"], v) for v in chosen if v is not None]
            self._select = None


def form_data(response, form_id):
    """The POST data of the page's form, as a browser would send it unchanged."""
    assert response.status_code == 200
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    data = {}
    for name, value in reader.pairs:
        if "__prefix__" in name:  # the template rows for "Add another"
            continue
        if name in data:
            previous = data[name]
            data[name] = (
                [*previous, value] if isinstance(previous, list) else [previous, value]
            )
        else:
            data[name] = value
    assert data, f"no form #{form_id} on the page"
    return data


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def article_form(client, article):
    return form_data(client.get(change_url(article)), "article_form")


def row_index(data, prefix, obj):
    """The inline form index whose hidden id is obj's."""
    for key, value in data.items():
        if (
            key.startswith(f"{prefix}-")
            and key.endswith("-id")
            and value == str(obj.pk)
        ):
            return int(key.split("-")[1])
    raise AssertionError(f"{obj!r} is not in the {prefix} inline")


def add_step_row(data, **values):
    """Append an empty 'Add another step' row, filled with values."""
    index = int(data["steps-TOTAL_FORMS"])
    data["steps-TOTAL_FORMS"] = str(index + 1)
    data.update({f"steps-{index}-{key}": value for key, value in values.items()})
    return data


def post_article(client, article, data):
    return client.post(change_url(article), data)


def assert_saved(response):
    """The admin redirects after a save; anything else is a refused form."""
    if response.status_code != 302:
        raise AssertionError(f"not saved: {form_errors(response)}")


def form_errors(response):
    context = response.context
    found = [context["adminform"].form.errors]
    for inline in context["inline_admin_formsets"]:
        found += [inline.formset.errors, inline.formset.non_form_errors()]
    return found
