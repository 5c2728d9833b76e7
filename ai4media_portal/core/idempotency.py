"""Creates that happen once however often they are sent: a double click, a re-sent form, two
tabs, a client retrying an API call.

A create form carries a hidden token made when the page was drawn (``new_form_token``); the
API takes the same token as ``form_token``. The model keeps it in a unique ``form_token``
field, and the service creates through ``create_once``: the first request creates, any
repeat (even one running at the same moment) gets what the first made. The network's
application and the open calls' proposals work this way.
"""

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction

M = TypeVar("M", bound=models.Model)


def new_form_token() -> uuid.UUID:
    """A fresh token for a create form's hidden ``form_token`` field."""
    return uuid.uuid4()


def posted_form_token(request) -> uuid.UUID | None:
    """The ``form_token`` a POST carries, or None when absent or not a UUID (then the create
    simply happens, as without a token)."""
    try:
        return uuid.UUID(request.POST.get("form_token", ""))
    except ValueError:
        return None


def create_once(
    model: type[M],
    *,
    form_token: uuid.UUID | None,
    owner_field: str,
    owner,
    create: Callable[[], M],
) -> tuple[M, bool]:
    """``create()`` (which stores ``form_token`` on what it makes), once per token.

    Returns ``(object, created)``: the object the token already made (``created`` False), or
    the new one. Without a token it simply creates. ``owner_field`` names who made it; someone
    else's token raises ``PermissionDenied``, never revealing their object. Two requests
    racing with one token are settled by the unique constraint: the loser returns the winner's
    object. Call inside the service's transaction, after its permission check.
    """
    if form_token is None:
        return create(), True
    existing = model._default_manager.filter(form_token=form_token).first()
    if existing is None:
        try:
            with transaction.atomic():
                return create(), True
        except IntegrityError:
            existing = model._default_manager.filter(form_token=form_token).first()
            if existing is None:
                raise
    if getattr(existing, f"{owner_field}_id") != owner.pk:
        raise PermissionDenied
    return existing, False
