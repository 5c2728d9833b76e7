"""Every write of the Observatory: content, its authors and vocabularies, the editorial
workflow, scheduled publishing and revisions.

Each service checks the actor's permission (``PermissionDenied``), runs in one transaction,
locks the rows it changes, writes the audit log and queues its emails, which leave after the
transaction commits. Pages, the API, the admin and the beat task all call these.

Revisions are kept with django-reversion: a service opens one revision per editorial save (the
item, its topics and tags together, with who saved it and why), the first save included; state
changes are not revisions (they are ``ContentStatusChange`` rows). django-reversion was chosen
over django-simple-history because its revisions are explicit units opened by the service that
makes the change, not one history row per ``save()`` of every model: a status change or a claim
does not clutter the text's history, and restoring is saving an old state again as a new
revision.
"""

import html
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import nh3
import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from ai4media_portal.accounts.selectors import emails_of
from ai4media_portal.core.audit import log_action
from ai4media_portal.core.changes import apply_changes, apply_file_change
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.idempotency import create_once
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import require_perm
from ai4media_portal.core.roles import Role
from ai4media_portal.core.slugs import slug_of, unique_slug
from ai4media_portal.core.workflow import ensure_transition
from outputs.selectors import published_outputs

from .enums import (
    EXPERT_TRANSITIONS,
    PROPOSAL_TRANSITIONS,
    TRANSITIONS,
    ContentKind,
    ContentStatus,
    ExpertStatus,
    ProposalStatus,
)
from .markdown import reading_minutes, render_markdown
from .models import (
    ContactMessage,
    ContentAuthor,
    ContentItem,
    ContentProposal,
    ContentStatusChange,
    EditorialTopic,
    Expert,
    Milestone,
    Regulation,
    Tag,
)

User = get_user_model()
S = ContentStatus

MAX_TAGS = 12


def _portal_error(exc: DjangoValidationError) -> PortalError:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        return PortalError(errors[0].messages[0], field=None if field == "__all__" else field)
    return PortalError(exc.messages[0])


def _full_clean(instance, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except DjangoValidationError as exc:
        raise _portal_error(exc) from exc


def _sent_before(model, form_token, *, owner_field: str | None, actor):
    """What an earlier request with this create form's ``form_token`` made, or None. Someone
    else's token raises ``PermissionDenied`` (``owner_field`` None: any of the team)."""
    if form_token is None:
        return None
    existing = model.objects.filter(form_token=form_token).first()
    if existing is None:
        return None
    if owner_field is not None and getattr(existing, f"{owner_field}_id") != actor.pk:
        raise PermissionDenied
    return existing


def tags_from_names(names: Iterable[str]) -> list[Tag]:
    """The tags named (made when new), at most ``MAX_TAGS``; names are trimmed, blank ones and
    repeats (by slug) dropped. Raises ``PortalError`` on ``tags`` for too many."""
    wanted: dict[str, str] = {}
    for name in names:
        name = " ".join(str(name).split())[:60]
        slug = slug_of(name, max_length=60)
        if slug and slug not in wanted:
            wanted[slug] = name
    if len(wanted) > MAX_TAGS:
        raise PortalError(
            _("At most %(max)s tags, please.") % {"max": MAX_TAGS}, field="tags", code="too_many"
        )
    return [
        Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in wanted.items()
    ]


def _render(item: ContentItem) -> None:
    item.body_html = render_markdown(item.body)
    item.reading_minutes = reading_minutes(item.standfirst, item.body)


def _author_key(author) -> tuple[str, int]:
    return ("expert", author.pk) if isinstance(author, Expert) else ("user", author.pk)


def _check_authors(item: ContentItem, authors: Sequence) -> None:
    """Authors are approved experts of the directory, or the editorial team, staff and the
    person who wrote the piece. Raises ``PortalError`` on ``authors`` otherwise."""
    for author in authors:
        if isinstance(author, Expert):
            if author.status != ExpertStatus.APPROVED:
                raise PortalError(
                    _("%(name)s's profile is not approved yet.") % {"name": author.name},
                    field="authors",
                    code="not_listed",
                )
        elif not (
            author.pk == item.created_by_id
            or author.is_staff
            or author.has_role(Role.OBSERVATORY_EDITOR)
            or author.has_role(Role.EDITOR_IN_CHIEF)
        ):
            raise PortalError(
                _("%(name)s is neither an expert of the directory nor on the staff.")
                % {"name": author.display_name},
                field="authors",
                code="not_staff",
            )


def _set_authors(item: ContentItem, authors: Sequence) -> None:
    """Credit ``authors`` (``Expert`` or user objects) in the order given, repeats dropped."""
    _check_authors(item, authors)
    ContentAuthor.objects.filter(item=item).delete()
    seen = set()
    for position, author in enumerate(authors):
        key = _author_key(author)
        if key in seen:
            continue
        seen.add(key)
        if key[0] == "expert":
            ContentAuthor.objects.create(item=item, expert=author, position=position)
        else:
            ContentAuthor.objects.create(item=item, user=author, position=position)


def _check_outputs(ids: Iterable[int], *, already: Iterable[int] = ()) -> list[int]:
    """The output ids, each a record of the public catalogue (``published_outputs()``), in
    the order given, repeats dropped; ids ``already`` related may stay even if no longer
    public. Raises ``PortalError`` on ``related_outputs`` naming the others."""
    wanted = list(dict.fromkeys(int(pk) for pk in ids))
    new = set(wanted) - set(already)
    public = set(published_outputs().filter(pk__in=new).values_list("pk", flat=True))
    refused = [str(pk) for pk in wanted if pk in new and pk not in public]
    if refused:
        raise PortalError(
            _("No public output has the number %(ids)s.") % {"ids": ", ".join(refused)},
            field="related_outputs",
            code="not_public",
        )
    return wanted


def _check_slug(item: ContentItem) -> None:
    if ContentItem.objects.filter(slug=item.slug).exclude(pk=item.pk).exists():
        raise PortalError(_("Another piece already has this address."), field="slug", code="unique")


# --- Writing -----------------------------------------------------------------------------------


def content_create(
    *,
    actor,
    data: dict,
    topics: Iterable[EditorialTopic] = (),
    tag_names: Iterable[str] = (),
    authors: Sequence | None = None,
    hero_image=None,
    regulations: Iterable[Regulation] = (),
    related_items: Iterable[ContentItem] = (),
    related_organisations: Iterable = (),
    related_outputs: Iterable[int] = (),
    form_token=None,
) -> ContentItem:
    """A new draft by ``actor`` (any signed-in user), its first revision kept. The same
    ``form_token`` (the write form's hidden token) sent again, even at the same moment,
    returns the draft the first request made.

    ``data`` holds any of ``ContentItem.EDITABLE_FIELDS`` (a missing slug is made from the
    title); ``authors`` are approved ``Expert`` profiles and users (the actor, the editorial
    team, staff) in the order shown (default: the actor); ``hero_image`` is an
    upload already checked by content; ``related_outputs`` are ids of records of the public
    Outputs catalogue. Raises ``PortalError`` naming the field at fault.
    """
    require_perm(actor, "observatory.add_contentitem")
    repeat = {"owner_field": "created_by", "actor": actor}
    if (earlier := _sent_before(ContentItem, form_token, **repeat)) is not None:
        return earlier
    item = ContentItem(created_by=actor, form_token=form_token)
    apply_changes(item, data, ContentItem.EDITABLE_FIELDS)
    chosen_slug = bool(item.slug)  # else made from the title as the item is saved
    apply_file_change(item, "hero_image", hero_image)
    _render(item)
    try:
        if chosen_slug:
            _check_slug(item)
        _full_clean(item, exclude=["created_by", "form_token", *([] if chosen_slug else ["slug"])])
    except PortalError:
        # The same form, sent at the same moment, may have just taken the address.
        if (earlier := _sent_before(ContentItem, form_token, **repeat)) is not None:
            return earlier
        raise
    output_ids = _check_outputs(related_outputs)

    def create() -> ContentItem:
        if not chosen_slug:
            item.slug = unique_slug(ContentItem, item.title, fallback="item")
        with reversion.create_revision():
            item.save()
            item.topics.set(list(topics))
            item.tags.set(tags_from_names(tag_names))
            item.regulations.set(list(regulations))
            item.related_items.set(list(related_items))
            item.related_organisations.set(list(related_organisations))
            item.related_outputs.set(output_ids)
            _set_authors(item, authors or [actor])
            reversion.set_user(actor)
            reversion.set_comment(_("Created"))
            reversion.add_to_revision(item)
            log_action("observatory.content.create", actor=actor, target=item)
        return item

    with transaction.atomic():
        made, _created = create_once(
            ContentItem, form_token=form_token, owner_field="created_by", owner=actor, create=create
        )
    return made


def content_update(
    *,
    item: ContentItem,
    actor,
    data: dict,
    topics: Iterable[EditorialTopic] | None = None,
    tag_names: Iterable[str] | None = None,
    authors: Sequence | None = None,
    hero_image=None,
    clear_hero_image: bool = False,
    comment: str = "",
    regulations: Iterable[Regulation] | None = None,
    related_items: Iterable[ContentItem] | None = None,
    related_organisations: Iterable | None = None,
    related_outputs: Iterable[int] | None = None,
) -> ContentItem:
    """Change a piece: its author while it is a draft or changes are requested, an editor in
    any state but archived. Every save that changes something keeps a revision (with
    ``comment``); a save that changes nothing keeps none. Returns the item."""
    require_perm(actor, "observatory.change_contentitem", item)
    with transaction.atomic(), reversion.create_revision():
        locked = ContentItem.objects.select_for_update().get(pk=item.pk)
        require_perm(actor, "observatory.change_contentitem", locked)
        changed = apply_changes(locked, data, ContentItem.EDITABLE_FIELDS)
        if "slug" in changed and not locked.slug:
            locked.slug = unique_slug(
                ContentItem, locked.title, fallback="item", exclude_pk=locked.pk
            )
        if apply_file_change(locked, "hero_image", hero_image, clear=clear_hero_image):
            changed.append("hero_image")
        _render(locked)
        _check_slug(locked)
        _full_clean(locked, exclude=["created_by"] if hero_image else ["created_by", "hero_image"])
        if topics is not None:
            before = set(locked.topics.values_list("pk", flat=True))
            after = {topic.pk for topic in topics}
            if before != after:
                locked.topics.set(after)
                changed.append("topics")
        for name, chosen in (
            ("regulations", regulations),
            ("related_items", related_items),
            ("related_organisations", related_organisations),
        ):
            if chosen is None:
                continue
            manager = getattr(locked, name)
            after = {obj.pk for obj in chosen} - {locked.pk if name == "related_items" else None}
            if set(manager.values_list("pk", flat=True)) != after:
                manager.set(after)
                changed.append(name)
        if related_outputs is not None:
            before = set(locked.related_outputs.values_list("pk", flat=True))
            after = set(_check_outputs(related_outputs, already=before))
            if before != after:
                locked.related_outputs.set(after)
                changed.append("related_outputs")
        if tag_names is not None:
            tags = tags_from_names(tag_names)
            if set(locked.tags.values_list("pk", flat=True)) != {tag.pk for tag in tags}:
                locked.tags.set(tags)
                changed.append("tags")
        if authors is not None:
            before = [
                ("expert", expert_id) if expert_id else ("user", user_id)
                for user_id, expert_id in locked.credits.values_list("user_id", "expert_id")
            ]
            if before != list(dict.fromkeys(_author_key(author) for author in authors)):
                _set_authors(locked, authors)
                changed.append("authors")
        if changed:
            locked.save()
            reversion.set_user(actor)
            reversion.set_comment(comment or _("Edited: %s") % ", ".join(changed))
            reversion.add_to_revision(locked)
            log_action(
                "observatory.content.update", actor=actor, target=locked, data={"fields": changed}
            )
        else:
            # Nothing changed: no revision.
            transaction.set_rollback(True)
    return locked


def content_restore(*, item: ContentItem, actor, version_id: int) -> ContentItem:
    """Bring back the text, image, topics and tags of one of the item's revisions (the first
    one included), saved as a new revision; the history keeps everything in between.
    Raises ``PortalError`` for a revision of another item."""
    require_perm(actor, "observatory.restore_revision", item)
    version = Version.objects.get_for_object(item).filter(pk=version_id).first()
    if version is None:
        raise PortalError(_("This revision does not belong to this piece."), code="not_found")
    fields = version.field_dict
    with transaction.atomic(), reversion.create_revision():
        locked = ContentItem.objects.select_for_update().get(pk=item.pk)
        for name in ContentItem.EDITABLE_FIELDS:
            if name in fields:
                setattr(locked, name, fields[name])
        stored = fields.get("hero_image")
        locked.hero_image = getattr(stored, "name", stored) or ""
        _render(locked)
        _check_slug(locked)
        locked.save()
        locked.topics.set(fields.get("topics", []))
        locked.tags.set(fields.get("tags", []))
        locked.regulations.set(fields.get("regulations", []))
        locked.related_items.set(fields.get("related_items", []))
        locked.related_organisations.set(fields.get("related_organisations", []))
        locked.related_outputs.set(fields.get("related_outputs", []))
        reversion.set_user(actor)
        reversion.set_comment(_("Restored the revision of %s") % _when(version))
        reversion.add_to_revision(locked)
        log_action(
            "observatory.content.restore",
            actor=actor,
            target=locked,
            data={"version": version.pk},
        )
    return locked


def _when(version: Version) -> str:
    local = timezone.localtime(version.revision.date_created)
    return local.strftime("%Y-%m-%d %H:%M %Z")


# --- Claiming ----------------------------------------------------------------------------------


def content_claim(*, item: ContentItem, actor) -> ContentItem:
    """An editor takes a piece in review so that the others see it is taken. Raises
    ``PortalError`` when it is not in review or another editor holds it."""
    require_perm(actor, "observatory.claim_contentitem", item)
    with transaction.atomic():
        locked = ContentItem.objects.select_for_update().get(pk=item.pk)
        if locked.status != S.IN_REVIEW:
            raise PortalError(_("Only a piece in review can be claimed."), code="not_in_review")
        if locked.claimed_by_id and locked.claimed_by_id != actor.pk:
            raise PortalError(
                _("%(name)s has already claimed this piece.")
                % {"name": locked.claimed_by.display_name},
                code="claimed",
            )
        locked.claimed_by, locked.claimed_at = actor, timezone.now()
        locked.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
        log_action("observatory.content.claim", actor=actor, target=locked)
    return locked


def content_release(*, item: ContentItem, actor) -> ContentItem:
    """The editor who claimed a piece lets it go (the editor-in-chief may release anyone's)."""
    require_perm(actor, "observatory.claim_contentitem", item)
    with transaction.atomic():
        locked = ContentItem.objects.select_for_update().get(pk=item.pk)
        if locked.claimed_by_id is None:
            return locked
        if locked.claimed_by_id != actor.pk and not actor.has_role(Role.EDITOR_IN_CHIEF):
            raise PortalError(_("Another editor holds this piece."), code="claimed")
        locked.claimed_by, locked.claimed_at = None, None
        locked.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
        log_action("observatory.content.release", actor=actor, target=locked)
    return locked


# --- The editorial workflow --------------------------------------------------------------------


def transition_perm(current: ContentStatus, target: ContentStatus) -> str:
    """The permission a move needs: authors send for review and drop their drafts, editors
    review, the editor-in-chief decides what goes out and what comes down."""
    if target == S.IN_REVIEW:
        return "observatory.submit_contentitem"
    if target == S.ARCHIVED and current in (S.DRAFT, S.CHANGES_REQUESTED):
        return "observatory.submit_contentitem"
    if target in (S.CHANGES_REQUESTED, S.APPROVED) and current == S.IN_REVIEW:
        return "observatory.review_contentitem"
    return "observatory.publish_contentitem"


def _author_emails(item: ContentItem) -> list[str]:
    """The creator and every credited author (an expert at their relay address)."""
    emails = [item.created_by.email]
    for credit in item.credits.select_related("user", "expert__user"):
        emails.append(credit.expert.address if credit.expert_id else credit.user.email)
    return sorted({email for email in emails if email})


def _write_status(
    item: ContentItem, target: ContentStatus, *, actor, message: str = "", now=None
) -> None:
    """The one writer of ``ContentItem.status``, on a row the caller has locked: checks the
    move, sets what goes with it, records the step and the audit entry."""
    current = ContentStatus(item.status)
    ensure_transition(current, target, TRANSITIONS)
    now = now or timezone.now()
    fields = ["status", "updated_at"]
    item.status = target
    if current == S.IN_REVIEW and item.claimed_by_id:
        item.claimed_by, item.claimed_at = None, None
        fields += ["claimed_by", "claimed_at"]
    if target == S.PUBLISHED:
        latest = Version.objects.get_for_object(item).first()
        item.published_at = item.published_at or now
        item.published_version_id = latest.pk if latest else None
        fields += ["published_at", "published_version_id"]
    if target == S.APPROVED and current == S.SCHEDULED:
        item.go_live_at = None
        fields.append("go_live_at")
    item.save(update_fields=fields)
    ContentStatusChange.objects.create(
        item=item,
        from_status=current,
        to_status=target,
        actor=actor if actor is not None and actor.is_authenticated else None,
        message=message,
    )
    log_action(
        f"observatory.content.{target.value}",
        actor=actor,
        target=item,
        data={"from": current.value, "to": target.value, "message": message},
    )


def _notify(item: ContentItem, target: ContentStatus, *, actor, message: str) -> None:
    context = {
        "item": item,
        "actor_name": actor.display_name if actor is not None else _("the publishing schedule"),
        "message": message,
        "url": absolute_url(item.get_absolute_url()),
        "edit_url": absolute_url("observatory:manage_item", item.pk),
    }
    if target == S.IN_REVIEW:
        editors = sorted(set(emails_of(Role.OBSERVATORY_EDITOR) + emails_of(Role.EDITOR_IN_CHIEF)))
        if editors:
            email_queue(to=editors, template="observatory/in_review", context=context)
    elif target == S.CHANGES_REQUESTED:
        email_queue(
            to=_author_emails(item), template="observatory/changes_requested", context=context
        )
    elif target == S.APPROVED and item.go_live_at is None:
        chiefs = emails_of(Role.EDITOR_IN_CHIEF)
        if chiefs:
            email_queue(to=chiefs, template="observatory/approved", context=context)
    elif target == S.PUBLISHED:
        email_queue(to=_author_emails(item), template="observatory/published", context=context)


def content_transition(
    *,
    item: ContentItem,
    actor,
    target: ContentStatus,
    message: str = "",
    go_live_at: datetime | None = None,
) -> ContentItem:
    """Move a piece along the editorial workflow (``enums.TRANSITIONS``): the one function
    every page, API action and the admin call.

    - to ``in-review``: an author or editor sends it; the editors are told.
    - to ``changes-requested``: an editor who is not an author; ``message`` is required and
      the authors receive it by email.
    - to ``approved``: an editor who is not an author (or the editor-in-chief taking a
      scheduled piece back); the editor-in-chief is told.
    - to ``scheduled``: the editor-in-chief, with ``go_live_at`` (aware, in the future); the
      beat task ``observatory.publish_due`` publishes it when due.
    - to ``published``, ``unpublished``, ``archived``, back to ``draft``: the editor-in-chief
      (an author may archive their own draft).

    Raises ``PermissionDenied``, or ``PortalError`` for a move the workflow refuses, a missing
    comment (field ``message``) or a go-live time that is missing or past (field
    ``go_live_at``).
    """
    target = ContentStatus(target)
    message = (message or "").strip()
    require_perm(actor, transition_perm(ContentStatus(item.status), target), item)
    if target == S.CHANGES_REQUESTED and not message:
        raise PortalError(
            _("Say what should change: the authors receive this comment."),
            field="message",
            code="required",
        )
    if target == S.SCHEDULED:
        if go_live_at is None:
            raise PortalError(_("Give the time it goes live."), field="go_live_at", code="required")
        if timezone.is_naive(go_live_at):
            raise PortalError(_("Give the time with its time zone."), field="go_live_at")
        if go_live_at <= timezone.now():
            raise PortalError(
                _("The time to go live must be in the future; publish now instead."),
                field="go_live_at",
                code="past",
            )
    with transaction.atomic():
        locked = ContentItem.objects.select_for_update().get(pk=item.pk)
        # The state may have moved since the page was shown: ask again on the locked row.
        require_perm(actor, transition_perm(ContentStatus(locked.status), target), locked)
        if target == S.SCHEDULED:
            locked.go_live_at = go_live_at
            locked.save(update_fields=["go_live_at"])
        _write_status(locked, target, actor=actor, message=message)
        _notify(locked, target, actor=actor, message=message)
    return locked


def content_publish_due(*, now: datetime | None = None) -> list[int]:
    """Publish every scheduled piece whose go-live time has come (run every minute by Celery
    beat). Idempotent: each piece is published under a row lock and only while it is still
    scheduled, so two runs at once, or a second run, publish it once. Returns the ids
    published by this run."""
    now = now or timezone.now()
    due = list(
        ContentItem.objects.filter(status=S.SCHEDULED, go_live_at__lte=now)
        .order_by("go_live_at", "pk")
        .values_list("pk", flat=True)
    )
    published = []
    for pk in due:
        with transaction.atomic():
            item = (
                ContentItem.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=S.SCHEDULED, go_live_at__lte=now)
                .first()
            )
            if item is None:
                continue
            _write_status(item, S.PUBLISHED, actor=None, message="", now=item.go_live_at)
            _notify(item, S.PUBLISHED, actor=None, message="")
            published.append(pk)
    return published


# --- Content proposals -------------------------------------------------------------------------


def _team_emails() -> list[str]:
    return sorted(set(emails_of(Role.OBSERVATORY_EDITOR) + emails_of(Role.EDITOR_IN_CHIEF)))


def proposal_submit(*, actor, data: dict, file=None, form_token=None) -> ContentProposal:
    """A signed-in user proposes content: ``data`` holds ``ContentProposal.PROPOSER_FIELDS``
    (``topic`` an ``EditorialTopic``); ``file`` an optional PDF already checked by content.
    A link or a file is required (``PortalError`` on ``link``). The editorial team is told.
    The same ``form_token`` sent again, even at the same moment, returns the first proposal
    (one email to the team)."""
    require_perm(actor, "observatory.add_contentproposal")
    repeat = {"owner_field": "proposer", "actor": actor}
    if (earlier := _sent_before(ContentProposal, form_token, **repeat)) is not None:
        return earlier
    proposal = ContentProposal(
        proposer=actor,
        form_token=form_token,
        **{name: data[name] for name in ContentProposal.PROPOSER_FIELDS if name in data},
    )
    if file is not None:
        proposal.file = file
        proposal.file_name = str(getattr(file, "name", ""))[:255]
    _full_clean(proposal, exclude=["proposer", "form_token"])

    def create() -> ContentProposal:
        proposal.save()
        log_action("observatory.proposal.submit", actor=actor, target=proposal)
        team = _team_emails()
        if team:
            email_queue(
                to=team,
                template="observatory/proposal_received",
                context={
                    "proposal": proposal,
                    "url": absolute_url("observatory:proposal", proposal.pk),
                },
            )
        return proposal

    with transaction.atomic():
        made, _created = create_once(
            ContentProposal,
            form_token=form_token,
            owner_field="proposer",
            owner=actor,
            create=create,
        )
    return made


def _write_proposal_status(
    proposal: ContentProposal, target: ProposalStatus, *, actor, reply: str = ""
) -> None:
    """The one writer of ``ContentProposal.status``, on a row the caller has locked."""
    current = ProposalStatus(proposal.status)
    ensure_transition(current, target, PROPOSAL_TRANSITIONS)
    proposal.status = target
    proposal.reply = reply
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save(
        update_fields=["status", "reply", "decided_by", "decided_at", "draft", "updated_at"]
    )
    log_action(
        f"observatory.proposal.{target.value}",
        actor=actor,
        target=proposal,
        data={"from": current.value, "to": target.value},
    )


def proposal_accept(
    *, proposal: ContentProposal, actor, editor, reply: str = ""
) -> ContentProposal:
    """Accept a proposal: a draft is made from it (title, summary, link, topic), created by
    and credited to ``editor`` (who must be on the editorial team), and the proposer is told.
    Raises ``PortalError`` on ``editor`` for someone outside the team."""
    require_perm(actor, "observatory.decide_contentproposal", proposal)
    if not (editor.has_role(Role.OBSERVATORY_EDITOR) or editor.has_role(Role.EDITOR_IN_CHIEF)):
        raise PortalError(_("Assign the draft to an editor."), field="editor")
    with transaction.atomic(), reversion.create_revision():
        locked = ContentProposal.objects.select_for_update().get(pk=proposal.pk)
        ensure_transition(
            ProposalStatus(locked.status), ProposalStatus.ACCEPTED, PROPOSAL_TRANSITIONS
        )
        body = locked.summary
        if locked.link:
            body += f"\n\n[{_('Proposed source')}]({locked.link})"
        item = ContentItem(
            created_by=editor,
            kind=ContentKind.NEWS,
            title=locked.title,
            slug=unique_slug(ContentItem, locked.title, fallback="item"),
            standfirst=locked.summary[:600],
            body=body,
            source_url=locked.link,
        )
        _render(item)
        item.save()
        item.topics.set([locked.topic_id])
        _set_authors(item, [editor])
        reversion.set_user(actor)
        reversion.set_comment(_("Created from a proposal"))
        reversion.add_to_revision(item)
        log_action("observatory.content.create", actor=actor, target=item)
        locked.draft = item
        _write_proposal_status(locked, ProposalStatus.ACCEPTED, actor=actor, reply=reply.strip())
        context = {
            "proposal": locked,
            "editor_name": editor.display_name,
            "reply": locked.reply,
            "draft_url": absolute_url("observatory:manage_item", item.pk),
        }
        email_queue(
            to=locked.proposer.email, template="observatory/proposal_accepted", context=context
        )
        email_queue(to=editor.email, template="observatory/proposal_assigned", context=context)
    return locked


def proposal_decline(*, proposal: ContentProposal, actor, reply: str) -> ContentProposal:
    """Decline a proposal with a reply the proposer receives by email. Raises ``PortalError``
    on ``reply`` when it is empty."""
    require_perm(actor, "observatory.decide_contentproposal", proposal)
    reply = (reply or "").strip()
    if not reply:
        raise PortalError(
            _("Tell the proposer why: they receive this reply."), field="reply", code="required"
        )
    with transaction.atomic():
        locked = ContentProposal.objects.select_for_update().get(pk=proposal.pk)
        _write_proposal_status(locked, ProposalStatus.DECLINED, actor=actor, reply=reply)
        email_queue(
            to=locked.proposer.email,
            template="observatory/proposal_declined",
            context={"proposal": locked, "reply": reply},
        )
    return locked


# --- The policy tracker ------------------------------------------------------------------------


def regulation_save(*, actor, data: dict, regulation: Regulation | None = None) -> Regulation:
    """Add a regulation to the tracker or change one (the editorial team). ``data`` holds
    ``Regulation.EDITABLE_FIELDS``; a missing slug is made from the short name. Raises
    ``PortalError`` naming the field at fault (a slug already taken among them)."""
    require_perm(actor, "observatory.manage_policy")
    with transaction.atomic():
        if regulation is None:
            target = Regulation()
        else:
            target = Regulation.objects.select_for_update().get(pk=regulation.pk)
        changed = apply_changes(target, data, Regulation.EDITABLE_FIELDS)
        if not target.slug:
            # A short name already listed is refused below rather than numbered: it is most
            # likely the same regulation. One with nothing to spell (only punctuation) is numbered.
            target.slug = slug_of(target.short_name, max_length=60) or unique_slug(
                Regulation, "", fallback="regulation", max_length=60, exclude_pk=target.pk
            )
        if Regulation.objects.filter(slug=target.slug).exclude(pk=target.pk).exists():
            raise PortalError(
                _("Another regulation already has this address."), field="slug", code="unique"
            )
        _full_clean(target)
        if regulation is None or changed:
            target.save()
            log_action(
                "observatory.regulation.save",
                actor=actor,
                target=target,
                data={"fields": changed},
            )
    return target


def milestone_add(*, actor, regulation: Regulation, data: dict) -> Milestone:
    """Add a dated milestone (with its source link) to a regulation's timeline."""
    require_perm(actor, "observatory.manage_policy")
    milestone = Milestone(regulation=regulation)
    apply_changes(milestone, data, Milestone.EDITABLE_FIELDS)
    _full_clean(milestone, exclude=["regulation"])
    with transaction.atomic():
        milestone.save()
        log_action(
            "observatory.milestone.add",
            actor=actor,
            target=regulation,
            data={"milestone": milestone.pk, "date": milestone.date.isoformat()},
        )
    return milestone


def milestone_delete(*, actor, milestone: Milestone) -> None:
    """Remove a milestone from its regulation's timeline (the audit log keeps what it was)."""
    require_perm(actor, "observatory.manage_policy")
    with transaction.atomic():
        log_action(
            "observatory.milestone.delete",
            actor=actor,
            target=milestone.regulation,
            data={"date": milestone.date.isoformat(), "title": milestone.title},
        )
        milestone.delete()


# --- The expert directory ----------------------------------------------------------------------


def expert_create(
    *,
    actor,
    data: dict,
    topics: Iterable[EditorialTopic] = (),
    photo=None,
    for_self: bool,
    form_token=None,
) -> Expert:
    """A new expert profile, waiting for an editor's approval. ``for_self``: the actor's own
    profile (anyone signed in, one each); otherwise an editor makes it for someone else and
    ``data`` must hold ``contact_email``. The editorial team is told. The same ``form_token``
    sent again, even at the same moment, returns the profile the first request made."""
    owner_field = "user" if for_self else None
    require_perm(actor, "observatory.add_expert" if for_self else "observatory.create_any_expert")
    earlier = _sent_before(Expert, form_token, owner_field=owner_field, actor=actor)
    if earlier is not None:
        return earlier
    try:
        return _expert_create(
            actor=actor,
            data=data,
            topics=topics,
            photo=photo,
            for_self=for_self,
            form_token=form_token,
        )
    except PortalError:
        # The same form, sent at the same moment, may have just made the profile (its
        # address, or the one profile per account, is then taken).
        earlier = _sent_before(Expert, form_token, owner_field=owner_field, actor=actor)
        if earlier is not None:
            return earlier
        raise


def _expert_create(*, actor, data, topics, photo, for_self: bool, form_token) -> Expert:
    if for_self:
        if Expert.objects.filter(user=actor).exists():
            raise PortalError(_("You already have a profile."), code="exists")
    elif not data.get("contact_email"):
        raise PortalError(
            _("Give the address where the expert receives messages."), field="contact_email"
        )
    expert = Expert(user=actor if for_self else None, form_token=form_token)
    for name in (*Expert.PROFILE_FIELDS, "contact_email"):
        if name in data:
            setattr(expert, name, data[name])
    if for_self:
        expert.contact_email = ""
    if photo is not None:
        expert.photo = photo
    _full_clean(expert, exclude=["user", "form_token", "slug"])

    def create() -> Expert:
        expert.slug = unique_slug(Expert, expert.name, fallback="expert")
        expert.save()
        expert.topics.set(list(topics))
        log_action("observatory.expert.create", actor=actor, target=expert)
        team = _team_emails()
        if team and for_self:
            email_queue(
                to=team,
                template="observatory/expert_pending",
                context={"expert": expert, "url": absolute_url("observatory:expert_queue")},
            )
        return expert

    with transaction.atomic():
        try:
            made, _created = create_once(
                Expert, form_token=form_token, owner_field="user", owner=actor, create=create
            )
        except PermissionDenied:
            # An editor's profile for someone else has no owner: any of the team may get it.
            if for_self:
                raise
            made = Expert.objects.get(form_token=form_token)
        except IntegrityError:
            # The same person's profile made at the same moment by another form: one each.
            raise PortalError(_("You already have a profile."), code="exists") from None
    return made


# Fields the expert changes at once even on an approved profile: whether readers may write to
# them is a privacy control, not a claim an editor checks.
IMMEDIATE_PROFILE_FIELDS = frozenset({"accepts_contact"})


def _profile_value(name: str, value):
    """A profile field's value as ``Expert.pending_changes`` stores it (JSON)."""
    if name == "organisation":
        return getattr(value, "pk", value)
    if name == "country":
        return str(getattr(value, "code", value) or "")
    if isinstance(value, tuple | list):
        return list(value)
    return value


def _apply_profile_value(expert: Expert, name: str, value) -> None:
    if name == "organisation":
        expert.organisation_id = value
    else:
        setattr(expert, name, value)


def _propose_changes(
    locked: Expert, *, actor, data: dict, topics, photo, clear_photo: bool
) -> list[str]:
    """Keep an owner's edit of their approved profile for an editor's approval: fields equal
    to the approved version leave the waiting list, the others join it. Checks the result as
    a whole (``PortalError`` naming the field). Returns the fields now waiting."""
    pending = dict(locked.pending_changes)
    for name, value in data.items():
        if name not in Expert.PROFILE_FIELDS or name in IMMEDIATE_PROFILE_FIELDS:
            continue
        proposed = _profile_value(name, value)
        if proposed == _profile_value(name, getattr(locked, name)):
            pending.pop(name, None)
        else:
            pending[name] = proposed
    if topics is not None:
        proposed_topics = sorted(topic.pk for topic in topics)
        if proposed_topics == sorted(locked.topics.values_list("pk", flat=True)):
            pending.pop("topics", None)
        else:
            pending["topics"] = proposed_topics
    if photo is not None:
        locked.pending_photo = photo
        pending["photo"] = "new"
    elif clear_photo:
        pending["photo"] = "clear" if locked.photo else None
        if pending["photo"] is None:
            pending.pop("photo")
    # Check the proposed profile as it would be published.
    preview = Expert.objects.get(pk=locked.pk)
    for name, value in pending.items():
        if name in Expert.PROFILE_FIELDS:
            _apply_profile_value(preview, name, value)
    _full_clean(preview, exclude=["user", "photo", "pending_photo"])
    if pending != locked.pending_changes or photo is not None:
        locked.pending_changes = pending
        locked.changes_submitted_at = timezone.now() if pending else None
        if not pending:
            locked.pending_photo = ""
    return sorted(pending)


def expert_update(
    *,
    expert: Expert,
    actor,
    data: dict,
    topics: Iterable[EditorialTopic] | None = None,
    photo=None,
    clear_photo: bool = False,
) -> Expert:
    """Change a profile: its owner or an editor. Returns the expert.

    An editor's change (of a profile not their own) applies at once. The owner's change of a
    profile not yet approved applies at once too; of an approved one, it waits for an
    editor's approval in ``pending_changes`` while the approved version stays public (the
    editorial team is told), except ``accepts_contact``, which applies at once. Raises
    ``PortalError`` naming the field at fault."""
    require_perm(actor, "observatory.change_expert", expert)
    with transaction.atomic():
        locked = Expert.objects.select_for_update().get(pk=expert.pk)
        if locked.is_party(actor) and locked.status == ExpertStatus.APPROVED:
            return _owner_edit_of_approved(
                locked, actor=actor, data=data, topics=topics, photo=photo, clear_photo=clear_photo
            )
        changed = apply_changes(locked, data, Expert.PROFILE_FIELDS)
        if apply_file_change(locked, "photo", photo, clear=clear_photo):
            changed.append("photo")
        _full_clean(
            locked,
            exclude=["user", "pending_photo"]
            if photo is not None
            else ["user", "photo", "pending_photo"],
        )
        if changed:
            locked.save()
        if topics is not None:
            before = set(locked.topics.values_list("pk", flat=True))
            after = {topic.pk for topic in topics}
            if before != after:
                locked.topics.set(after)
                changed.append("topics")
        if changed:
            log_action(
                "observatory.expert.update", actor=actor, target=locked, data={"fields": changed}
            )
    return locked


def _owner_edit_of_approved(locked: Expert, *, actor, data, topics, photo, clear_photo) -> Expert:
    immediate = {name: data[name] for name in IMMEDIATE_PROFILE_FIELDS if name in data}
    changed_now = apply_changes(locked, immediate, Expert.PROFILE_FIELDS)
    before = dict(locked.pending_changes)
    waiting = _propose_changes(
        locked, actor=actor, data=data, topics=topics, photo=photo, clear_photo=clear_photo
    )
    if changed_now or locked.pending_changes != before or photo is not None:
        locked.save()
        log_action(
            "observatory.expert.update",
            actor=actor,
            target=locked,
            data={"fields": changed_now, "waiting": waiting},
        )
    if waiting and (locked.pending_changes != before or photo is not None):
        team = _team_emails()
        if team:
            email_queue(
                to=team,
                template="observatory/expert_changes_pending",
                context={
                    "expert": locked,
                    "fields": waiting,
                    "url": absolute_url("observatory:expert_edit", locked.pk),
                },
            )
    return locked


def expert_review_changes(*, expert: Expert, actor, approve: bool, reply: str = "") -> Expert:
    """An editor decides on the changes an expert made to their approved profile: approved,
    they replace the public version; declined (``reply`` required, ``PortalError`` on
    ``reply``), they are dropped. The expert is told either way. Raises ``PortalError`` when
    nothing waits (code ``nothing_waiting``)."""
    require_perm(actor, "observatory.approve_expert", expert)
    reply = (reply or "").strip()
    if not approve and not reply:
        raise PortalError(
            _("Tell the expert why: they receive this reply."), field="reply", code="required"
        )
    with transaction.atomic():
        locked = Expert.objects.select_for_update().get(pk=expert.pk)
        pending = dict(locked.pending_changes)
        if not pending:
            raise PortalError(_("No change waits for approval."), code="nothing_waiting")
        if approve:
            for name, value in pending.items():
                if name in Expert.PROFILE_FIELDS:
                    _apply_profile_value(locked, name, value)
            if pending.get("photo") == "new":
                locked.photo = locked.pending_photo.name
            elif pending.get("photo") == "clear":
                locked.photo = ""
            if "topics" in pending:
                locked.topics.set(
                    EditorialTopic.objects.filter(pk__in=pending["topics"]).values_list(
                        "pk", flat=True
                    )
                )
        locked.pending_changes = {}
        locked.pending_photo = ""
        locked.changes_submitted_at = None
        locked.save()
        log_action(
            "observatory.expert.changes_approved"
            if approve
            else "observatory.expert.changes_declined",
            actor=actor,
            target=locked,
            data={"fields": sorted(pending), "reply": reply},
        )
        if locked.address:
            email_queue(
                to=locked.address,
                template="observatory/expert_changes_approved"
                if approve
                else "observatory/expert_changes_declined",
                context={
                    "expert": locked,
                    "reply": reply,
                    "url": absolute_url(locked.get_absolute_url()),
                },
            )
    return locked


def expert_approve(*, expert: Expert, actor) -> Expert:
    """An editor lists a profile in the directory (the one writer of ``Expert.status``)."""
    require_perm(actor, "observatory.approve_expert", expert)
    with transaction.atomic():
        locked = Expert.objects.select_for_update().get(pk=expert.pk)
        ensure_transition(ExpertStatus(locked.status), ExpertStatus.APPROVED, EXPERT_TRANSITIONS)
        locked.status = ExpertStatus.APPROVED
        locked.save(update_fields=["status", "updated_at"])
        log_action("observatory.expert.approve", actor=actor, target=locked)
        if locked.address:
            email_queue(
                to=locked.address,
                template="observatory/expert_approved",
                context={"expert": locked, "url": absolute_url(locked.get_absolute_url())},
            )
    return locked


def expert_set_hidden(*, expert: Expert, actor, hidden: bool) -> Expert:
    """The expert takes their profile out of the directory, or puts it back."""
    require_perm(actor, "observatory.hide_expert", expert)
    with transaction.atomic():
        locked = Expert.objects.select_for_update().get(pk=expert.pk)
        if locked.hidden != hidden:
            locked.hidden = hidden
            locked.save(update_fields=["hidden", "updated_at"])
            log_action(
                "observatory.expert.hide" if hidden else "observatory.expert.show",
                actor=actor,
                target=locked,
            )
    return locked


def expert_delete(*, expert: Expert, actor) -> None:
    """Delete a profile and the messages sent through it (its owner or an editor)."""
    require_perm(actor, "observatory.delete_expert", expert)
    with transaction.atomic():
        log_action(
            "observatory.expert.delete",
            actor=actor,
            data={"expert": expert.pk, "name": expert.name},
        )
        expert.delete()


def plain_text(text: str) -> str:
    """``text`` with every HTML tag removed and entities decoded: what an email's plain-text
    body may carry."""
    stripped = nh3.clean(text or "", tags=set(), strip_comments=True)
    return html.unescape(stripped).strip()


def contact_send(
    *, expert: Expert, actor, subject: str, body: str, form_token=None
) -> ContactMessage:
    """Relay a signed-in reader's message to an expert by email, Reply-To the reader; the
    expert's address is never shown. HTML is stripped; at most
    ``OBSERVATORY_CONTACT_PER_HOUR`` and ``OBSERVATORY_CONTACT_PER_DAY`` messages per sender
    (counted under a lock on the sender, so parallel requests cannot pass the limit). Raises
    ``PermissionDenied`` (not signed in, or writing to oneself), ``PortalError`` when the
    expert is not listed or takes no messages (code ``closed``), when a limit is reached
    (code ``rate_limited``) or when the subject or message is empty. The same ``form_token``
    (the contact form's hidden token) sent again, even at the same moment, returns the
    message already sent: one email, one message counted."""
    require_perm(actor, "observatory.contact_expert", expert)
    subject = " ".join(plain_text(subject).split())[:150]
    body = plain_text(body)[:5000]
    if not subject:
        raise PortalError(_("Give a subject."), field="subject", code="required")
    if not body:
        raise PortalError(_("Write a message."), field="body", code="required")
    with transaction.atomic():
        User.objects.select_for_update().get(pk=actor.pk)
        # Under the sender's lock: a repeat of this form waits for the first, then finds it.
        earlier = _sent_before(ContactMessage, form_token, owner_field="sender", actor=actor)
        if earlier is not None:
            return earlier
        locked = Expert.objects.select_for_update().get(pk=expert.pk)
        listed = locked.status == ExpertStatus.APPROVED and not locked.hidden
        if not listed or not locked.accepts_contact or not locked.address:
            raise PortalError(_("This expert does not take messages."), code="closed")
        now = timezone.now()
        sent = ContactMessage.objects.filter(sender=actor)
        if (
            sent.filter(created_at__gte=now - timedelta(hours=1)).count()
            >= settings.OBSERVATORY_CONTACT_PER_HOUR
            or sent.filter(created_at__gte=now - timedelta(days=1)).count()
            >= settings.OBSERVATORY_CONTACT_PER_DAY
        ):
            raise PortalError(
                _("You have sent as many messages as we allow for now; try again later."),
                code="rate_limited",
            )
        message = ContactMessage.objects.create(
            expert=locked, sender=actor, subject=subject, body=body, form_token=form_token
        )
        email_queue(
            to=locked.address,
            reply_to=[actor.email],
            template="observatory/contact",
            context={
                "expert": locked,
                "sender_name": actor.display_name,
                "subject": subject,
                "body": body,
            },
        )
        log_action("observatory.expert.contact", actor=actor, target=locked)
    return message
