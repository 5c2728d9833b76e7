"""Forms of the AIDA pages. They check what people type; the services decide."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ai4media_portal.core.forms import PortalForm, PortalModelForm
from ai4media_portal.core.models import Topic
from ai4media_portal.core.validators import validate_teaching_material

from .enums import (
    CourseFormat,
    CourseLevel,
    Curriculum,
    EnrolmentStatus,
    Language,
    MemberTier,
    OfferingMode,
    OfferingStatus,
    ResourceStatus,
    ResourceType,
    ReviewCriterion,
)
from .models import Course, Lecture, Member, Offering, Resource, Student
from .validators import normalise_licence

ANY = _("Any")


def _with_any(choices, label=ANY):
    return [("", label), *choices]


class MemberFilterForm(PortalForm):
    """The member list's filters, from the query string."""

    tier = forms.ChoiceField(label=_("Tier"), required=False, choices=_with_any(MemberTier.choices))
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, country_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _with_any(
            sorted(((code, countries.name(code)) for code in country_codes), key=lambda c: c[1])
        )

    def filters(self) -> dict:
        """The valid filters; an invalid one is ignored rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"tier": data.get("tier", ""), "country": data.get("country", "")}


class StudentForm(PortalModelForm):
    """A student's registration with their institution."""

    class Meta:
        model = Student
        fields = list(Student.PROFILE_FIELDS)
        widgets = {"research_interests": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "member": _("Your institution, an AIDA member."),
            "supervisor_name": _("PhD students only."),
            "supervisor_email": _(
                "PhD students only. If they are an AIDA lecturer, they will be asked to confirm."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.select_related("organisation").order_by(
            "organisation__name"
        )
        self.fields["member"].label_from_instance = lambda member: member.organisation.name

    def clean(self):
        data = super().clean()
        if data.get("is_phd"):
            if not data.get("supervisor_name"):
                self.add_error("supervisor_name", _("PhD students name their supervisor."))
            if not data.get("supervisor_email") and "supervisor_email" not in self.errors:
                self.add_error(
                    "supervisor_email", _("PhD students give their supervisor's email address.")
                )
        return data


class DecisionForm(PortalForm):
    """Validate or refuse a registration; a refusal needs a reason."""

    reason = forms.CharField(
        label=_("Reason (required to refuse; sent to the student)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class CatalogueFilterForm(PortalForm):
    """The catalogue's search box and filters, from the query string."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    curriculum = forms.ChoiceField(
        label=_("Curriculum"), required=False, choices=_with_any(Curriculum.choices)
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=_with_any(CourseFormat.choices)
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    host = forms.ChoiceField(label=_("Host"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=_with_any(Language.choices)
    )
    mode = forms.ChoiceField(
        label=_("Mode"), required=False, choices=_with_any(OfferingMode.choices)
    )
    open = forms.BooleanField(label=_("Open for enrolment now"), required=False)
    starts_after = forms.DateField(
        label=_("Starting from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    starts_before = forms.DateField(
        label=_("Starting until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = _with_any(
            Topic.objects.filter(aida_courses__isnull=False)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )
        self.fields["host"].choices = _with_any(
            Member.objects.filter(courses__isnull=False)
            .distinct()
            .order_by("organisation__name")
            .values_list("organisation__slug", "organisation__name")
        )

    def filters(self) -> dict:
        """The valid filters as ``selectors.CatalogueFilters`` keywords; invalid ones are
        ignored rather than failing the page (the field shows why)."""
        self.is_valid()
        data = {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if name not in self.errors
        }
        return {
            "search": data.get("q", ""),
            "curriculum": data.get("curriculum", ""),
            "format": data.get("format", ""),
            "topic": data.get("topic", ""),
            "host": data.get("host", ""),
            "language": data.get("language", ""),
            "mode": data.get("mode", ""),
            "open_for_enrolment": bool(data.get("open")),
            "starts_after": data.get("starts_after"),
            "starts_before": data.get("starts_before"),
        }


class CourseForm(PortalModelForm):
    class Meta:
        model = Course
        fields = [*Course.EDITABLE_FIELDS, "topics", "lecturers"]
        widgets = {
            "curricula": forms.CheckboxSelectMultiple(choices=Curriculum.choices),
            "topics": forms.CheckboxSelectMultiple,
            "lecturers": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "syllabus": forms.Textarea(attrs={"rows": 4}),
            "learning_outcomes": forms.Textarea(attrs={"rows": 3}),
            "prerequisites": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["curricula"] = forms.MultipleChoiceField(
            label=_("Curricula"),
            choices=Curriculum.choices,
            widget=forms.CheckboxSelectMultiple,
            initial=self.instance.curricula if self.instance.pk else [],
        )
        self.fields["host"].queryset = Member.objects.select_related("organisation")
        self.fields["host"].label_from_instance = lambda member: member.organisation.name
        self.fields["lecturers"].queryset = self.fields["lecturers"].queryset.select_related("user")
        self.fields["lecturers"].required = False
        self.fields["topics"].required = False

    def clean_ects(self):
        value = self.cleaned_data.get("ects")
        if value is not None and (value * 2) % 1:
            raise forms.ValidationError(_("ECTS credits come in halves: 2, 2.5, 3…"))
        return value

    def course_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in Course.EDITABLE_FIELDS}


class OfferingForm(PortalModelForm):
    class Meta:
        model = Offering
        fields = list(Offering.EDITABLE_FIELDS)
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "enrolment_opens_on": forms.DateInput(attrs={"type": "date"}),
            "enrolment_closes_on": forms.DateInput(attrs={"type": "date"}),
            "schedule": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        pairs = [
            ("starts_on", "ends_on", _("The last day cannot come before the first.")),
            (
                "enrolment_opens_on",
                "enrolment_closes_on",
                _("Enrolment cannot close before it opens."),
            ),
        ]
        for first, last, message in pairs:
            if data.get(first) and data.get(last) and data[last] < data[first]:
                self.add_error(last, message)
        if data.get("capacity") == 0:
            self.add_error(
                "capacity", _("Leave the seats blank for unlimited; an offering never has 0 seats.")
            )
        return data

    def _post_clean(self):
        # The service checks the model (constraints included) and answers beside the field;
        # the form does not validate the instance a second time.
        pass

    def offering_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in Offering.EDITABLE_FIELDS}


class OfferingMoveForm(PortalForm):
    target = forms.ChoiceField(
        label=_("Move to"),
        choices=[
            (s.value, s.label)
            for s in (
                OfferingStatus.OPEN,
                OfferingStatus.PLANNED,
                OfferingStatus.RUNNING,
                OfferingStatus.FINISHED,
                OfferingStatus.CANCELLED,
            )
        ],
    )
    reason = forms.CharField(
        label=_("Reason (required to cancel; sent to everyone enrolled)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class MarkForm(PortalForm):
    attended = forms.BooleanField(label=_("Attended"), required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[
            ("", _("Not yet marked")),
            (EnrolmentStatus.COMPLETED.value, EnrolmentStatus.COMPLETED.label),
            (EnrolmentStatus.NOT_COMPLETED.value, EnrolmentStatus.NOT_COMPLETED.label),
        ],
    )


class RevokeForm(PortalForm):
    reason = forms.CharField(
        label=_("Reason for revocation"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ResourceFilterForm(PortalForm):
    """The repository's search box and filters, from the query string."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=_with_any(ResourceType.choices)
    )
    curriculum = forms.ChoiceField(
        label=_("Curriculum"), required=False, choices=_with_any(Curriculum.choices)
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=_with_any(Language.choices)
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=_with_any(CourseLevel.choices)
    )

    def filters(self) -> dict:
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        return {
            "search": data.get("q", ""),
            "type": data.get("type", ""),
            "curriculum": data.get("curriculum", ""),
            "language": data.get("language", ""),
            "level": data.get("level", ""),
        }


# What the file picker offers: every kind ``core.files.teaching_material_kind`` takes.
TEACHING_ACCEPT = ".pdf,.pptx,.docx,.xlsx,.odp,.odt,.ods,.zip,.ipynb"


class _StoredFile:
    """A resource's stored file as ``ClearableFileInput`` shows it: its uploaded name, linked
    to the download view."""

    def __init__(self, resource: Resource):
        self.resource = resource
        self.url = reverse("aida:resource_file", args=[resource.slug])

    def __str__(self) -> str:
        return self.resource.file_name or self.resource.file.name.rsplit("/", 1)[-1]

    def __bool__(self) -> bool:
        return True


class ResourceForm(PortalModelForm):
    """A resource's description, with a link, a file or both. The file is checked by content
    here (an error beside it) and again by the service."""

    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Resource
        fields = [*Resource.EDITABLE_FIELDS, "file", "topics"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "topics": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["curricula"] = forms.MultipleChoiceField(
            label=_("Curricula"),
            choices=Curriculum.choices,
            widget=forms.CheckboxSelectMultiple,
            initial=self.instance.curricula if self.instance.pk else [],
        )
        self.fields["topics"].required = False
        self.fields["course"].required = False
        self.fields["url"].help_text = _("A link, a file or both.")
        self.fields["file"].validators.append(validate_teaching_material)
        self.fields["file"].widget.attrs["accept"] = TEACHING_ACCEPT
        if self.instance.pk:
            del self.fields["form_token"]  # only a new resource is made once per token
        if self.instance.pk and self.instance.file:
            # "Currently:" names the file as it was uploaded and links to the checked download,
            # not to the private storage path (which nothing serves).
            self.initial["file"] = _StoredFile(self.instance)

    def clean_licence(self):
        value = self.cleaned_data.get("licence", "")
        return normalise_licence(value) if value else value

    def clean_file(self):
        value = self.cleaned_data.get("file")
        # The stored file kept as it is: the model field gets its own value back.
        return self.instance.file if isinstance(value, _StoredFile) else value

    def resource_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in Resource.EDITABLE_FIELDS}

    def new_file(self):
        """The file chosen now, or ``None`` when the stored one (if any) is kept."""
        upload = self.cleaned_data.get("file")
        return upload if isinstance(upload, UploadedFile) else None

    def clear_file(self) -> bool:
        """Whether "Clear" was ticked to take the stored file away."""
        return self.cleaned_data.get("file") is False


class ResourceReviewForm(PortalForm):
    """The committee's review: each criterion met or not with a comment, a decision and its
    reasons."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (s.value, s.label)
            for s in (
                ResourceStatus.ACCEPTED,
                ResourceStatus.CHANGES_REQUESTED,
                ResourceStatus.REJECTED,
            )
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons (sent to the submitter)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in ReviewCriterion.choices:
            self.fields[f"met_{value}"] = forms.BooleanField(
                label=_("Meets: %(criterion)s") % {"criterion": label}, required=False
            )
            self.fields[f"comment_{value}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": label},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.order_fields(
            [
                *[
                    n
                    for value in ReviewCriterion.values
                    for n in (f"met_{value}", f"comment_{value}")
                ],
                "decision",
                "reasons",
            ]
        )

    def criteria(self) -> dict:
        return {
            value: {
                "met": self.cleaned_data[f"met_{value}"],
                "comment": self.cleaned_data[f"comment_{value}"],
            }
            for value in ReviewCriterion.values
        }


class LectureForm(PortalModelForm):
    """A lecture's details; times are typed in the lecture's own timezone."""

    class Meta:
        model = Lecture
        fields = list(Lecture.EDITABLE_FIELDS)
        widgets = {"abstract": forms.Textarea(attrs={"rows": 4})}

    starts_at = forms.DateTimeField(
        label=_("Starts (in the lecture's timezone)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends (in the lecture's timezone)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].required = False
        if self.instance.pk:
            import zoneinfo

            zone = zoneinfo.ZoneInfo(self.instance.timezone)
            for name in ("starts_at", "ends_at"):
                self.initial[name] = (
                    getattr(self.instance, name).astimezone(zone).replace(tzinfo=None)
                )

    def clean(self):
        import zoneinfo

        data = super().clean()
        zone_name = data.get("timezone")
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in ("starts_at", "ends_at"):
                if data.get(name):
                    data[name] = data[name].replace(tzinfo=None).replace(tzinfo=zone)
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("A lecture ends after it starts."))
        return data

    def _post_clean(self):
        pass  # the service validates the model

    def lecture_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in Lecture.EDITABLE_FIELDS}


# --- Managing members, representatives and lecturers (AIDA coordinators) -----------------------


class MemberAddForm(PortalForm):
    """A network organisation joins AIDA: named by its address in the member directory
    (``/network/organisations/<slug>/``) or by its exact name."""

    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=300,
        help_text=_("Its exact name in the network's directory, or the last part of its address."),
    )
    tier = forms.ChoiceField(label=_("Tier"), choices=MemberTier.choices)
    joined_on = forms.DateField(label=_("Joined AIDA on"), widget=forms.DateInput({"type": "date"}))
    mou_signed_on = forms.DateField(
        label=_("Memorandum of understanding signed on"),
        widget=forms.DateInput({"type": "date"}),
    )

    def clean_organisation(self):
        from network.models import Organisation

        text = self.cleaned_data["organisation"].strip().rstrip("/").rsplit("/", 1)[-1]
        found = (
            Organisation.objects.filter(slug=text).first()
            or Organisation.objects.filter(name__iexact=text).first()
        )
        if found is None:
            raise forms.ValidationError(_("No organisation of the network has this name."))
        return found


class _PersonForm(PortalForm):
    email = forms.EmailField(
        label=_("Their email address"),
        help_text=_("The address of their portal account."),
    )
    member = forms.ModelChoiceField(
        label=_("Member institution"),
        queryset=Member.objects.select_related("organisation").order_by("organisation__name"),
    )

    def clean_email(self):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if user is None:
            raise forms.ValidationError(
                _("Nobody has a portal account with this address: ask them to sign up first.")
            )
        return user


class RepresentativeAddForm(_PersonForm):
    """Name an institution's AIDA representative: they validate its students."""


class LecturerAddForm(_PersonForm):
    """Record a lecturer of a member institution: they add courses and offerings."""

    position = forms.CharField(label=_("Position"), max_length=120, required=False)


class ParticipantForm(PortalForm):
    """Where an external participant comes from, asked when they request a place in an
    offering open to them; the service checks it again."""

    participant_affiliation = forms.CharField(
        label=_("Your organisation"),
        max_length=200,
        help_text=_("The university, company or organisation you belong to."),
    )
    participant_country = forms.ChoiceField(label=_("Your country"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant_country"].choices = [("", "—"), *countries]

    def participant_data(self) -> dict:
        return {
            "affiliation": self.cleaned_data["participant_affiliation"],
            "country": self.cleaned_data["participant_country"],
        }
