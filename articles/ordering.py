"""
Saving ordered children (articles in a guide, steps, facts, references) whose
(parent, position) pair is unique, so that positions end up 1..n with no gaps.
"""

from django.db import transaction

from . import content_version

# Positions are moved out of the way to this range before the final numbers are
# written, so that no intermediate state breaks the unique constraint.
PARKING_OFFSET = 1_000_000


@transaction.atomic
def save_in_order(ordered, siblings, changed=None):
    """
    Number `ordered` 1..n in the order given and save it.

    `siblings` is a queryset of every stored row with the same parent; stored
    rows missing from `ordered` follow it in their current order. Objects in
    `changed` (all of `ordered` by default) are saved with save(), so their
    other edits are stored too; the rest only get their new position.
    """
    ordered = list(ordered)
    listed = {obj.pk for obj in ordered if obj.pk}
    ordered += [
        row for row in siblings.order_by("position", "pk") if row.pk not in listed
    ]
    changed = ordered if changed is None else list(changed)
    changed_ids = {id(obj) for obj in changed}
    model = siblings.model

    stored = [obj for obj in ordered if obj.pk]
    for number, obj in enumerate(stored, start=1):
        obj.position = PARKING_OFFSET + number
    model.objects.bulk_update(stored, ["position"])

    for number, obj in enumerate(ordered, start=1):
        obj.position = number
    for obj in changed:
        obj.save()
    model.objects.bulk_update(
        [obj for obj in stored if id(obj) not in changed_ids], ["position"]
    )
    # bulk_update() sends no signal, and patients see the new order.
    content_version.bump_on_commit()
    return ordered


def place_at(obj, wanted_position, siblings):
    """Save `obj` at `wanted_position` (1-based; None means last) among `siblings`."""
    others = list(siblings.exclude(pk=obj.pk).order_by("position", "pk"))
    index = len(others) if wanted_position is None else wanted_position - 1
    index = max(0, min(index, len(others)))
    return save_in_order(
        others[:index] + [obj] + others[index:], siblings, changed=[obj]
    )


def close_gaps(siblings):
    """Renumber the rows of `siblings` 1..n in their current order, e.g. after a delete."""
    rows = list(siblings.order_by("position", "pk"))
    if any(row.position != number for number, row in enumerate(rows, start=1)):
        save_in_order(rows, siblings, changed=[])
