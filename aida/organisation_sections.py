"""An organisation's page shows its AIDA membership and the courses it hosts."""

from django.utils.translation import gettext as _

from network.sections import Section

from .selectors import member_for_organisation_page


def sections(organisation) -> list[Section]:
    """Its AIDA tier and hosted courses, when it is an AIDA member (two queries)."""
    member = member_for_organisation_page(organisation)
    if member is None:
        return []
    return [
        Section(
            _("AIDA member"),
            "aida/organisation_member.html",
            {"member": member, "courses": list(member.courses.all()[:20])},
            order=40,
        )
    ]
