import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_countries import countries

from ai4media_portal.core.charts import bar_chart
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.exports import tabular_response
from ai4media_portal.core.files import private_file_response
from ai4media_portal.core.forms import add_portal_error
from ai4media_portal.core.permissions import can
from ai4media_portal.core.pillars import PILLAR_APPS
from ai4media_portal.core.private_cache import private_page
from ai4media_portal.core.public_cache import public_page
from ai4media_portal.core.web import listing_query, paginate, require

from . import selectors, services
from .enums import OPEN_STATUSES, ApplicationStatus, Benefit, NetworkRole, OrganisationType
from .forms import (
    ApplicationForm,
    ApproveForm,
    DirectoryFilterForm,
    OrganisationForm,
    QueueFilterForm,
    RejectForm,
    RequestInformationForm,
    WithdrawForm,
)
from .models import Organisation
from .sections import organisation_sections
from .terms import TERMS_VERSION
from .validators import normalise_ror_id

DIRECTORY_PAGE_SIZE = 24
QUEUE_PAGE_SIZE = 25


# --- Directory ---------------------------------------------------------------------------------


@require_GET
@public_page("network")
def index(request):
    """The member directory: search, filters, sorting and pages, all in the query string."""
    form = DirectoryFilterForm(
        request.GET or None, country_codes=selectors.directory_country_codes()
    )
    filters = form.filters() if request.GET else {}
    count = selectors.directory_count(**{k: v for k, v in filters.items() if k != "sort"})
    page = paginate(request, selectors.directory(**filters), DIRECTORY_PAGE_SIZE, count=count)
    params = {
        "q": filters.get("search", ""),
        "country": filters.get("country", ""),
        "type": filters.get("type", ""),
        "role": filters.get("role", ""),
        "topic": filters.get("topic", ""),
        "sort": filters.get("sort", ""),
    }
    canonical = listing_query(params, page=page.number if page.number > 1 else "")
    return render(
        request,
        "network/index.html",
        {
            "form": form,
            "page": page,
            "filtered": any(value for key, value in params.items() if key != "sort"),
            "canonical_query": canonical,
            "page_query": listing_query(params),
        },
    )


@require_GET
@public_page(*PILLAR_APPS)  # other pillars add sections
def organisation_detail(request, slug):
    organisation = selectors.organisation_for_page(slug)
    if organisation is None:
        raise Http404
    return render(
        request,
        "network/organisation_detail.html",
        {
            "organisation": organisation,
            "sections": organisation_sections(organisation),
            "can_edit": can(request.user, "network.change_organisation", organisation),
        },
    )


@login_required
def organisation_edit(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request, "network.change_organisation", organisation)
    if request.method == "POST":
        form = OrganisationForm(request.POST, request.FILES, instance=organisation)
        if form.is_valid():
            try:
                services.organisation_update(
                    organisation=organisation,
                    actor=request.user,
                    data=form.organisation_data(),
                    areas_of_interest=form.cleaned_data["areas_of_interest"],
                    logo=form.logo_upload,
                    clear_logo=form.clear_logo,
                )
            except PortalError as error:
                add_portal_error(form, error)
            else:
                messages.success(request, _("The organisation's profile has been saved."))
                return redirect(organisation.get_absolute_url())
        status = 422
    else:
        form = OrganisationForm(instance=organisation)
        status = 200
    return render(
        request,
        "network/organisation_form.html",
        {"organisation": organisation, "form": form},
        status=status,
    )


@require_GET
@public_page("network")
def numbers(request):
    """The network in numbers: members by country, type, year joined and role."""
    type_labels = dict(OrganisationType.choices)
    role_labels = dict(NetworkRole.choices)
    charts = [
        bar_chart(
            "by-country",
            _("Members by country"),
            [(countries.name(code), total) for code, total in selectors.members_by_country()],
            label_heading=_("Country"),
            value_heading=_("Organisations"),
            empty=_("No members yet."),
        ),
        bar_chart(
            "by-type",
            _("Members by type"),
            [(type_labels.get(t, t), total) for t, total in selectors.members_by_type()],
            label_heading=_("Type"),
            value_heading=_("Organisations"),
            empty=_("No members yet."),
        ),
        bar_chart(
            "by-year",
            _("Members by year joined"),
            selectors.members_by_year_joined(),
            label_heading=_("Year"),
            value_heading=_("Organisations that joined"),
            empty=_("No members yet."),
        ),
        bar_chart(
            "by-role",
            _("Roles in the network"),
            [(role_labels.get(r, r), total) for r, total in selectors.members_by_role()],
            label_heading=_("Role"),
            value_heading=_("Organisations"),
            empty=_("No members yet."),
        ),
    ]
    return render(
        request,
        "network/numbers.html",
        {"charts": charts, "total": selectors.member_organisations().count()},
    )


@require_GET
@public_page()
def terms(request):
    return render(request, "network/terms.html", {"terms_version": TERMS_VERSION})


# --- Applying ----------------------------------------------------------------------------------


def _apply_initial(request, organisation):
    initial = {"form_token": uuid.uuid4(), "contact_name": request.user.full_name}
    if organisation is not None:
        initial.update(
            org_name=organisation.name,
            org_short_name=organisation.short_name,
            org_legal_name=organisation.legal_name,
            org_type=organisation.type,
            org_country=organisation.country,
            org_city=organisation.city,
            org_website=organisation.website,
            org_ror_id=organisation.ror_id,
            org_description=organisation.description,
            org_contact_email=organisation.contact_email,
            areas_of_interest=list(organisation.areas_of_interest.all()),
        )
    return initial


@login_required
def apply(request):
    """A new application: for a new organisation, or ``?organisation=<slug>`` for a listed
    one. "Save draft" keeps it for later; "Submit" also sends it to the network managers."""
    organisation = None
    slug = request.GET.get("organisation") or request.POST.get("organisation")
    if slug:
        organisation = get_object_or_404(Organisation, slug=slug)
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES, organisation=organisation)
        if form.is_valid():
            data = form.application_data()
            if organisation is not None:
                data["org_name"] = organisation.name
            try:
                application, _created = services.application_create(
                    applicant=request.user,
                    data=data,
                    areas_of_interest=form.cleaned_data["areas_of_interest"],
                    accept_terms=form.cleaned_data["accept_terms"],
                    logo=form.logo_upload,
                    organisation=organisation,
                    form_token=form.cleaned_data["form_token"] or None,
                )
            except PortalError as error:
                add_portal_error(form, error)
            else:
                if "submit" in request.POST:
                    return _submit_and_redirect(request, application)
                messages.success(
                    request, _("Your draft has been saved. Submit it when you are ready.")
                )
                return redirect(application)
        status = 422
    else:
        initial = _apply_initial(request, organisation)
        form = ApplicationForm(initial=initial, organisation=organisation)
        status = 200
    return render(
        request,
        "network/application_form.html",
        {"form": form, "organisation": organisation, "application": None},
        status=status,
    )


def _submit_and_redirect(request, application):
    try:
        if application.status == ApplicationStatus.INFORMATION_REQUESTED:
            services.application_resubmit(application=application, actor=request.user)
            messages.success(request, _("Your application has been sent back to the network."))
        else:
            services.application_submit(application=application, actor=request.user)
            messages.success(
                request,
                _("Your application has been submitted. We have emailed you a receipt."),
            )
    except PortalError as error:
        messages.error(request, error.message)
    return redirect(application)


@require_GET
def duplicate_check(request):
    """Listed organisations that look like the one being typed into the application form
    (htmx fragment; without JavaScript the application page shows the same after saving)."""
    matches = selectors.possible_duplicates(
        name=request.GET.get("org_name", "")[:200],
        website=request.GET.get("org_website", "")[:300],
        ror_id=normalise_ror_id(request.GET.get("org_ror_id", "")[:60]),
    )
    return render(request, "network/_duplicates.html", {"matches": matches, "for_applicant": True})


def _application_or_404(request, pk):
    application = selectors.application_for_page(user=request.user, pk=pk)
    if application is None:
        raise Http404
    return application


def _application_page(request, application, *, forms=None, status=200):
    user = request.user
    is_manager_view = can(user, "network.review_membershipapplication", application)
    duplicates = []
    if application.status in OPEN_STATUSES:
        duplicates = selectors.duplicates_of_application(application)
    if not is_manager_view:
        # The applicant sees listed organisations only, never other people's applications.
        duplicates = [match for match in duplicates if match.organisation is not None]
    candidates = [match.organisation for match in duplicates if match.organisation is not None]
    forms = forms or {}
    context = {
        "application": application,
        "history": application.history.all(),
        "duplicates": duplicates,
        "is_applicant": application.applicant_id == user.pk,
        "is_manager_view": is_manager_view,
        "request_form": forms.get("request") or RequestInformationForm(),
        "approve_form": forms.get("approve") or ApproveForm(candidates=candidates),
        "reject_form": forms.get("reject") or RejectForm(),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(),
        "benefit_labels": [Benefit(value).label for value in application.benefits],
        "Status": ApplicationStatus,
        "open_statuses": OPEN_STATUSES,
    }
    return render(request, "network/application_detail.html", context, status=status)


@login_required
@require_GET
def application_detail(request, pk):
    return _application_page(request, _application_or_404(request, pk))


@login_required
@require_GET
def application_logo(request, pk):
    """The logo sent with an application: its applicant and the network managers only (the
    same people who may read the application); public only once copied to an organisation."""
    application = _application_or_404(request, pk)
    if not application.org_logo:
        raise Http404
    return private_file_response(application.org_logo, download_name="logo")


@login_required
def application_edit(request, pk):
    application = _application_or_404(request, pk)
    require(request, "network.change_membershipapplication", application)
    if not application.is_editable:
        messages.info(request, _("This application can no longer be changed."))
        return redirect(application)
    if request.method == "POST":
        form = ApplicationForm(
            request.POST,
            request.FILES,
            instance=application,
            organisation=application.organisation,
        )
        if form.is_valid():
            data = form.application_data()
            if application.organisation is not None:
                data["org_name"] = application.organisation.name
            try:
                application = services.application_update(
                    application=application,
                    actor=request.user,
                    data=data,
                    areas_of_interest=form.cleaned_data["areas_of_interest"],
                    accept_terms=form.cleaned_data["accept_terms"],
                    logo=form.logo_upload,
                    clear_logo=form.clear_logo,
                )
            except PortalError as error:
                add_portal_error(form, error)
            else:
                if "submit" in request.POST:
                    return _submit_and_redirect(request, application)
                messages.success(request, _("Your changes have been saved."))
                return redirect(application)
        status = 422
    else:
        form = ApplicationForm(instance=application, organisation=application.organisation)
        status = 200
    information_request = next(
        (
            change
            for change in list(application.history.all())[::-1]
            if change.to_status == ApplicationStatus.INFORMATION_REQUESTED
        ),
        None,
    )
    return render(
        request,
        "network/application_form.html",
        {
            "form": form,
            "organisation": application.organisation,
            "application": application,
            "information_request": information_request,
        },
        status=status,
    )


def _workflow_action(request, pk, action, perm, *, form_class=None, form_key=None, success=""):
    """Run one workflow service for the application ``pk``; on a refusal, show the page again
    with the error beside the field. Who may act is checked before what they sent."""
    application = _application_or_404(request, pk)
    require(request, perm, application)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _application_page(request, application, forms={form_key: form}, status=422)
    kwargs = dict(form.cleaned_data) if form is not None else {}
    try:
        action(application=application, actor=request.user, **kwargs)
    except PortalError as error:
        if form is None:
            messages.error(request, error.message)
            return redirect(application)
        add_portal_error(form, error)
        return _application_page(request, application, forms={form_key: form}, status=422)
    messages.success(request, success)
    return redirect(application)


@login_required
@require_POST
def application_submit(request, pk):
    return _workflow_action(
        request,
        pk,
        services.application_submit,
        "network.submit_membershipapplication",
        success=_("Your application has been submitted. We have emailed you a receipt."),
    )


@login_required
@require_POST
def application_resubmit(request, pk):
    return _workflow_action(
        request,
        pk,
        services.application_resubmit,
        "network.submit_membershipapplication",
        success=_("Your application has been sent back to the network."),
    )


@login_required
@require_POST
def application_withdraw(request, pk):
    return _workflow_action(
        request,
        pk,
        services.application_withdraw,
        "network.withdraw_membershipapplication",
        form_class=WithdrawForm,
        form_key="withdraw",
        success=_("Your application has been withdrawn."),
    )


@login_required
@require_POST
def application_start_review(request, pk):
    return _workflow_action(
        request,
        pk,
        services.application_start_review,
        "network.review_membershipapplication",
        success=_("The review has started."),
    )


@login_required
@require_POST
def application_request_information(request, pk):
    return _workflow_action(
        request,
        pk,
        services.application_request_information,
        "network.review_membershipapplication",
        form_class=RequestInformationForm,
        form_key="request",
        success=_("The applicant has been asked for more information."),
    )


@login_required
@require_POST
def application_approve(request, pk):
    application = _application_or_404(request, pk)
    require(request, "network.decide_membershipapplication", application)
    candidates = [
        match.organisation
        for match in selectors.duplicates_of_application(application)
        if match.organisation is not None
    ]
    form = ApproveForm(request.POST, candidates=candidates)
    if not form.is_valid():
        return _application_page(request, application, forms={"approve": form}, status=422)
    try:
        services.application_approve(
            application=application,
            actor=request.user,
            message=form.cleaned_data["message"],
            organisation=form.cleaned_data.get("organisation"),
        )
    except PortalError as error:
        add_portal_error(form, error)
        return _application_page(request, application, forms={"approve": form}, status=422)
    messages.success(request, _("The application has been approved."))
    return redirect(application)


@login_required
@require_POST
def application_reject(request, pk):
    return _workflow_action(
        request,
        pk,
        services.application_reject,
        "network.decide_membershipapplication",
        form_class=RejectForm,
        form_key="reject",
        success=_("The application has been rejected."),
    )


# --- The network manager's queue ---------------------------------------------------------------


@login_required
@require_GET
@private_page
def queue(request):
    require(request, "network.manage_membershipapplications")
    form = QueueFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = paginate(request, selectors.manager_queue(**filters), QUEUE_PAGE_SIZE)
    params = {key: value for key, value in request.GET.items() if key != "page"}
    return render(
        request,
        "network/queue.html",
        {
            "form": form,
            "page": page,
            "page_query": listing_query(params),
            "export_query": listing_query(params),
            "waiting": selectors.applications_waiting_count(),
        },
    )


EXPORT_HEADERS = [
    "id",
    "status",
    "submitted",
    "organisation",
    "short name",
    "type",
    "country",
    "city",
    "website",
    "ROR ID",
    "applicant",
    "contact person",
    "position",
    "areas of interest",
    "benefits sought",
    "possible duplicates",
    "decided",
    "decision message",
]


@login_required
@require_GET
def queue_export(request):
    """The queue as CSV (or ``format=xlsx``), with the same filters, every page at once."""
    require(request, "network.manage_membershipapplications")
    form = QueueFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    queryset = selectors.manager_queue(**filters).prefetch_related("areas_of_interest")
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"

    def when(value):
        # In the manager's timezone; Excel gets a real date-time, CSV a sortable text.
        if value is None or fmt == "xlsx":
            return value
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    def rows():
        for application in queryset.iterator(chunk_size=500):
            yield [
                application.pk,
                application.get_status_display(),
                when(application.submitted_at),
                application.org_name,
                application.org_short_name,
                application.get_org_type_display(),
                application.org_country.code,
                application.org_city,
                application.org_website,
                application.org_ror_id,
                application.applicant.email,
                application.contact_name,
                application.contact_position,
                "; ".join(topic.name for topic in application.areas_of_interest.all()),
                "; ".join(str(Benefit(value).label) for value in application.benefits),
                application.duplicate_count,
                when(application.decided_at),
                application.decision_message,
            ]

    return tabular_response(
        fmt,
        EXPORT_HEADERS,
        rows(),
        filename=f"membership-applications-{timezone.localdate():%Y%m%d}",
        title="Applications",
    )
