"""Every write of the network pillar: organisations, their roles and contacts, and the
associate-membership workflow.

Each service checks the actor's permission (``PermissionDenied``), runs in one transaction,
locks the rows it changes, validates, writes the audit log and queues its emails, which leave
after the transaction commits. HTML views, the API and the admin all call these.

One module of some 750 lines on purpose: approving an application builds the organisation
with the organisation section's private helpers (slug, role, contact), so the two concepts
are kept together rather than exported to each other.
"""

import uuid
from collections.abc import Iterable
from datetime import date
from pathlib import PurePosixPath

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ai4media_portal.accounts.selectors import holders_of
from ai4media_portal.core.audit import log_action
from ai4media_portal.core.changes import apply_changes, apply_file_change
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.models import Topic
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import require_perm
from ai4media_portal.core.roles import Role
from ai4media_portal.core.slugs import lock_names, unique_slug
from ai4media_portal.core.workflow import ensure_transition

from .enums import TRANSITIONS, ApplicationStatus, NetworkRole
from .models import (
    ApplicationStatusChange,
    MembershipApplication,
    Organisation,
    OrganisationContact,
    OrganisationRole,
)
from .selectors import possible_duplicates
from .terms import TERMS_VERSION

User = get_user_model()

# Filled in from an approved application when the listed organisation has them empty.
_FILLED_ON_APPROVAL = {
    "short_name": "org_short_name",
    "legal_name": "org_legal_name",
    "city": "org_city",
    "website": "org_website",
    "description": "org_description",
    "contact_email": "org_contact_email",
}


def _portal_error(exc: DjangoValidationError) -> PortalError:
    """The first message of a model validation error, with the field it concerns."""
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        return PortalError(errors[0].messages[0], field=None if field == "__all__" else field)
    return PortalError(exc.messages[0])


def _full_clean(instance, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except DjangoValidationError as exc:
        raise _portal_error(exc) from exc


# --- Organisations -----------------------------------------------------------------------------


def organisation_update(
    *,
    organisation: Organisation,
    actor,
    data: dict,
    areas_of_interest: Iterable[Topic] | None = None,
    logo=None,
    clear_logo: bool = False,
) -> Organisation:
    """Change an organisation's public profile. Its contacts and the network managers may.

    ``data`` holds any of ``Organisation.PROFILE_FIELDS``; ``logo`` is an upload already checked by
    content. The change is logged with the names of the fields that changed.
    """
    require_perm(actor, "network.change_organisation", organisation)
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = apply_changes(locked, data, Organisation.PROFILE_FIELDS)
        if apply_file_change(locked, "logo", logo, clear=clear_logo):
            changed.append("logo")
        if (
            "ror_id" in changed
            and locked.ror_id
            and Organisation.objects.filter(ror_id=locked.ror_id).exclude(pk=locked.pk).exists()
        ):
            raise PortalError(
                _("Another organisation already has this ROR ID."), field="ror_id", code="unique"
            )
        # A logo already stored was checked when it was uploaded.
        _full_clean(locked, exclude=[] if logo is not None else ["logo"])
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
        if areas_of_interest is not None:
            before = set(locked.areas_of_interest.values_list("pk", flat=True))
            after = {topic.pk for topic in areas_of_interest}
            if before != after:
                locked.areas_of_interest.set(after)
                changed.append("areas_of_interest")
        if changed:
            log_action(
                "network.organisation.update",
                actor=actor,
                target=locked,
                data={"fields": changed},
            )
    return locked


def organisation_refresh_joined_on(organisation: Organisation) -> Organisation:
    """Set ``joined_on`` to the start of the organisation's earliest role (empty without
    roles). Called whenever roles change, by the services below and the admin."""
    first = OrganisationRole.objects.filter(organisation=organisation).aggregate(
        first=Min("since")
    )["first"]
    if organisation.joined_on != first:
        organisation.joined_on = first
        organisation.save(update_fields=["joined_on"])
    return organisation


def _grant_role(organisation: Organisation, role: NetworkRole, since: date) -> OrganisationRole:
    grant, _created = OrganisationRole.objects.get_or_create(
        organisation=organisation, role=role, defaults={"since": since}
    )
    organisation_refresh_joined_on(organisation)
    return grant


def organisation_role_grant(
    *, organisation: Organisation, role: NetworkRole, since: date, actor
) -> OrganisationRole:
    """Give an organisation a role in the network from ``since`` (network managers only).
    Granting a role it already holds changes nothing."""
    require_perm(actor, "network.manage_membershipapplications")
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        grant = _grant_role(locked, role, since)
        log_action(
            "network.organisation.role_grant",
            actor=actor,
            target=locked,
            data={"role": str(role), "since": grant.since.isoformat()},
        )
    return grant


def organisation_record_beneficiary(
    *, name: str, country: str, organisation_type: str, since: date, actor
) -> Organisation:
    """The directory entry of an organisation funded by an open call: the listed organisation
    of that country whose name is the same or similar, or a new one; either way it holds the
    open-call beneficiary role from ``since`` or from an earlier funding it already had.

    Called by the open-calls services when a call manager sets up a funded project: they have
    checked the actor's permission, and funded projects are public, so nothing confidential
    reaches the directory.
    """
    with transaction.atomic():
        # Two projects of one new beneficiary set up at once make one directory entry: the
        # second waits here until the first has committed, then finds it.
        lock_names(Organisation)
        matches = [
            match.organisation
            for match in possible_duplicates(name=name)
            if match.organisation is not None and match.organisation.country == country
        ]
        if matches:
            organisation = Organisation.objects.select_for_update().get(pk=matches[0].pk)
        else:
            organisation = Organisation(
                name=name.strip(),
                slug=unique_slug(
                    Organisation, name, fallback="organisation", also_try=[country.lower()]
                ),
                type=organisation_type,
                country=country,
            )
            _full_clean(organisation)
            organisation.save()
        grant = _grant_role(organisation, NetworkRole.OPEN_CALL_BENEFICIARY, since)
        if grant.since > since:  # funded earlier than we knew: the role began then
            grant.since = since
            grant.save(update_fields=["since"])
            organisation_refresh_joined_on(organisation)
        log_action(
            "network.organisation.beneficiary",
            actor=actor,
            target=organisation,
            data={"created": not matches, "since": grant.since.isoformat()},
        )
    return organisation


def _add_contact(organisation: Organisation, user, position: str) -> OrganisationContact:
    contact, created = OrganisationContact.objects.get_or_create(
        organisation=organisation, user=user, defaults={"position": position}
    )
    if not created and position and contact.position != position:
        contact.position = position
        contact.save(update_fields=["position"])
    return contact


def organisation_contact_add(
    *, organisation: Organisation, user, position: str = "", actor
) -> OrganisationContact:
    """Make ``user`` a contact of the organisation, able to edit its profile (network
    managers only). Adding an existing contact only updates the position."""
    require_perm(actor, "network.manage_membershipapplications")
    with transaction.atomic():
        contact = _add_contact(organisation, user, position)
        log_action(
            "network.organisation.contact_add",
            actor=actor,
            target=organisation,
            data={"user": user.email, "position": position},
        )
    return contact


# --- Applications: content ---------------------------------------------------------------------


def _apply_application_data(
    application: MembershipApplication, data: dict, logo, clear_logo: bool
) -> list[str]:
    changed = apply_changes(application, data, MembershipApplication.APPLICANT_FIELDS)
    if apply_file_change(application, "org_logo", logo, clear=clear_logo):
        changed.append("org_logo")
    return changed


def _check_areas(areas_of_interest) -> list[Topic]:
    areas = list(areas_of_interest or [])
    if not areas:
        raise PortalError(
            _("Choose at least one area of interest."), field="areas_of_interest", code="required"
        )
    return areas


def _accept_terms(application: MembershipApplication, accept_terms: bool) -> None:
    if not accept_terms:
        raise PortalError(
            _("Accept the terms of associate membership and the privacy notice to apply."),
            field="accept_terms",
            code="terms_not_accepted",
        )
    application.terms_version = TERMS_VERSION
    application.terms_accepted_at = timezone.now()


def application_create(
    *,
    applicant,
    data: dict,
    areas_of_interest: Iterable[Topic],
    accept_terms: bool,
    logo=None,
    organisation: Organisation | None = None,
    form_token: uuid.UUID | None = None,
) -> tuple[MembershipApplication, bool]:
    """Create a draft application by ``applicant`` for a new organisation, or for the listed
    ``organisation``. Returns ``(application, created)``.

    Idempotent per ``form_token`` (the hidden token of the form): a second call with the same
    token returns the application the first one created, unchanged, so a double-clicked or
    re-sent form never makes two. The acceptance of the terms is recorded with their version
    and the time.
    """
    require_perm(applicant, "network.add_membershipapplication")
    if form_token is not None:
        existing = MembershipApplication.objects.filter(form_token=form_token).first()
        if existing is not None:
            return _same_form(existing, applicant), False
    areas = _check_areas(areas_of_interest)
    application = MembershipApplication(applicant=applicant, organisation=organisation)
    if form_token is not None:
        application.form_token = form_token
    _apply_application_data(application, data, logo, clear_logo=False)
    _accept_terms(application, accept_terms)
    _full_clean(application, exclude=["form_token"])
    try:
        with transaction.atomic():
            application.save()
            application.areas_of_interest.set(areas)
            _record_change(application, "", ApplicationStatus.DRAFT, applicant)
            log_action(
                "network.application.create",
                actor=applicant,
                target=application,
                data={"organisation": organisation.pk if organisation else None},
            )
    except IntegrityError:
        # The same form raced itself: the other request created the application first.
        existing = MembershipApplication.objects.filter(form_token=form_token).first()
        if form_token is None or existing is None:
            raise
        return _same_form(existing, applicant), False
    return application, True


def _same_form(existing: MembershipApplication, applicant) -> MembershipApplication:
    if existing.applicant_id != applicant.pk:
        raise PermissionDenied  # someone else's form token: never reveal their application
    return existing


def application_update(
    *,
    application: MembershipApplication,
    actor,
    data: dict,
    areas_of_interest: Iterable[Topic] | None = None,
    accept_terms: bool,
    logo=None,
    clear_logo: bool = False,
) -> MembershipApplication:
    """Change the content of a draft, or of an application sent back for more information.
    Only the applicant may; they accept the current terms again with every change."""
    require_perm(actor, "network.change_membershipapplication", application)
    with transaction.atomic():
        locked = MembershipApplication.objects.select_for_update().get(pk=application.pk)
        if not locked.is_editable:
            raise PortalError(
                _("This application can no longer be changed: it is “%(status)s”.")
                % {"status": locked.get_status_display()},
                code="not_editable",
            )
        changed = _apply_application_data(locked, data, logo, clear_logo)
        _accept_terms(locked, accept_terms)
        # A logo already stored was checked when it was uploaded.
        _full_clean(
            locked, exclude=["form_token"] if logo is not None else ["form_token", "org_logo"]
        )
        locked.save(update_fields=[*changed, "terms_version", "terms_accepted_at", "updated_at"])
        if areas_of_interest is not None:
            locked.areas_of_interest.set(_check_areas(areas_of_interest))
            changed.append("areas_of_interest")
        log_action(
            "network.application.update", actor=actor, target=locked, data={"fields": changed}
        )
    return locked


# --- Applications: workflow --------------------------------------------------------------------


def _record_change(application, from_status, to_status, actor, message: str = ""):
    return ApplicationStatusChange.objects.create(
        application=application,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        message=message,
    )


def _lock(application: MembershipApplication) -> MembershipApplication:
    return MembershipApplication.objects.select_for_update().get(pk=application.pk)


def _move(
    application: MembershipApplication,
    target: ApplicationStatus,
    *,
    actor,
    action: str,
    message: str = "",
    extra_fields: Iterable[str] = (),
    data: dict | None = None,
) -> None:
    """Move a locked application to ``target``: check the workflow, save, record the history
    and the audit log."""
    current = ApplicationStatus(application.status)
    ensure_transition(current, target, TRANSITIONS)
    application.status = target
    application.save(update_fields=["status", "updated_at", *extra_fields])
    _record_change(application, current, target, actor, message)
    log_action(
        f"network.application.{action}",
        actor=actor,
        target=application,
        data={"from": current.value, "to": target.value, **(data or {})},
    )


def _required_message(message: str, what: str) -> str:
    message = (message or "").strip()
    if not message:
        raise PortalError(what, field="message", code="required")
    return message


def _refuse_if_decided(application: MembershipApplication) -> None:
    if application.is_decided:
        raise PortalError(
            _("This application has already been decided: it was %(status)s.")
            % {"status": application.get_status_display().lower()},
            code="already_decided",
        )


def _email_context(application: MembershipApplication, **extra) -> dict:
    return {
        "application": application,
        "application_url": absolute_url(application.get_absolute_url()),
        "queue_url": absolute_url(reverse("network:queue")),
        **extra,
    }


def _email_applicant(application: MembershipApplication, template: str, **extra) -> None:
    applicant = application.applicant
    email_queue(
        to=applicant.email,
        template=f"network/{template}",
        context=_email_context(application, **extra),
        language=applicant.language,
    )


def _email_managers(application: MembershipApplication, template: str, **extra) -> None:
    for manager in holders_of(Role.NETWORK_MANAGER):
        if manager.pk == application.applicant_id:
            continue
        email_queue(
            to=manager.email,
            template=f"network/{template}",
            context=_email_context(application, **extra),
            language=manager.language,
        )


def _refresh_possible_duplicates(application: MembershipApplication) -> None:
    if application.organisation_id is not None:
        application.possible_duplicates.clear()
        return
    matches = possible_duplicates(
        name=application.org_name,
        short_name=application.org_short_name,
        legal_name=application.org_legal_name,
        website=application.org_website,
        ror_id=application.org_ror_id,
    )
    application.possible_duplicates.set([match.organisation for match in matches])


def application_submit(*, application: MembershipApplication, actor) -> MembershipApplication:
    """The applicant sends their draft to the network managers.

    Idempotent: submitting an application that is already submitted changes nothing and sends
    nothing (a double click). Records possible duplicates; emails the applicant a receipt and
    every network manager a notice.
    """
    with transaction.atomic():
        locked = _lock(application)
        require_perm(actor, "network.submit_membershipapplication", locked)
        if locked.status == ApplicationStatus.SUBMITTED:
            return locked
        if locked.terms_version != TERMS_VERSION:
            raise PortalError(
                _(
                    "The terms have changed since you accepted them: edit the application to "
                    "accept the current version."
                ),
                field="accept_terms",
                code="terms_outdated",
            )
        locked.submitted_at = timezone.now()
        _move(
            locked,
            ApplicationStatus.SUBMITTED,
            actor=actor,
            action="submit",
            extra_fields=["submitted_at"],
        )
        _refresh_possible_duplicates(locked)
        _email_applicant(locked, "application_received")
        _email_managers(locked, "application_submitted")
    return locked


def application_start_review(*, application: MembershipApplication, actor) -> MembershipApplication:
    """A network manager takes a submitted application into review. No email."""
    with transaction.atomic():
        locked = _lock(application)
        require_perm(actor, "network.review_membershipapplication", locked)
        _move(locked, ApplicationStatus.UNDER_REVIEW, actor=actor, action="start_review")
    return locked


def application_request_information(
    *, application: MembershipApplication, actor, message: str
) -> MembershipApplication:
    """A network manager sends the application back to the applicant with a question
    (``message`` required); the applicant gets it by email and may edit and resubmit."""
    with transaction.atomic():
        locked = _lock(application)
        require_perm(actor, "network.review_membershipapplication", locked)
        message = _required_message(message, _("Say what information you need."))
        _move(
            locked,
            ApplicationStatus.INFORMATION_REQUESTED,
            actor=actor,
            action="request_information",
            message=message,
        )
        _email_applicant(locked, "application_information_requested", message=message)
    return locked


def application_resubmit(*, application: MembershipApplication, actor) -> MembershipApplication:
    """The applicant sends the completed application back to the network managers, who are
    emailed. Resubmitting what is already resubmitted changes nothing."""
    with transaction.atomic():
        locked = _lock(application)
        require_perm(actor, "network.submit_membershipapplication", locked)
        if locked.status == ApplicationStatus.RESUBMITTED:
            return locked
        _move(locked, ApplicationStatus.RESUBMITTED, actor=actor, action="resubmit")
        _refresh_possible_duplicates(locked)
        _email_managers(locked, "application_resubmitted")
    return locked


def _publish_logo(application: MembershipApplication, organisation: Organisation) -> None:
    """Copy the application's logo (private until now) to the organisation's public logo,
    under a new name. The caller saves the organisation."""
    if not application.org_logo:
        return
    with application.org_logo.open("rb") as handle:
        content = ContentFile(handle.read())
    extension = PurePosixPath(application.org_logo.name).suffix
    organisation.logo.save(f"logo{extension}", content, save=False)


def _organisation_for_approval(
    application: MembershipApplication, organisation: Organisation | None
) -> tuple[Organisation, bool]:
    """The listed organisation the application joins (filled in where it has gaps), or a new
    one made from the application's details."""
    target = organisation or application.organisation
    ror_owner = (
        Organisation.objects.filter(ror_id=application.org_ror_id).first()
        if application.org_ror_id
        else None
    )
    if target is None:
        if ror_owner is not None:
            raise PortalError(
                _("“%(name)s” already has this ROR ID: approve the application into it.")
                % {"name": ror_owner.name},
                field="organisation",
                code="ror_taken",
            )
        target = Organisation(
            name=application.org_name,
            short_name=application.org_short_name,
            legal_name=application.org_legal_name,
            slug=unique_slug(
                Organisation,
                application.org_name,
                fallback="organisation",
                also_try=[application.org_country.code.lower()],
            ),
            type=application.org_type,
            country=application.org_country,
            city=application.org_city,
            website=application.org_website,
            ror_id=application.org_ror_id,
            description=application.org_description,
            contact_email=application.org_contact_email,
        )
        _full_clean(target, exclude=["logo"])
        _publish_logo(application, target)
        target.save()
        target.areas_of_interest.set(application.areas_of_interest.all())
        return target, True
    target = Organisation.objects.select_for_update().get(pk=target.pk)
    filled = []
    for field, source in _FILLED_ON_APPROVAL.items():
        if not getattr(target, field) and getattr(application, source):
            setattr(target, field, getattr(application, source))
            filled.append(field)
    if not target.ror_id and application.org_ror_id and ror_owner is None:
        target.ror_id = application.org_ror_id
        filled.append("ror_id")
    if not target.logo and application.org_logo:
        _publish_logo(application, target)
        filled.append("logo")
    if filled:
        _full_clean(target, exclude=["logo"])
        target.save(update_fields=[*filled, "updated_at"])
    target.areas_of_interest.add(*application.areas_of_interest.all())
    return target, False


def application_approve(
    *,
    application: MembershipApplication,
    actor,
    message: str = "",
    organisation: Organisation | None = None,
) -> MembershipApplication:
    """A network manager approves: the organisation (the listed one applied for, the one
    given as ``organisation`` when the application duplicates it, or a new one) becomes an
    associate member from today, and the applicant becomes its contact, able to edit its
    profile. A decided application cannot be decided again. The applicant is emailed."""
    with transaction.atomic():
        locked = _lock(application)
        require_perm(actor, "network.decide_membershipapplication", locked)
        _refuse_if_decided(locked)
        ensure_transition(ApplicationStatus(locked.status), ApplicationStatus.APPROVED, TRANSITIONS)
        target, created = _organisation_for_approval(locked, organisation)
        _grant_role(target, NetworkRole.ASSOCIATE_MEMBER, timezone.localdate())
        _add_contact(target, locked.applicant, locked.contact_position)
        locked.organisation = target
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.decision_message = (message or "").strip()
        _move(
            locked,
            ApplicationStatus.APPROVED,
            actor=actor,
            action="approve",
            message=locked.decision_message,
            extra_fields=["organisation", "decided_at", "decided_by", "decision_message"],
            data={"organisation": target.pk, "organisation_created": created},
        )
        _email_applicant(
            locked,
            "application_approved",
            message=locked.decision_message,
            organisation=target,
            organisation_url=absolute_url(target.get_absolute_url()),
            edit_url=absolute_url(reverse("network:organisation_edit", args=[target.slug])),
        )
    return locked


def application_reject(
    *, application: MembershipApplication, actor, message: str
) -> MembershipApplication:
    """A network manager rejects, saying why (``message`` required); the applicant is
    emailed. A decided application cannot be decided again."""
    with transaction.atomic():
        locked = _lock(application)
        require_perm(actor, "network.decide_membershipapplication", locked)
        _refuse_if_decided(locked)
        message = _required_message(message, _("Tell the applicant why."))
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.decision_message = message
        _move(
            locked,
            ApplicationStatus.REJECTED,
            actor=actor,
            action="reject",
            message=message,
            extra_fields=["decided_at", "decided_by", "decision_message"],
        )
        _email_applicant(locked, "application_rejected", message=message)
    return locked


def application_withdraw(
    *, application: MembershipApplication, actor, message: str = ""
) -> MembershipApplication:
    """The applicant withdraws their application, at any point before a decision."""
    with transaction.atomic():
        locked = _lock(application)
        require_perm(actor, "network.withdraw_membershipapplication", locked)
        _refuse_if_decided(locked)
        _move(
            locked,
            ApplicationStatus.WITHDRAWN,
            actor=actor,
            action="withdraw",
            message=(message or "").strip(),
        )
    return locked
