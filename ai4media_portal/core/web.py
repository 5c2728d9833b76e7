"""What every pillar's HTML views share: the permission check, showing a service's refusal in a
form, pages of a listing and their query strings. Views stay thin by calling these."""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page

from .exceptions import PortalError
from .forms import add_portal_error
from .pagination import PortalPaginator
from .permissions import can


def require(request, perm: str, obj=None) -> None:
    """Raise ``PermissionDenied`` (403) unless the signed-in user ``can(perm, obj)``.

    Views that must not reveal that an object exists check with a selector first and answer
    404; this is for the rest.
    """
    if not can(request.user, perm, obj):
        raise PermissionDenied


def form_error(form: forms.BaseForm, error: PortalError | DjangoValidationError) -> None:
    """Show a service's refusal in ``form``: beside the field it names, or above the form.

    ``error`` is a ``PortalError`` or a Django ``ValidationError`` (from ``full_clean()``),
    whose field names that the form lacks go above the form too.
    """
    if isinstance(error, PortalError):
        add_portal_error(form, error)
    elif hasattr(error, "error_dict"):
        for name, field_errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def paginate(request, items, per_page: int, *, count: int | None = None) -> Page:
    """The page named by ``?page=`` (the first for a missing or bad number, the last past the
    end) of ``items`` (a queryset or a list). Deep pages find their rows' keys first, so they
    stay as fast as the first (``core.pagination.PortalPaginator``); ``count``, when known
    (say, remembered in the cache), spares the counting query. Render the page with
    ``components/pagination.html``."""
    return PortalPaginator(items, per_page, count=count).get_page(request.GET.get("page"))


def listing_query(params, **changes) -> str:
    """The query string of a listing with some parameters changed and ``page`` and empty ones
    left out, in a fixed order, so that each listing has one canonical URL.

    ``params`` is a mapping (``request.GET`` or a dict); ``changes`` override its values.
    """
    merged = {key: value for key, value in params.items() if key != "page"}
    merged.update(changes)
    return urlencode([(key, value) for key, value in merged.items() if value not in ("", None)])
