"""Who may do what with research outputs, asked through ``core.permissions.can()``.

An organisation's contacts curate its outputs; staff curate all of them. Published outputs
are public; drafts are seen by their curators only; tombstones say that a record is gone.
"""

import rules

from ai4media_portal.core.predicates import is_authenticated, is_staff

from .enums import OutputStatus


@rules.predicate
def is_output_contact(user, output) -> bool:
    """The user is a contact of the organisation that curates ``output``."""
    return output is not None and output.is_curated_by_contact(user)


@rules.predicate
def is_contact_of(user, organisation) -> bool:
    """The user is a contact of ``organisation`` (to add an output for it)."""
    if organisation is None or not user or not user.is_authenticated:
        return False
    return organisation.contacts.filter(user_id=user.pk).exists()


@rules.predicate
def is_any_contact(user) -> bool:
    return bool(user and user.is_authenticated and user.organisation_contacts.exists())


@rules.predicate
def is_published(user, output) -> bool:
    return output is not None and output.status == OutputStatus.PUBLISHED


@rules.predicate
def is_not_deleted(user, output) -> bool:
    return output is not None and output.status != OutputStatus.DELETED


@rules.predicate
def file_is_open(user, output) -> bool:
    """The output's file may go to anyone today: open access, or an embargo whose date has
    come (``Output.file_is_open``)."""
    return output is not None and output.file_is_open()


is_curator = is_staff | is_output_contact

rules.add_perm("outputs.view_output", is_published | is_curator)
rules.add_perm("outputs.add_output", is_authenticated & (is_staff | is_contact_of))
rules.add_perm("outputs.change_output", is_not_deleted & is_curator)
rules.add_perm("outputs.publish_output", is_not_deleted & is_curator)
rules.add_perm("outputs.delete_output", is_not_deleted & is_curator)
# The file: an embargoed (or restricted) file reaches nobody but the curators before its date.
rules.add_perm(
    "outputs.download_file", is_not_deleted & (is_curator | (is_published & file_is_open))
)
# The curators' list of the outputs they look after.
rules.add_perm("outputs.curate_outputs", is_authenticated & (is_staff | is_any_contact))
