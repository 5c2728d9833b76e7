"""The one permission path: ``can()`` asks the rules only, so an admin account holds a power
only where a rule names it, and nobody decides on their own case."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from ai4media_portal.core.permissions import can, require_perm
from ai4media_portal.core.roles import Role
from network.enums import ApplicationStatus
from tests.factories import UserFactory
from tests.network.factories import ApplicationFactory, ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_can_refuses_a_superuser_a_power_no_rule_names():
    admin = UserFactory(is_staff=True, is_superuser=True)
    application = ApplicationFactory(status=ApplicationStatus.DRAFT)
    assert admin.has_perm("network.change_membershipapplication", application) is True
    assert can(admin, "network.change_membershipapplication", application) is False
    assert can(admin, "network.decide_membershipapplication", application) is False


def test_can_refuses_inactive_anonymous_and_missing_users():
    application = ApplicationFactory()
    owner = application.applicant
    assert can(owner, "network.change_membershipapplication", application) is True
    owner.is_active = False
    assert can(owner, "network.change_membershipapplication", application) is False
    assert can(AnonymousUser(), "network.add_membershipapplication") is False
    assert can(None, "network.add_membershipapplication") is False


def test_require_perm_raises_permission_denied_for_a_superuser():
    admin = UserFactory(is_staff=True, is_superuser=True)
    with pytest.raises(PermissionDenied):
        require_perm(admin, "network.withdraw_membershipapplication", ApplicationFactory())


def test_a_network_manager_does_not_decide_their_own_application():
    manager = UserFactory(roles=[Role.NETWORK_MANAGER])
    own = ApplicationFactory(applicant=manager, status=ApplicationStatus.SUBMITTED)
    other = ApplicationFactory(status=ApplicationStatus.SUBMITTED)
    assert can(manager, "network.review_membershipapplication", own) is False
    assert can(manager, "network.decide_membershipapplication", own) is False
    assert can(manager, "network.decide_membershipapplication", other) is True


def test_a_network_manager_does_not_decide_for_an_organisation_they_are_contact_of():
    manager = UserFactory(roles=[Role.NETWORK_MANAGER])
    organisation = OrganisationFactory(role=None)
    ContactFactory(organisation=organisation, user=manager)
    application = ApplicationFactory(
        organisation=organisation, org_name=organisation.name, status=ApplicationStatus.SUBMITTED
    )
    assert application.is_party(manager) is True
    assert can(manager, "network.review_membershipapplication", application) is False
    assert can(manager, "network.decide_membershipapplication", application) is False


def test_own_case_is_refused_through_the_page_too(client):
    manager = UserFactory(roles=[Role.NETWORK_MANAGER])
    application = ApplicationFactory(applicant=manager, status=ApplicationStatus.SUBMITTED)
    client.force_login(manager)
    response = client.post(f"/network/applications/{application.pk}/start-review/")
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def _portal_modules():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for folder in ("ai4media_portal", "network", "opencalls", "observatory", "aida", "fellows"):
        for path in sorted((root / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(root), ast.parse(path.read_text())


def test_no_module_asks_django_has_perm_or_reads_the_htmx_header():
    """``user.has_perm()`` lets a superuser through every check; ``can()`` is the one path.
    django-htmx's ``request.htmx`` is the one way to tell an htmx request."""
    import ast

    found = []
    for path, tree in _portal_modules():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "has_perm"
                and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "rules")
            ):
                found.append(f"{path}:{node.lineno} has_perm")
            if isinstance(node, ast.Constant) and node.value == "HX-Request":
                found.append(f"{path}:{node.lineno} HX-Request")
    assert found == []


def test_the_view_helpers_of_the_core_are_written_once():
    """``core.web`` holds the permission check, form errors and pages of a listing."""
    import ast

    names = {"_require", "_form_error", "_page", "_query_without_page", "_manager"}
    found = [
        f"{path}:{node.lineno} {node.name}"
        for path, tree in _portal_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name in names
    ]
    assert found == []
