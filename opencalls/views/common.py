"""What the open calls' pages share: permission checks, pagination, form errors."""

from django.core.exceptions import PermissionDenied

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.forms import add_portal_error
from ai4media_portal.core.pagination import PortalPaginator

PAGE_SIZE = 25


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _page(request, queryset, size=PAGE_SIZE):
    return PortalPaginator(queryset, size).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _manager(request) -> None:
    if not request.user.has_perm("opencalls.manage_calls"):
        raise PermissionDenied


def _form_error(form, error) -> None:
    if isinstance(error, PortalError):
        add_portal_error(form, error)
        return
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)
