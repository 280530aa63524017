"""
What changed between two revisions of an article, in words an editor reads.

A snapshot is a plain dict: {"fields": {name: value}, "steps": [...], "facts":
[...], "references": [...]}, each child a dict with "id", "position" and its
text fields. Nothing here touches the database.
"""

import difflib
import html
import re
from dataclasses import dataclass, field

import nh3

CHILDREN = ("steps", "facts", "references")

# Block-level tags end a word; without the space "end.</p><p>Start" reads "end.Start".
BLOCK_TAG = re.compile(r"<(/?)(p|br|li|h[1-6]|td|th|tr|blockquote|figcaption)\b")


def plain_text(value):
    """The text a reader sees in `value` (HTML or plain), without tags or entities."""
    if value is None:
        return ""
    text = nh3.clean(BLOCK_TAG.sub(r" <\1\2", str(value)), tags=set())
    return html.unescape(text)


def word_diff(old, new):
    """A word-level diff of the plain text: a list of (op, text), op equal/insert/delete."""
    old_words, new_words = plain_text(old).split(), plain_text(new).split()
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    diff = []
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            diff.append(("delete", " ".join(old_words[old_start:old_end])))
        if tag in ("insert", "replace"):
            diff.append(("insert", " ".join(new_words[new_start:new_end])))
        if tag == "equal":
            diff.append(("equal", " ".join(old_words[old_start:old_end])))
    return diff


@dataclass
class FieldChange:
    """A changed value: its name and the words deleted and inserted."""

    name: str
    words: list
    label: str = ""  # for the reader; the admin fills in the field's verbose name

    @property
    def formatting_only(self):
        """True when only markup changed (bold, links, paragraphs), not the words."""
        return all(op == "equal" for op, _text in self.words)


@dataclass
class ItemChange:
    """A step, fact or reference that was added, removed, moved or edited."""

    kind: str  # "added", "removed", "moved" or "edited"
    title: str
    old_position: int | None = None
    new_position: int | None = None
    fields: list = field(default_factory=list)  # FieldChange per changed value
    summary: str = ""  # for the reader; the admin writes the sentence


def diff_fields(old, new):
    """FieldChange for every key whose value differs between the two dicts."""
    return [
        FieldChange(name, word_diff(old.get(name), new.get(name)))
        for name in dict.fromkeys([*old, *new])
        if (old.get(name) or "") != (new.get(name) or "")
    ]


def item_title(item):
    """What an editor calls a child: a step's heading, a fact's label, a citation."""
    for key in ("heading", "label", "citation"):
        if key in item:
            return plain_text(item[key])
    return str(item.get("id", ""))


def texts(item):
    """A child's own values, without the id and position that place it."""
    return {key: value for key, value in item.items() if key not in ("id", "position")}


def diff_items(old_items, new_items):
    """
    Match children by id. "moved" means reordered among the others, not merely
    renumbered because an item before it was added or removed.
    """
    old_by_id = {item["id"]: item for item in old_items}
    new_by_id = {item["id"]: item for item in new_items}
    changes = [
        ItemChange(
            "removed",
            item_title(item),
            old_position=item["position"],
            fields=diff_fields(texts(item), {}),
        )
        for item in sorted(old_items, key=lambda item: item["position"])
        if item["id"] not in new_by_id
    ]
    changes += [
        ItemChange(
            "added",
            item_title(item),
            new_position=item["position"],
            fields=diff_fields({}, texts(item)),
        )
        for item in sorted(new_items, key=lambda item: item["position"])
        if item["id"] not in old_by_id
    ]

    def order(items, other):
        kept = [item for item in items if item["id"] in other]
        return [item["id"] for item in sorted(kept, key=lambda item: item["position"])]

    old_order, new_order = order(old_items, new_by_id), order(new_items, old_by_id)
    matcher = difflib.SequenceMatcher(a=old_order, b=new_order, autojunk=False)
    in_place = {
        item_id
        for block in matcher.get_matching_blocks()
        for item_id in old_order[block.a : block.a + block.size]
    }
    for item_id in new_order:
        old_item, new_item = old_by_id[item_id], new_by_id[item_id]
        positions = {
            "old_position": old_item["position"],
            "new_position": new_item["position"],
        }
        if item_id not in in_place:
            changes.append(ItemChange("moved", item_title(new_item), **positions))
        edited = diff_fields(texts(old_item), texts(new_item))
        if edited:
            changes.append(
                ItemChange("edited", item_title(new_item), fields=edited, **positions)
            )
    return changes


@dataclass
class RevisionDiff:
    """Everything that differs between two snapshots."""

    fields: list
    steps: list
    facts: list
    references: list

    def __bool__(self):
        return any([self.fields, self.steps, self.facts, self.references])


def diff_snapshots(old, new):
    """Compare two snapshots: the article's own fields, then each kind of child."""
    return RevisionDiff(
        fields=diff_fields(old.get("fields", {}), new.get("fields", {})),
        **{name: diff_items(old.get(name, []), new.get(name, [])) for name in CHILDREN},
    )
