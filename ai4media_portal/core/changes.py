"""Applying edits to a model instance and knowing what changed, for services that save with
``update_fields`` and log the names of the changed fields."""

from collections.abc import Iterable, Mapping


def apply_changes(instance, data: Mapping, fields: Iterable[str]) -> list[str]:
    """Set each of ``fields`` present in ``data`` whose value differs on ``instance``.

    Returns the names set, in the order of ``fields``; keys of ``data`` outside ``fields`` are
    ignored (a form or serializer can never widen what a service changes).
    """
    changed = []
    for name in fields:
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    return changed


def apply_file_change(instance, field: str, upload=None, *, clear: bool = False) -> bool:
    """Put ``upload`` (an already checked file) in ``instance.<field>``, or empty the field when
    ``clear`` and it holds a file. Returns whether the field changed."""
    if upload is not None:
        setattr(instance, field, upload)
        return True
    if clear and getattr(instance, field):
        setattr(instance, field, "")
        return True
    return False
