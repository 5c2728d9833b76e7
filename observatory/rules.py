"""Who may do what in the Observatory. Pages, the API, the admin and the services all ask these
permissions through ``ai4media_portal.core.permissions.can()``.

- A contributor is any signed-in user: they write their own drafts and send them for review.
- An editor (``observatory-editor``) reviews, claims, asks for changes, approves and edits any
  piece that is not archived, but never reviews a piece they wrote (``is_own_case``).
- The editor-in-chief (``editor-in-chief``) does all an editor does and publishes, schedules,
  unpublishes and archives.
"""

import rules

from ai4media_portal.core.predicates import (
    is_authenticated,
    is_editor_in_chief,
    is_observatory_editor,
    is_own_case,
)

from .enums import AUTHOR_EDITABLE_STATUSES, EDITOR_EDITABLE_STATUSES

is_editorial_team = is_observatory_editor | is_editor_in_chief


@rules.predicate
def is_author(user, item) -> bool:
    """The user created the piece or is named among its authors."""
    return item is not None and bool(item.is_party(user))


@rules.predicate
def author_may_edit(user, item) -> bool:
    return item is not None and item.status in AUTHOR_EDITABLE_STATUSES


@rules.predicate
def editor_may_edit(user, item) -> bool:
    return item is not None and item.status in EDITOR_EDITABLE_STATUSES


rules.add_perm("observatory.add_contentitem", is_authenticated)
# Seeing a piece that is not published (its page, preview, history).
rules.add_perm("observatory.view_contentitem", is_author | is_editorial_team)
rules.add_perm(
    "observatory.change_contentitem",
    (is_author & author_may_edit) | (is_editorial_team & editor_may_edit),
)
rules.add_perm("observatory.submit_contentitem", is_author | is_editorial_team)
rules.add_perm("observatory.claim_contentitem", is_editorial_team & ~is_own_case)
rules.add_perm("observatory.review_contentitem", is_editorial_team & ~is_own_case)
rules.add_perm("observatory.publish_contentitem", is_editor_in_chief)
# Revisions: the history, diffs and previews are for the editorial team.
rules.add_perm("observatory.view_revisions", is_editorial_team)
rules.add_perm("observatory.restore_revision", is_editorial_team & editor_may_edit)
# The editors' dashboard.
rules.add_perm("observatory.manage_content", is_editorial_team)


@rules.predicate
def is_proposer(user, proposal) -> bool:
    return proposal is not None and bool(proposal.is_party(user))


# Proposals: anyone signed in proposes; the proposer and the team read it; the team decides,
# never on a proposal of their own.
rules.add_perm("observatory.add_contentproposal", is_authenticated)
rules.add_perm("observatory.view_contentproposal", is_proposer | is_editorial_team)
rules.add_perm("observatory.decide_contentproposal", is_editorial_team & ~is_own_case)

# The policy tracker: the editorial team keeps regulations and their milestones.
rules.add_perm("observatory.manage_policy", is_editorial_team)


@rules.predicate
def is_expert_owner(user, expert) -> bool:
    return expert is not None and bool(expert.is_party(user))


# The expert directory: experts keep their own profile; editors make, approve and edit any.
rules.add_perm("observatory.add_expert", is_authenticated)
rules.add_perm("observatory.change_expert", is_expert_owner | is_editorial_team)
rules.add_perm("observatory.hide_expert", is_expert_owner)
rules.add_perm("observatory.delete_expert", is_expert_owner | is_editorial_team)
rules.add_perm("observatory.approve_expert", is_editorial_team & ~is_own_case)
rules.add_perm("observatory.create_any_expert", is_editorial_team)
rules.add_perm("observatory.contact_expert", is_authenticated & ~is_expert_owner)
