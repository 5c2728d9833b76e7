"""Pages of the Observatory: the public home, list and pieces; the contributor's and the
editorial board's pages. Thin: parse, call one service or selector, render."""

import json

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.files import private_file_response
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.permissions import can
from ai4media_portal.core.private_cache import private_page
from ai4media_portal.core.public_cache import public_page
from ai4media_portal.core.web import form_error, listing_query, paginate, require
from network.selectors import member_organisations

from . import selectors, services
from .enums import TRANSITIONS, ContentStatus, ProposalStatus
from .forms import (
    AcceptProposalForm,
    CommentForm,
    ContactForm,
    ContentFilterForm,
    ContentForm,
    DeclineChangesForm,
    DeclineProposalForm,
    ExpertFilterForm,
    ExpertForm,
    MilestoneForm,
    ProposalForm,
    RegulationForm,
    ScheduleForm,
)
from .markdown import render_markdown
from .models import ContentProposal, Expert, Milestone
from .video import EMBED_ORIGINS

LIST_PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 30
S = ContentStatus

# JSON in an HTML <script> data block: nothing in it may close the element.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


# --- Public ------------------------------------------------------------------------------------


# What the public pages show besides the Observatory's own records: member organisations and
# research outputs. Anonymous visitors get them from the shared cache until any of these changes.
PUBLIC_SCOPES = ("observatory", "network", "outputs")


@require_GET
@public_page(*PUBLIC_SCOPES)
def index(request):
    """The Observatory's home: featured pieces, the latest, the latest per topic, the series."""
    featured, latest = selectors.featured_and_latest()
    return render(
        request,
        "observatory/index.html",
        {
            "featured": featured,
            "latest": latest,
            "topic_sections": selectors.latest_per_topic(),
            "videos": selectors.latest_videos(),
            "is_team": can(request.user, "observatory.manage_content"),
            "upcoming": selectors.upcoming_milestones(),
            "experts": selectors.expert_directory()[:4],
            "today": timezone.localdate(),
        },
    )


@require_GET
@public_page(*PUBLIC_SCOPES)
def content_list(request):
    """Published pieces with full-text search and filters, all in the query string."""
    form = ContentFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = paginate(request, selectors.content_listing(**filters), LIST_PAGE_SIZE)
    params = {key: request.GET.get(key, "") for key in ("q", "topic", "kind", "tag", "language")}
    if filters:
        params = {
            "q": filters["search"],
            "topic": filters["topic"],
            "kind": filters["kind"],
            "tag": filters["tag"],
            "language": filters["language"],
        }
    return render(
        request,
        "observatory/content_list.html",
        {
            "form": form,
            "page": page,
            "topics": selectors.editorial_topics(),
            "filtered": any(params.values()),
            "page_query": listing_query(params),
        },
    )


def _json_ld_person(credit) -> dict:
    person = {"@type": "Person", "name": credit.name}
    if credit.profile_url:
        person["url"] = absolute_url(credit.profile_url)
    return person


def _json_ld(item, request) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": item.title,
        "description": item.display_seo_description,
        "inLanguage": item.language,
        "datePublished": item.published_at,
        "dateModified": item.updated_at,
        "url": absolute_url(item.get_absolute_url()),
        "author": [_json_ld_person(credit) for credit in item.credits.all()],
        "publisher": {"@type": "Organization", "name": "European AI Media Observatory"},
        "keywords": [tag.name for tag in item.tags.all()],
        "about": [topic.name for topic in item.topics.all()],
    }
    if item.hero_image:
        data["image"] = request.build_absolute_uri(item.hero_image.url)
    text = json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


# The pages that show a piece may frame its video player (after the reader's click), from
# the privacy-enhanced players only; every other page keeps frames off (default-src 'none').
allow_video_players = csp_update({"frame-src": list(EMBED_ORIGINS)})


@require_GET
@allow_video_players
@public_page(*PUBLIC_SCOPES)
def item_detail(request, slug):
    """A published piece. Anything else answers 404, whoever asks: the editorial team reads
    unpublished pieces on their own pages."""
    item = selectors.published_item(slug)
    if item is None:
        raise Http404
    return render(
        request,
        "observatory/item_detail.html",
        {
            "item": item,
            "json_ld": _json_ld(item, request),
            "canonical_url": absolute_url(item.get_absolute_url()),
            "can_edit": can(request.user, "observatory.change_contentitem", item),
        },
    )


# --- Writing -----------------------------------------------------------------------------------


def _relation_choices() -> dict:
    """What a piece may be related to: published pieces and the network's organisations."""
    return {
        "published": selectors.published_content().order_by("-published_at", "-pk"),
        "organisations": member_organisations().order_by("name"),
    }


def _credit(request) -> dict:
    """The editorial team names the authors (experts of the directory or staff), in order."""
    if not can(request.user, "observatory.manage_content"):
        return {"may_credit": False}
    return {"may_credit": True, "author_choices": selectors.author_choices()}


@login_required
def write(request):
    """A new draft by any signed-in user."""
    require(request, "observatory.add_contentitem")
    form = ContentForm(
        request.POST or None, request.FILES or None, **_relation_choices(), **_credit(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.content_create(
                actor=request.user,
                form_token=form.cleaned_data.get("form_token"),
                **form.service_kwargs(),
            )
        except PortalError as error:
            form_error(form, form.service_error(error))
        else:
            messages.success(request, _("Draft saved. Send it for review when it is ready."))
            return redirect("observatory:manage_item", item.pk)
    status = 422 if form.is_bound else 200
    return render(request, "observatory/item_form.html", {"form": form}, status=status)


def _item_or_404(request, pk):
    item = selectors.item_for_editorial(request.user, pk)
    if item is None:
        raise Http404
    return item


@login_required
def edit(request, pk):
    item = _item_or_404(request, pk)
    require(request, "observatory.change_contentitem", item)
    form = ContentForm(
        request.POST or None,
        request.FILES or None,
        instance=item,
        **_relation_choices(),
        **_credit(request),
    )
    form.fields["hero_image"].widget.current_url = item.hero_image.url if item.hero_image else ""
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        kwargs["clear_hero_image"] = form.cleaned_data.get("hero_image") is False
        try:
            services.content_update(item=item, actor=request.user, **kwargs)
        except PortalError as error:
            form_error(form, form.service_error(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("observatory:manage_item", item.pk)
    status = 422 if form.is_bound else 200
    return render(
        request, "observatory/item_form.html", {"form": form, "item": item}, status=status
    )


@login_required
@require_GET
def mine(request):
    """The pieces the signed-in user wrote or is credited on, in every state."""
    page = paginate(request, selectors.my_items(request.user), QUEUE_PAGE_SIZE)
    return render(request, "observatory/mine.html", {"page": page})


# --- The editorial side ------------------------------------------------------------------------

# The buttons of the item page: target → (label, form), in the order shown.
MOVES = {
    S.IN_REVIEW: (_l("Send for review"), None),
    S.APPROVED: (_l("Approve"), None),
    S.CHANGES_REQUESTED: (_l("Request changes"), CommentForm),
    S.SCHEDULED: (_l("Schedule"), ScheduleForm),
    S.PUBLISHED: (_l("Publish now"), None),
    S.UNPUBLISHED: (_l("Unpublish"), None),
    S.DRAFT: (_l("Back to draft"), None),
    S.ARCHIVED: (_l("Archive"), None),
}


def _moves(user, item) -> list[dict]:
    allowed = []
    for target, (label, form_class) in MOVES.items():
        if target not in TRANSITIONS[ContentStatus(item.status)]:
            continue
        perm = services.transition_perm(ContentStatus(item.status), target)
        if can(user, perm, item):
            allowed.append({"target": target.value, "label": label, "form_class": form_class})
    return allowed


def _item_page(request, item, *, bound=None, status=200):
    moves = _moves(request.user, item)
    for move in moves:
        if move["form_class"] is not None:
            if bound is not None and bound[0] == move["target"]:
                move["form"] = bound[1]
            else:
                move["form"] = move["form_class"]()
    return render(
        request,
        "observatory/manage_item.html",
        {
            "item": item,
            "moves": moves,
            "changes": item.status_changes.select_related("actor"),
            "can_edit": can(request.user, "observatory.change_contentitem", item),
            "can_claim": item.status == S.IN_REVIEW
            and can(request.user, "observatory.claim_contentitem", item),
            "can_see_revisions": can(request.user, "observatory.view_revisions", item),
        },
        status=status,
    )


@login_required
@require_GET
@allow_video_players
def manage_item(request, pk):
    """A piece as the editorial team and its authors see it, whatever its state: a preview,
    the moves the viewer may make, its editorial history."""
    return _item_page(request, _item_or_404(request, pk))


@login_required
@require_POST
def move(request, pk, target):
    """One step of the workflow (``services.content_transition``)."""
    item = _item_or_404(request, pk)
    try:
        target = ContentStatus(target)
    except ValueError:
        raise Http404 from None
    _label, form_class = MOVES[target]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _item_page(request, item, bound=(target.value, form), status=422)
    kwargs = dict(form.cleaned_data) if form is not None else {}
    try:
        services.content_transition(item=item, actor=request.user, target=target, **kwargs)
    except PortalError as error:
        if form is None:
            messages.error(request, error.message)
            return redirect("observatory:manage_item", item.pk)
        form_error(form, error)
        return _item_page(request, item, bound=(target.value, form), status=422)
    messages.success(request, _("The piece is now “%s”.") % target.label)
    return redirect("observatory:manage_item", item.pk)


@login_required
@require_POST
def claim(request, pk):
    item = _item_or_404(request, pk)
    action = services.content_release if "release" in request.POST else services.content_claim
    try:
        action(item=item, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    return redirect("observatory:manage_item", item.pk)


@login_required
@require_GET
@private_page
def dashboard(request):
    """The editors' dashboard: overdue scheduled pieces first, then those in review (with who
    claimed them), approved and scheduled ones, the rest."""
    require(request, "observatory.manage_content")
    status = request.GET.get("status", "")
    if status not in ContentStatus.values:
        status = ""
    page = paginate(request, selectors.editorial_queue(status=status), QUEUE_PAGE_SIZE)
    return render(
        request,
        "observatory/dashboard.html",
        {
            "page": page,
            "status": status,
            "statuses": ContentStatus.choices,
            "page_query": listing_query({"status": status}),
        },
    )


# --- Revisions ---------------------------------------------------------------------------------


@login_required
@require_GET
def history(request, pk):
    item = _item_or_404(request, pk)
    require(request, "observatory.view_revisions", item)
    return render(
        request,
        "observatory/history.html",
        {
            "item": item,
            "versions": selectors.revisions(item),
            "can_restore": can(request.user, "observatory.restore_revision", item),
        },
    )


@login_required
@require_GET
@allow_video_players
def revision(request, pk, version_id):
    """A preview of one revision with its differences from the one before and from the
    version last published."""
    item = _item_or_404(request, pk)
    require(request, "observatory.view_revisions", item)
    context = selectors.revision_context(item, version_id)
    if context is None:
        raise Http404
    context.update(
        item=item,
        body_html=render_markdown(context["fields"].get("body", "")),
        can_restore=can(request.user, "observatory.restore_revision", item),
    )
    return render(request, "observatory/revision.html", context)


@login_required
@require_POST
def restore(request, pk, version_id):
    item = _item_or_404(request, pk)
    try:
        services.content_restore(item=item, actor=request.user, version_id=version_id)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("observatory:history", item.pk)
    messages.success(request, _("Restored, as a new revision."))
    return redirect(reverse("observatory:history", args=[item.pk]))


# --- Content proposals -------------------------------------------------------------------------


@login_required
def propose(request):
    """Anyone signed in proposes content to the editorial board."""
    require(request, "observatory.add_contentproposal")
    form = ProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ContentProposal.PROPOSER_FIELDS}
        try:
            proposal = services.proposal_submit(
                actor=request.user,
                data=data,
                file=form.cleaned_data.get("file") or None,
                form_token=form.cleaned_data.get("form_token"),
            )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Thank you: the editorial board will reply by email."))
            return redirect("observatory:proposal", proposal.pk)
    status = 422 if form.is_bound else 200
    return render(
        request,
        "observatory/proposal_form.html",
        {"form": form, "mine": selectors.my_proposals(request.user)[:20]},
        status=status,
    )


def _proposal_or_404(request, pk):
    proposal = selectors.proposal_for(request.user, pk)
    if proposal is None:
        raise Http404
    return proposal


def _proposal_page(request, proposal, *, accept_form=None, decline_form=None, status=200):
    may_decide = proposal.status == ProposalStatus.NEW and can(
        request.user, "observatory.decide_contentproposal", proposal
    )
    team = selectors.editorial_team()
    return render(
        request,
        "observatory/proposal_detail.html",
        {
            "proposal": proposal,
            "may_decide": may_decide,
            "accept_form": accept_form or AcceptProposalForm(team=team),
            "decline_form": decline_form or DeclineProposalForm(),
            "is_team": can(request.user, "observatory.manage_content"),
        },
        status=status,
    )


@login_required
@require_GET
def proposal_detail(request, pk):
    return _proposal_page(request, _proposal_or_404(request, pk))


@login_required
@require_GET
def proposal_file(request, pk):
    """The proposal's PDF, for its proposer and the editorial team only."""
    proposal = _proposal_or_404(request, pk)
    if not proposal.file:
        raise Http404
    return private_file_response(proposal.file, download_name=proposal.file_name)


@login_required
@require_POST
def proposal_accept(request, pk):
    proposal = _proposal_or_404(request, pk)
    require(request, "observatory.decide_contentproposal", proposal)
    form = AcceptProposalForm(request.POST, team=selectors.editorial_team())
    if form.is_valid():
        try:
            services.proposal_accept(proposal=proposal, actor=request.user, **form.cleaned_data)
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Accepted: the draft is assigned."))
            return redirect("observatory:proposal", proposal.pk)
    return _proposal_page(request, proposal, accept_form=form, status=422)


@login_required
@require_POST
def proposal_decline(request, pk):
    proposal = _proposal_or_404(request, pk)
    require(request, "observatory.decide_contentproposal", proposal)
    form = DeclineProposalForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_decline(proposal=proposal, actor=request.user, **form.cleaned_data)
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Declined: the proposer receives your reply."))
            return redirect("observatory:proposal", proposal.pk)
    return _proposal_page(request, proposal, decline_form=form, status=422)


@login_required
@require_GET
@private_page
def proposal_inbox(request):
    """The editorial inbox of proposals: new ones first, oldest waiting first."""
    require(request, "observatory.manage_content")
    status = request.GET.get("status", "")
    if status not in ProposalStatus.values:
        status = ""
    page = paginate(request, selectors.proposal_inbox(status=status), QUEUE_PAGE_SIZE)
    return render(
        request,
        "observatory/proposal_inbox.html",
        {
            "page": page,
            "status": status,
            "statuses": ProposalStatus.choices,
            "page_query": listing_query({"status": status}),
        },
    )


# --- The policy tracker ------------------------------------------------------------------------


@require_GET
@public_page(*PUBLIC_SCOPES)
def policy_index(request):
    """The policy tracker: every regulation with its status, and one timeline of all their
    milestones, past and upcoming."""
    return render(
        request,
        "observatory/policy_index.html",
        {
            "regulations": selectors.regulations(),
            "timeline": selectors.policy_timeline(),
            "today": timezone.localdate(),
            "can_manage": can(request.user, "observatory.manage_policy"),
        },
    )


def _regulation_page(request, slug, *, milestone_form=None, status=200):
    found = selectors.regulation_page(slug)
    if found is None:
        raise Http404
    regulation, analyses = found
    can_manage = can(request.user, "observatory.manage_policy")
    return render(
        request,
        "observatory/regulation_detail.html",
        {
            "regulation": regulation,
            "analyses": analyses,
            "today": timezone.localdate(),
            "can_manage": can_manage,
            "milestone_form": (milestone_form or MilestoneForm()) if can_manage else None,
        },
        status=status,
    )


@require_GET
@public_page(*PUBLIC_SCOPES)
def regulation_detail(request, slug):
    return _regulation_page(request, slug)


@login_required
def regulation_form(request, slug=None):
    """Add a regulation to the tracker, or change one (the editorial team)."""
    require(request, "observatory.manage_policy")
    regulation = None
    if slug is not None:
        found = selectors.regulation_page(slug)
        if found is None:
            raise Http404
        regulation = found[0]
    form = RegulationForm(request.POST or None, instance=regulation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.regulation_save(
                actor=request.user, data=form.cleaned_data, regulation=regulation
            )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(saved)
    status = 422 if form.is_bound else 200
    return render(
        request,
        "observatory/regulation_form.html",
        {"form": form, "regulation": regulation},
        status=status,
    )


@login_required
@require_POST
def milestone_add(request, slug):
    require(request, "observatory.manage_policy")
    found = selectors.regulation_page(slug)
    if found is None:
        raise Http404
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(actor=request.user, regulation=found[0], data=form.cleaned_data)
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Milestone added."))
            return redirect(found[0])
    return _regulation_page(request, slug, milestone_form=form, status=422)


@login_required
@require_POST
def milestone_delete(request, slug, pk):
    require(request, "observatory.manage_policy")
    milestone = Milestone.objects.filter(pk=pk, regulation__slug=slug).first()
    if milestone is None:
        raise Http404
    services.milestone_delete(actor=request.user, milestone=milestone)
    messages.success(request, _("Milestone removed."))
    return redirect("observatory:regulation", slug)


# --- The expert directory ----------------------------------------------------------------------

EXPERT_PAGE_SIZE = 24


@require_GET
@public_page(*PUBLIC_SCOPES)
def expert_list(request):
    """Listed experts with search and filters, all in the query string."""
    form = ExpertFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = paginate(request, selectors.expert_directory(**filters), EXPERT_PAGE_SIZE)
    params = {
        key: request.GET.get(key, "")
        for key in ("q", "topic", "country", "language", "availability", "organisation")
    }
    return render(
        request,
        "observatory/expert_list.html",
        {
            "form": form,
            "page": page,
            "topics": selectors.editorial_topics(),
            "filtered": any(params.values()),
            "page_query": listing_query(params),
            "own": selectors.own_expert(request.user),
        },
    )


def _expert_page(request, expert, *, contact_form=None, status=200):
    return render(
        request,
        "observatory/expert_detail.html",
        {
            "expert": expert,
            "items": selectors.items_by_expert(expert),
            "contact_form": contact_form or ContactForm(),
            "may_contact": can(request.user, "observatory.contact_expert", expert)
            and expert.accepts_contact,
            "can_edit": can(request.user, "observatory.change_expert", expert),
        },
        status=status,
    )


@require_GET
@public_page(*PUBLIC_SCOPES)
def expert_detail(request, slug):
    expert = selectors.expert_page(slug)
    if expert is None:
        raise Http404
    return _expert_page(request, expert)


@login_required
@require_POST
def expert_contact(request, slug):
    """The contact relay: the message goes to the expert by email; the reader never sees
    the expert's address."""
    expert = selectors.expert_page(slug)
    if expert is None:
        raise Http404
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_send(expert=expert, actor=request.user, **form.cleaned_data)
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Sent. The expert replies to your email address."))
            return redirect(expert)
    return _expert_page(request, expert, contact_form=form, status=422)


def _expert_form(request, form):
    form.fields["photo"].widget.current_url = (
        form.instance.photo.url if form.instance.pk and form.instance.photo else ""
    )
    return form


@login_required
def my_expert_profile(request):
    """The signed-in user's own profile: make it, change it, hide it or delete it."""
    expert = selectors.own_expert(request.user)
    organisations = member_organisations().order_by("name")
    form = _expert_form(
        request,
        ExpertForm(
            request.POST or None,
            request.FILES or None,
            instance=expert,
            organisations=organisations,
            show_pending=True,
        ),
    )
    if request.method == "POST" and form.is_valid():
        photo = form.cleaned_data.get("photo") or None
        try:
            if expert is None:
                services.expert_create(
                    actor=request.user,
                    data=form.profile_data(),
                    topics=form.cleaned_data["topics"],
                    photo=photo,
                    for_self=True,
                    form_token=form.cleaned_data.get("form_token"),
                )
                messages.success(request, _("Thank you: an editor will approve your profile."))
            else:
                expert = services.expert_update(
                    expert=expert,
                    actor=request.user,
                    data=form.profile_data(),
                    topics=form.cleaned_data["topics"],
                    photo=photo,
                    clear_photo=form.cleaned_data.get("photo") is False,
                )
                if expert.has_pending_changes:
                    messages.success(
                        request,
                        _(
                            "Saved. An editor checks your changes; until then your profile "
                            "shows the version approved before."
                        ),
                    )
                else:
                    messages.success(request, _("Saved."))
        except PortalError as error:
            form_error(form, error)
        else:
            return redirect("observatory:my_expert_profile")
    status = 422 if form.is_bound else 200
    return render(
        request,
        "observatory/expert_form.html",
        {"form": form, "expert": expert, "own": True},
        status=status,
    )


@login_required
@require_POST
def my_expert_visibility(request):
    expert = selectors.own_expert(request.user)
    if expert is None:
        raise Http404
    if "delete" in request.POST:
        services.expert_delete(expert=expert, actor=request.user)
        messages.success(request, _("Your profile is deleted."))
        return redirect("observatory:experts")
    services.expert_set_hidden(expert=expert, actor=request.user, hidden="hide" in request.POST)
    return redirect("observatory:my_expert_profile")


@login_required
@require_GET
@private_page
def expert_queue(request):
    """The editors' list of expert profiles, waiting ones first."""
    require(request, "observatory.create_any_expert")
    page = paginate(request, selectors.expert_queue(), QUEUE_PAGE_SIZE)
    return render(request, "observatory/expert_queue.html", {"page": page, "page_query": ""})


@login_required
def expert_edit(request, pk=None, *, decline_form=None, status=None):
    """An editor makes a profile for an expert, or changes one; the changes an expert made
    to their approved profile wait here for approval."""
    require(request, "observatory.create_any_expert")
    expert = None
    if pk is not None:
        expert = Expert.objects.filter(pk=pk).first()
        if expert is None:
            raise Http404
    form = _expert_form(
        request,
        ExpertForm(
            (request.POST or None) if decline_form is None else None,
            (request.FILES or None) if decline_form is None else None,
            instance=expert,
            organisations=member_organisations().order_by("name"),
            with_contact_email=expert is None or expert.user_id is None,
        ),
    )
    if request.method == "POST" and decline_form is None and form.is_valid():
        photo = form.cleaned_data.get("photo") or None
        try:
            if expert is None:
                expert = services.expert_create(
                    actor=request.user,
                    data=form.profile_data(),
                    topics=form.cleaned_data["topics"],
                    photo=photo,
                    for_self=False,
                    form_token=form.cleaned_data.get("form_token"),
                )
            else:
                services.expert_update(
                    expert=expert,
                    actor=request.user,
                    data=form.profile_data(),
                    topics=form.cleaned_data["topics"],
                    photo=photo,
                    clear_photo=form.cleaned_data.get("photo") is False,
                )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("observatory:expert_queue")
    if status is None:
        status = 422 if form.is_bound else 200
    return render(
        request,
        "observatory/expert_form.html",
        {
            "form": form,
            "expert": expert,
            "own": False,
            "waiting": selectors.pending_profile_changes(expert) if expert else [],
            "decline_form": decline_form or DeclineChangesForm(),
            "may_review": expert is not None
            and can(request.user, "observatory.approve_expert", expert),
        },
        status=status,
    )


@login_required
@require_POST
def expert_changes(request, pk):
    """An editor approves or declines the changes an expert made to their approved profile."""
    require(request, "observatory.create_any_expert")
    expert = Expert.objects.filter(pk=pk).first()
    if expert is None:
        raise Http404
    approve = "approve" in request.POST
    form = DeclineChangesForm(request.POST)
    if not approve and not form.is_valid():
        return expert_edit(request, pk, decline_form=form, status=422)
    try:
        services.expert_review_changes(
            expert=expert,
            actor=request.user,
            approve=approve,
            reply="" if approve else form.cleaned_data["reply"],
        )
    except PortalError as error:
        if approve:
            messages.error(request, error.message)
            return redirect("observatory:expert_edit", pk)
        form_error(form, error)
        return expert_edit(request, pk, decline_form=form, status=422)
    messages.success(
        request,
        _("The changes are public.")
        if approve
        else _("The changes are declined; the expert is told."),
    )
    return redirect("observatory:expert_queue")


@login_required
@require_POST
def expert_approve(request, pk):
    require(request, "observatory.create_any_expert")
    expert = Expert.objects.filter(pk=pk).first()
    if expert is None:
        raise Http404
    try:
        services.expert_approve(expert=expert, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Listed in the directory."))
    return redirect("observatory:expert_queue")
