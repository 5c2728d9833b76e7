"""Readable, unique slugs for the records that pages address by name (organisations,
Observatory items and experts, AIDA courses, lectures and resources).

Two requests making records with the same name at the same moment would both find the same
slug free, and the second would fail on the unique constraint. ``unique_slug`` therefore
serialises the choice per table: it takes a transaction-scoped PostgreSQL advisory lock, so
the second request waits until the first has committed and then sees its slug taken.
"""

from collections.abc import Iterable

from anyascii import anyascii
from django.db import connection, models, transaction
from django.utils.text import slugify

# The first key of the advisory lock; the second is the table's name, hashed by PostgreSQL.
SLUG_LOCK_NAMESPACE = 951911
# Numbered candidates tried before falling back to a random suffix.
MAX_NUMBERED = 200


def slug_of(text: str, *, max_length: int = 100) -> str:
    """``text`` as a slug of at most ``max_length`` characters: letters of every script
    transliterated to ASCII first (``anyascii``: "Νόμος" → "nomos", "Łódź" → "lodz"), then
    Django's ``slugify``. An empty string when nothing is left (punctuation, symbols)."""
    return slugify(anyascii(text or ""))[:max_length].strip("-")


def lock_names(model: type[models.Model]) -> None:
    """Hold the lock on ``model``'s slugs until the current transaction ends: whoever else
    names a record of ``model`` meanwhile (``unique_slug``, or a check for a record of the
    same name before making one) waits until then. Taking it again in the same transaction
    is free. Raises ``TransactionManagementError`` outside a transaction, where the lock
    would end at once."""
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError(
            "Names are locked inside the transaction that saves the record."
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
            [SLUG_LOCK_NAMESPACE, model._meta.db_table],
        )


def unique_slug(
    model: type[models.Model],
    text: str,
    *,
    fallback: str,
    max_length: int = 100,
    exclude_pk: int | None = None,
    also_try: Iterable[str] = (),
) -> str:
    """A slug for a record of ``model`` that no other record of it has, at most
    ``max_length`` characters (the slug field's length): ``slug_of(text)`` (``fallback``
    when nothing is left), else that base with each of ``also_try`` appended
    (``base-<suffix>``), else ``base-2``, ``base-3`` …, the base cut to make room. The record
    at ``exclude_pk`` (the one being renamed) does not count as taking its own slug.

    Call it inside the transaction that saves the record: it takes ``lock_names(model)``,
    held until that transaction ends. Raises ``TransactionManagementError`` outside a
    transaction.
    """
    lock_names(model)
    base = slug_of(text, max_length=max_length) or fallback
    taken = set(
        model._default_manager.filter(slug__startswith=base[: max_length // 2])
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    tails = [f"-{suffix}" for suffix in also_try if suffix]
    tails += [f"-{n}" for n in range(2, MAX_NUMBERED)]
    for tail in ["", *tails]:
        candidate = _fitted(base, tail, max_length)
        if candidate not in taken:
            return candidate
    # Hundreds of records of one name: the count of them makes the next one.
    n = MAX_NUMBERED
    while _fitted(base, f"-{n}", max_length) in taken:
        n += 1
    return _fitted(base, f"-{n}", max_length)


def _fitted(base: str, tail: str, max_length: int) -> str:
    """``base`` and ``tail`` in at most ``max_length`` characters, cutting the base."""
    return base[: max_length - len(tail)].rstrip("-") + tail
