"""AIDA's pages. Thin: parse, call one selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ai4media_portal.core.charts import bar_chart
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.exports import tabular_response
from ai4media_portal.core.files import private_file_response
from ai4media_portal.core.forms import add_portal_error
from ai4media_portal.core.idempotency import new_form_token
from ai4media_portal.core.permissions import can
from ai4media_portal.core.private_cache import private_page
from ai4media_portal.core.public_cache import public_page
from ai4media_portal.core.web import form_error, listing_query, paginate, require

from . import selectors, services
from .enums import CourseFormat, EnrolmentStatus, MemberTier, OfferingStatus, ResourceStatus
from .feeds import calendar_ics
from .forms import (
    CatalogueFilterForm,
    CourseForm,
    DecisionForm,
    LectureForm,
    LecturerAddForm,
    MarkForm,
    MemberAddForm,
    MemberFilterForm,
    OfferingForm,
    OfferingMoveForm,
    ParticipantForm,
    RepresentativeAddForm,
    ResourceFilterForm,
    ResourceForm,
    ResourceReviewForm,
    RevokeForm,
    StudentForm,
)
from .models import Course, Enrolment, Lecture, Offering
from .pdf import certificate_pdf

MEMBERS_PAGE_SIZE = 30
CATALOGUE_PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 25
MY_RESOURCES_LIMIT = 100


# Public pages show member institutions by their network organisation's name and country.
PUBLIC_SCOPES = ("aida", "network")


@require_GET
@public_page(*PUBLIC_SCOPES)
def index(request):
    return render(request, "aida/index.html", {"student": selectors.student_of(request.user)})


@require_GET
@public_page(*PUBLIC_SCOPES)
def numbers(request):
    """AIDA in numbers: members by country and tier, courses by format, offerings by year,
    enrolments by status, certificates issued; each chart with a table of its numbers."""
    from django_countries import countries

    data = selectors.numbers()
    tiers, formats = dict(MemberTier.choices), dict(CourseFormat.choices)
    statuses = dict(EnrolmentStatus.choices)
    charts = [
        bar_chart(
            "by-country",
            _("Members by country"),
            [(countries.name(r["country"]), r["count"]) for r in data["by_country"]],
            label_heading=_("Country"),
            value_heading=_("Members"),
        ),
        bar_chart(
            "by-tier",
            _("Members by tier"),
            [(tiers.get(r["tier"], r["tier"]), r["count"]) for r in data["by_tier"]],
            label_heading=_("Tier"),
            value_heading=_("Members"),
        ),
        bar_chart(
            "by-format",
            _("Courses by format"),
            [(formats.get(r["format"], r["format"]), r["count"]) for r in data["by_format"]],
            label_heading=_("Format"),
            value_heading=_("Courses"),
        ),
        bar_chart(
            "by-year",
            _("Offerings by year"),
            [(r["year"], r["count"]) for r in data["by_year"]],
            label_heading=_("Year"),
            value_heading=_("Offerings"),
        ),
        bar_chart(
            "enrolments",
            _("Enrolments by status"),
            [(statuses.get(r["status"], r["status"]), r["count"]) for r in data["enrolments"]],
            label_heading=_("Status"),
            value_heading=_("Enrolments"),
        ),
    ]
    return render(
        request, "aida/numbers.html", {"charts": charts, "certificates": data["certificates"]}
    )


# --- Members and students ------------------------------------------------------------------


@require_GET
@public_page(*PUBLIC_SCOPES)
def members(request):
    """The member institutions, filtered by tier and country."""
    form = MemberFilterForm(request.GET or None, country_codes=selectors.member_country_codes())
    filters = form.filters() if request.GET else {"tier": "", "country": ""}
    page = paginate(request, selectors.members(**filters), MEMBERS_PAGE_SIZE)
    return render(
        request,
        "aida/members.html",
        {
            "form": form,
            "page": page,
            "filtered": any(filters.values()),
            "page_query": listing_query(filters),
        },
    )


@login_required
def register(request):
    """A person registers (or corrects a refused registration) as an AIDA student."""
    student = selectors.student_of(request.user)
    if student is not None and student.is_validated:
        messages.info(request, _("Your registration is already validated."))
        return redirect("aida:mine")
    if request.method == "POST":
        form = StudentForm(request.POST, instance=student)
        if form.is_valid():
            try:
                services.student_register(
                    user=request.user, data=form.cleaned_data, actor=request.user
                )
            except PortalError as error:
                add_portal_error(form, error)
            else:
                messages.success(
                    request,
                    _("Your registration has been sent to your institution for validation."),
                )
                return redirect("aida:mine")
        status = 422
    else:
        form = StudentForm(instance=student)
        status = 200
    return render(request, "aida/register.html", {"form": form, "student": student}, status=status)


MANAGEMENT_FORMS = {
    "member": MemberAddForm,
    "representative": RepresentativeAddForm,
    "lecturer": LecturerAddForm,
}


@login_required
@private_page
def manage_members(request):
    """AIDA coordinators add member institutions, their representatives and lecturers. Each
    form posts on its own (``form=member|representative|lecturer``); a refused one comes back
    with its errors beside the fields and everything typed kept."""
    require(request, "aida.manage_members")
    bound = {}
    if request.method == "POST":
        kind = request.POST.get("form")
        if kind not in MANAGEMENT_FORMS:
            raise Http404
        form = bound[kind] = MANAGEMENT_FORMS[kind](request.POST, prefix=kind)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if kind == "member":
                    services.member_add(
                        organisation=data["organisation"],
                        tier=data["tier"],
                        joined_on=data["joined_on"],
                        mou_signed_on=data["mou_signed_on"],
                        actor=request.user,
                    )
                    message = _("%(name)s is now an AIDA member.")
                    name = data["organisation"].name
                elif kind == "representative":
                    services.member_add_representative(
                        member=data["member"], user=data["email"], actor=request.user
                    )
                    message = _("%(name)s now validates this institution's students.")
                    name = data["email"].display_name
                else:
                    services.lecturer_add(
                        user=data["email"],
                        member=data["member"],
                        position=data["position"],
                        actor=request.user,
                    )
                    message = _("%(name)s is recorded as a lecturer.")
                    name = data["email"].display_name
            except PortalError as error:
                form_error(form, error)
            else:
                messages.success(request, message % {"name": name})
                return redirect("aida:manage_members")
    forms_ = {kind: bound.get(kind) or cls(prefix=kind) for kind, cls in MANAGEMENT_FORMS.items()}
    return render(
        request,
        "aida/manage_members.html",
        {"forms": forms_, "members": selectors.members_for_management()},
        status=422 if bound else 200,
    )


@login_required
@require_GET
@private_page
def students(request):
    """The registrations the viewer may decide on: pending ones by default."""
    require(request, "aida.view_student_queue")
    status = request.GET.get("status", "pending")
    if status not in {"pending", "validated", "refused"}:
        status = "pending"
    page = paginate(
        request, selectors.students_to_validate(request.user, status=status), QUEUE_PAGE_SIZE
    )
    for student in page.object_list:
        student.may_decide = can(request.user, "aida.validate_student", student)
        student.may_confirm = can(request.user, "aida.confirm_supervision", student)
    return render(
        request,
        "aida/students.html",
        {"page": page, "status": status, "form": DecisionForm(), "page_query": f"status={status}"},
    )


@login_required
@require_POST
def student_decide(request, pk):
    student = selectors.student_for_decision(request.user, pk)
    if student is None:
        raise Http404
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise PortalError(_("Check the reason."), field="reason")
        if request.POST.get("decision") == "refuse":
            services.student_refuse(
                student=student, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The registration has been refused."))
        else:
            services.student_validate(student=student, actor=request.user)
            messages.success(request, _("The registration has been validated."))
    except PortalError as error:
        messages.error(request, error.message)
    return redirect("aida:students")


@login_required
@require_POST
def student_supervision(request, pk):
    student = selectors.student_for_decision(request.user, pk)
    if student is None:
        raise Http404
    try:
        services.student_confirm_supervision(
            student=student, actor=request.user, confirm=request.POST.get("confirm") == "yes"
        )
        messages.success(request, _("Thank you: your answer has been recorded."))
    except PortalError as error:
        messages.error(request, error.message)
    return redirect("aida:students")


# --- The catalogue -------------------------------------------------------------------------


@require_GET
@public_page(*PUBLIC_SCOPES)
def catalogue(request):
    """The courses, searched and filtered from the query string."""
    form = CatalogueFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = paginate(
        request, selectors.catalogue(selectors.CatalogueFilters(**filters)), CATALOGUE_PAGE_SIZE
    )
    params = {name: request.GET.get(name, "") for name in form.fields}
    return render(
        request,
        "aida/catalogue.html",
        {
            "may_add": can(request.user, "aida.add_course"),
            "form": form,
            "page": page,
            "filtered": any(params.values()),
            "page_query": listing_query(params),
        },
    )


@require_GET
@public_page(*PUBLIC_SCOPES)
def course_detail(request, slug):
    course = selectors.course_for_page(slug)
    if course is None:
        raise Http404
    return render(
        request,
        "aida/course_detail.html",
        {
            "course": course,
            "offerings": course.offerings.all(),
            "may_edit": can(request.user, "aida.change_course", course),
        },
    )


def _course_form_page(request, form, course=None, status=200):
    return render(request, "aida/course_form.html", {"form": form, "course": course}, status=status)


@login_required
def course_create(request):
    """A coordinator or a lecturer adds a course to the catalogue."""
    require(request, "aida.add_course")
    if request.method != "POST":
        return _course_form_page(request, CourseForm())
    form = CourseForm(request.POST)
    if form.is_valid():
        try:
            course = services.course_create(
                data=form.course_data(),
                topics=form.cleaned_data["topics"],
                lecturers=form.cleaned_data["lecturers"],
                actor=request.user,
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(request, _("The course has been added."))
            return redirect(course.get_absolute_url())
    return _course_form_page(request, form, status=422)


@login_required
def course_edit(request, slug):
    course = selectors.course_for_page(slug)
    if course is None:
        raise Http404
    require(request, "aida.change_course", course)
    if request.method != "POST":
        return _course_form_page(request, CourseForm(instance=course), course)
    form = CourseForm(request.POST, instance=Course.objects.get(pk=course.pk))
    if form.is_valid():
        try:
            services.course_update(
                course=course,
                data=form.course_data(),
                topics=form.cleaned_data["topics"],
                lecturers=form.cleaned_data["lecturers"],
                actor=request.user,
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(request, _("The course has been saved."))
            return redirect(course.get_absolute_url())
    return _course_form_page(request, form, course, status=422)


@login_required
def offering_create(request, slug):
    """A new offering (planned) of a course, by its lecturers or a coordinator."""
    course = selectors.course_for_page(slug)
    if course is None:
        raise Http404
    require(request, "aida.change_course", course)
    form = OfferingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                offering = services.offering_create(
                    course=course, data=form.offering_data(), actor=request.user
                )
            except PortalError as error:
                add_portal_error(form, error)
            else:
                messages.success(request, _("The offering has been planned; open it when ready."))
                return redirect(offering.get_absolute_url())
        status = 422
    return render(
        request, "aida/offering_form.html", {"form": form, "course": course}, status=status
    )


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
@public_page(*PUBLIC_SCOPES)
def calendar(request):
    """Every AI Excellence Lecture and offering as an iCalendar feed."""
    return _ics(
        calendar_ics(
            lectures=selectors.lectures(),
            offerings=selectors.offerings(),
            name=_("AIDA: lectures and courses"),
        ),
        "aida.ics",
    )


@require_GET
@public_page(*PUBLIC_SCOPES)
def course_calendar(request, slug):
    """A course's offerings and related lectures as an iCalendar feed."""
    course = selectors.course_for_page(slug)
    if course is None:
        raise Http404
    return _ics(
        calendar_ics(
            lectures=selectors.lectures().filter(course=course),
            offerings=selectors.offerings().filter(course=course),
            name=course.title,
        ),
        f"{course.slug}.ics",
    )


@require_GET
@public_page(*PUBLIC_SCOPES)
def lectures(request):
    """AI Excellence Lectures: upcoming first, then past ones with their recordings."""
    return render(
        request,
        "aida/lectures.html",
        {
            "upcoming": list(selectors.lectures(upcoming=True)[:100]),
            "past": list(selectors.lectures(upcoming=False)[:100]),
            "may_manage": can(request.user, "aida.manage_lectures"),
        },
    )


def lecture_detail(request, slug):
    """A lecture; coordinators edit, cancel or reinstate it here."""
    lecture = selectors.lecture_by_slug(slug)
    if lecture is None:
        raise Http404
    may_manage = can(request.user, "aida.manage_lectures")
    form = LectureForm(instance=lecture) if may_manage else None
    status = 200
    if request.method == "POST":
        require(request, "aida.manage_lectures")
        if request.POST.get("status") in {"cancelled", "scheduled"}:
            try:
                services.lecture_set_status(
                    lecture=lecture, target=request.POST["status"], actor=request.user
                )
            except PortalError as error:
                messages.error(request, error.message)
            return redirect(lecture.get_absolute_url())
        form = LectureForm(request.POST, instance=Lecture.objects.get(pk=lecture.pk))
        if form.is_valid():
            try:
                services.lecture_update(
                    lecture=lecture, data=form.lecture_data(), actor=request.user
                )
            except PortalError as error:
                add_portal_error(form, error)
            else:
                messages.success(request, _("The lecture has been saved."))
                return redirect(lecture.get_absolute_url())
        status = 422
    return render(
        request,
        "aida/lecture_detail.html",
        {"lecture": lecture, "form": form, "may_manage": may_manage},
        status=status,
    )


@login_required
def lecture_create(request):
    require(request, "aida.manage_lectures")
    form = LectureForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                lecture = services.lecture_create(data=form.lecture_data(), actor=request.user)
            except PortalError as error:
                add_portal_error(form, error)
            else:
                messages.success(request, _("The lecture has been scheduled."))
                return redirect(lecture.get_absolute_url())
        status = 422
    return render(request, "aida/lecture_form.html", {"form": form}, status=status)


def _offering_or_404(pk) -> Offering:
    offering = selectors.offering_for_page(pk)
    if offering is None:
        raise Http404
    return offering


def _offering_page(
    request, offering, *, edit_form=None, move_form=None, participant_form=None, status=200
):
    allowed, reason = selectors.enrolment_eligibility(request.user, offering)
    enrolment = selectors.enrolment_of(request.user, offering)
    may_manage = can(request.user, "aida.change_offering", offering)
    if participant_form is None and allowed:
        participant_form = _participant_form(request, offering)
    return render(
        request,
        "aida/offering_detail.html",
        {
            "offering": offering,
            "course": offering.course,
            "allowed": allowed,
            "reason": reason,
            "enrolment": enrolment,
            "participant_form": participant_form,
            "waitlist_position": selectors.waitlist_position(enrolment) if enrolment else None,
            "may_cancel": enrolment is not None
            and enrolment.status
            in (EnrolmentStatus.PENDING, EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED),
            "may_manage": may_manage,
            "edit_form": edit_form or (OfferingForm(instance=offering) if may_manage else None),
            "move_form": move_form or (OfferingMoveForm() if may_manage else None),
        },
        status=status,
    )


def _participant_form(request, offering, data=None) -> ParticipantForm | None:
    """The affiliation and country an external participant gives with their request (blank
    form first filled from their student registration, if any); ``None`` for AIDA
    students."""
    if not selectors.external_participant(request.user, offering):
        return None
    student = selectors.student_of(request.user)
    initial = (
        {
            "participant_affiliation": student.member.organisation.name,
            "participant_country": student.country.code,
        }
        if student is not None
        else {}
    )
    return ParticipantForm(data, initial=initial)


@require_GET
@public_page(*PUBLIC_SCOPES)
def offering_detail(request, pk):
    return _offering_page(request, _offering_or_404(pk))


@login_required
@require_POST
def offering_enrol(request, pk):
    """Request a place; an external participant's affiliation and country come with it, and
    a refusal of either comes back beside the field with what was typed."""
    offering = _offering_or_404(pk)
    form = _participant_form(request, offering, request.POST)
    if form is not None and not form.is_valid():
        return _offering_page(request, offering, participant_form=form, status=422)
    try:
        enrolment = services.enrolment_request(
            offering=offering,
            actor=request.user,
            **(form.participant_data() if form is not None else {}),
        )
    except PortalError as error:
        if form is not None and error.field in form.fields:
            add_portal_error(form, error)
            return _offering_page(request, offering, participant_form=form, status=422)
        messages.error(request, error.message)
    else:
        messages.success(request, enrolment.get_status_display())
    return redirect(offering.get_absolute_url())


@login_required
def offering_edit(request, pk):
    offering = _offering_or_404(pk)
    require(request, "aida.change_offering", offering)
    if request.method != "POST":
        return redirect(offering.get_absolute_url())
    form = OfferingForm(request.POST, instance=Offering.objects.get(pk=offering.pk))
    if form.is_valid():
        try:
            services.offering_update(
                offering=offering, data=form.offering_data(), actor=request.user
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(request, _("The offering has been saved."))
            return redirect(offering.get_absolute_url())
    return _offering_page(request, offering, edit_form=form, status=422)


@login_required
@require_POST
def offering_move(request, pk):
    offering = _offering_or_404(pk)
    require(request, "aida.change_offering", offering)
    form = OfferingMoveForm(request.POST)
    if form.is_valid():
        try:
            services.offering_move(
                offering=offering,
                target=OfferingStatus(form.cleaned_data["target"]),
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(request, _("The offering's status has changed."))
            return redirect(offering.get_absolute_url())
    return _offering_page(request, offering, move_form=form, status=422)


@login_required
@require_GET
@private_page
def offering_roster(request, pk):
    """Everyone who asked for a place, for the course's lecturers and the coordinators; with
    ``?format=csv`` or ``xlsx`` the same list as a file."""
    offering = _offering_or_404(pk)
    require(request, "aida.view_roster", offering)
    rows = list(selectors.roster(offering))
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:

        def when(value):
            # In the reader's timezone, as on the page: Excel gets a real date-time (made
            # local by the export), CSV a sortable text.
            if fmt == "xlsx":
                return value.replace(microsecond=0)
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

        headers = [
            _("Name"),
            _("Email"),
            _("Affiliation"),
            _("Country"),
            _("Participant"),
            _("Status"),
            _("Requested"),
            _("Attended"),
        ]
        data = [
            [
                e.user.display_name,
                e.user.email,
                e.participant_affiliation,
                e.participant_country.name if e.participant_country else "",
                str(e.participant_kind),
                e.get_status_display(),
                when(e.requested_at),
                _("yes") if e.attended else _("no"),
            ]
            for e in rows
        ]
        return tabular_response(
            fmt, headers, data, filename=f"aida-offering-{offering.pk}", title=_("Participants")
        )
    return render(
        request,
        "aida/roster.html",
        {
            "offering": offering,
            "course": offering.course,
            "enrolments": rows,
            "may_mark": offering.status in (OfferingStatus.RUNNING, OfferingStatus.FINISHED),
        },
    )


def _enrolment_for_manager(request, pk) -> Enrolment:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("offering__course", "user"), pk=pk
    )
    if not can(request.user, "aida.view_roster", enrolment.offering):
        raise Http404
    return enrolment


@login_required
@require_POST
def enrolment_cancel(request, pk):
    enrolment = get_object_or_404(Enrolment.objects.select_related("offering"), pk=pk)
    if not can(request.user, "aida.cancel_enrolment", enrolment):
        raise Http404
    try:
        services.enrolment_cancel(enrolment=enrolment, actor=request.user)
        messages.success(request, _("The enrolment has been cancelled."))
    except PortalError as error:
        messages.error(request, error.message)
    return redirect(
        (request.POST.get("next") == "roster" and "aida:roster") or "aida:offering",
        pk=enrolment.offering_id,
    )


@login_required
@require_POST
def enrolment_confirm(request, pk):
    enrolment = _enrolment_for_manager(request, pk)
    try:
        services.enrolment_confirm(enrolment=enrolment, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    return redirect("aida:roster", pk=enrolment.offering_id)


@login_required
@require_POST
def enrolment_mark(request, pk):
    enrolment = _enrolment_for_manager(request, pk)
    form = MarkForm(request.POST)
    if form.is_valid():
        try:
            services.enrolment_mark(
                enrolment=enrolment,
                actor=request.user,
                attended=form.cleaned_data["attended"],
                outcome=form.cleaned_data["outcome"] or None,
            )
            messages.success(request, _("Saved."))
        except PortalError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Check the outcome."))
    return redirect("aida:roster", pk=enrolment.offering_id)


# --- Educational resources -----------------------------------------------------------------

RESOURCES_PAGE_SIZE = 20


@require_GET
@public_page(*PUBLIC_SCOPES)
def resources(request):
    """The public repository: accepted resources, searched and filtered."""
    form = ResourceFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = paginate(request, selectors.public_resources(**filters), RESOURCES_PAGE_SIZE)
    params = {name: request.GET.get(name, "") for name in form.fields}
    return render(
        request,
        "aida/resources.html",
        {
            "form": form,
            "page": page,
            "filtered": any(params.values()),
            "page_query": listing_query(params),
            "may_submit": can(request.user, "aida.submit_resource"),
        },
    )


@login_required
def resource_submit(request):
    """A new resource for the committee; the form sent twice (a double click, a second tab)
    makes one resource and lands on it."""
    require(request, "aida.submit_resource")
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                resource = services.resource_submit(
                    data=form.resource_data(),
                    topics=form.cleaned_data["topics"],
                    file=form.new_file(),
                    actor=request.user,
                    form_token=form.cleaned_data.get("form_token"),
                )
            except PortalError as error:
                add_portal_error(form, error)
            else:
                if resource.already_submitted:
                    messages.info(request, _("This resource was already sent to the committee."))
                else:
                    messages.success(request, _("Thank you: the committee will review it."))
                return redirect(resource.get_absolute_url())
        status = 422
    else:
        form, status = ResourceForm(initial={"form_token": new_form_token()}), 200
    return render(request, "aida/resource_form.html", {"form": form}, status=status)


def _resource_or_404(request, slug):
    resource = selectors.resource_for_page(request.user, slug)
    if resource is None:
        raise Http404
    return resource


def resource_detail(request, slug):
    """A resource; the committee reviews it here (POST) while it is submitted."""
    resource = _resource_or_404(request, slug)
    may_review = resource.status == "submitted" and can(
        request.user, "aida.review_resource", resource
    )
    form = ResourceReviewForm(request.POST or None) if may_review else None
    status = 200
    if request.method == "POST":
        if not may_review:
            if resource.status != "submitted" and can(request.user, "aida.view_resource_queue"):
                # A committee member's page was loaded before a colleague decided.
                messages.error(
                    request,
                    _("This resource has already been decided; the decision is shown below."),
                )
                return redirect(resource.get_absolute_url())
            raise Http404
        if form.is_valid():
            try:
                services.resource_review(
                    resource=resource,
                    decision=form.cleaned_data["decision"],
                    criteria=form.criteria(),
                    reasons=form.cleaned_data["reasons"],
                    actor=request.user,
                )
            except PortalError as error:
                add_portal_error(form, error)
            else:
                messages.success(request, _("The review has been recorded."))
                return redirect(resource.get_absolute_url())
        status = 422
    is_submitter = request.user.is_authenticated and resource.submitted_by_id == request.user.pk
    return render(
        request,
        "aida/resource_detail.html",
        {
            "resource": resource,
            "form": form,
            "show_reviews": is_submitter or can(request.user, "aida.view_resource_queue"),
            "may_resubmit": is_submitter and resource.status == "changes-requested",
        },
        status=status,
    )


@login_required
def resource_resubmit(request, slug):
    """The submitter revises a resource and sends it back, only while the committee asks for
    changes; in any other state they are taken to its page and told why."""
    resource = _resource_or_404(request, slug)
    require(request, "aida.resubmit_resource", resource)
    if resource.status != ResourceStatus.CHANGES_REQUESTED:
        messages.info(
            request,
            _("This resource is not waiting for changes: it is %(status)s.")
            % {"status": resource.get_status_display().lower()},
        )
        return redirect(resource.get_absolute_url())
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, instance=resource)
        if form.is_valid():
            try:
                services.resource_resubmit(
                    resource=resource,
                    data=form.resource_data(),
                    file=form.new_file(),
                    clear_file=form.clear_file(),
                    actor=request.user,
                )
            except PortalError as error:
                add_portal_error(form, error)
            else:
                messages.success(request, _("Sent back to the committee."))
                return redirect(resource.get_absolute_url())
        status = 422
    else:
        form, status = ResourceForm(instance=resource), 200
    return render(
        request, "aida/resource_form.html", {"form": form, "resource": resource}, status=status
    )


@require_GET
def resource_file(request, slug):
    """A resource's file, as an attachment never cached: to anyone once the resource is
    accepted, before that to its submitter and the committee; 404 for everyone else, as its
    page."""
    resource = selectors.resource_with_file(request.user, slug)
    if resource is None:
        raise Http404
    return private_file_response(resource.file, download_name=resource.file_name)


@login_required
@require_GET
@private_page
def resource_queue(request):
    require(request, "aida.view_resource_queue")
    return render(
        request,
        "aida/resource_queue.html",
        {"resources": list(selectors.resources_to_review(request.user)[:200])},
    )


# --- My AIDA and certificates --------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    """The person's registration, enrolments, offerings they teach, the educational resources
    they submitted (in every state) and their certificate."""
    return render(
        request,
        "aida/mine.html",
        {
            "student": selectors.student_of(request.user),
            "enrolments": list(selectors.my_enrolments(request.user)),
            "taught": list(selectors.taught_offerings(request.user)[:50])
            if can(request.user, "aida.add_course")
            else [],
            "my_resources": list(selectors.resources_of(request.user)[:MY_RESOURCES_LIMIT]),
            "may_submit_resource": can(request.user, "aida.submit_resource"),
            "certificate": selectors.certificate_of(request.user),
            "has_completed": selectors.completed_enrolments(request.user).exists(),
        },
    )


@login_required
@require_POST
def certificate_issue(request):
    try:
        services.certificate_issue(user=request.user, actor=request.user)
        messages.success(request, _("Your certificate is ready."))
    except PortalError as error:
        messages.error(request, error.message)
    return redirect("aida:mine")


@login_required
@require_GET
def certificate_download(request):
    certificate = selectors.certificate_of(request.user)
    if certificate is None:
        raise Http404
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="aida-certificate.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def certificate_verify(request, code):
    """The public verification page: exactly what the certificate shows, and whether it was
    revoked; an unknown code is a 404. AIDA coordinators revoke it here (POST, with a
    reason)."""
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        raise Http404
    may_revoke = not certificate.is_revoked and can(request.user, "aida.revoke_certificate")
    form = RevokeForm(request.POST or None) if may_revoke else None
    status = 200
    if request.method == "POST":
        require(request, "aida.revoke_certificate")
        if form is not None and form.is_valid():
            try:
                services.certificate_revoke(
                    certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except PortalError as error:
                add_portal_error(form, error)
            else:
                messages.success(request, _("The certificate has been revoked."))
                return redirect(certificate.get_absolute_url())
        status = 422
    return render(
        request,
        "aida/certificate_verify.html",
        {"certificate": certificate, "revoke_form": form},
        status=status,
    )


@require_GET
def certificate_json(request, code):
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        raise Http404
    return JsonResponse(
        {
            "code": certificate.code,
            **certificate.content,
            "revoked": certificate.is_revoked,
            "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
        }
    )
