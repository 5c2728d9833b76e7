"""Forms of the Observatory pages. They check what people type; the services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ai4media_portal.core.forms import PortalForm, PortalModelForm, StoredFileInput
from ai4media_portal.core.idempotency import new_form_token
from ai4media_portal.core.validators import validate_image, validate_pdf
from network.models import Organisation

from .enums import Availability, ContentKind, ContentLanguage
from .models import (
    ContentItem,
    ContentProposal,
    EditorialTopic,
    Expert,
    Milestone,
    Regulation,
)
from .validators import normalise_orcid, validate_orcid

User = get_user_model()


def form_token_field() -> forms.UUIDField:
    """The hidden token of a create form (``core.idempotency``): fresh each time the form is
    drawn, so the same form sent twice (a double click, a retry) creates once."""
    return forms.UUIDField(widget=forms.HiddenInput, required=False, initial=new_form_token)


def split_names(text: str) -> list[str]:
    """Comma- or line-separated names, trimmed, empty ones dropped."""
    return [part.strip() for part in (text or "").replace("\n", ",").split(",") if part.strip()]


# How many authors an editor can name on a piece.
AUTHOR_SLOTS = 5


class ContentForm(PortalModelForm):
    """A piece's text, image and vocabularies. Editors also name the authors, in order."""

    hero_image = forms.FileField(
        label=_l("Hero image"),
        required=False,
        validators=[validate_image],
        widget=StoredFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=_l("Optional. PNG, JPEG or WebP, at most 2 MB and 4096 pixels on a side."),
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=EditorialTopic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_l("Topics"),
        error_messages={"required": _l("Choose at least one topic.")},
    )
    regulations = forms.ModelMultipleChoiceField(
        queryset=Regulation.objects.order_by("short_name"),
        widget=forms.CheckboxSelectMultiple,
        label=_l("Regulations analysed"),
        required=False,
        help_text=_l("The piece is listed on these regulations' pages of the policy tracker."),
    )
    related_items = forms.ModelMultipleChoiceField(
        queryset=ContentItem.objects.none(),
        label=_l("Related content"),
        required=False,
        help_text=_l("Published pieces to suggest beside this one."),
    )
    related_organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        label=_l("Related organisations"),
        required=False,
        help_text=_l("Organisations of the network the piece is about; listed on their pages."),
    )
    form_token = form_token_field()
    related_outputs = forms.CharField(
        label=_l("Related research outputs"),
        required=False,
        max_length=300,
        help_text=_l(
            "Numbers of records of the public Outputs catalogue, separated by commas: the "
            "number at the end of a record's address, e.g. 42 for /outputs/42/."
        ),
    )
    tags = forms.CharField(
        label=_l("Tags"),
        required=False,
        max_length=600,
        help_text=_l("Free tags, separated by commas, e.g. deepfakes, elections."),
    )
    video_url = forms.URLField(
        label=_l("Video link"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_l("For the video series: shown as a link; nothing loads by itself."),
    )
    source_url = forms.URLField(
        label=_l("Source link"), required=False, max_length=300, assume_scheme="https"
    )

    class Meta:
        model = ContentItem
        fields = [*ContentItem.EDITABLE_FIELDS, "hero_image"]
        widgets = {
            "standfirst": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 18}),
        }

    def __init__(
        self,
        *args,
        may_credit: bool = False,
        published=None,
        organisations=None,
        author_choices=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if published is not None:
            self.fields["related_items"].queryset = published.exclude(pk=self.instance.pk)
        if organisations is not None:
            self.fields["related_organisations"].queryset = organisations
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "The last part of the address; made from the title when empty."
        )
        if may_credit:
            self._add_author_fields(author_choices or ([], []))
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(tag.name for tag in self.instance.tags.all())
            self.initial["topics"] = [topic.pk for topic in self.instance.topics.all()]
            self.initial["regulations"] = list(
                self.instance.regulations.values_list("pk", flat=True)
            )
            self.initial["related_items"] = list(
                self.instance.related_items.values_list("pk", flat=True)
            )
            self.initial["related_outputs"] = ", ".join(
                str(pk) for pk in self.instance.related_outputs.values_list("pk", flat=True)
            )
            self.initial["related_organisations"] = list(
                self.instance.related_organisations.values_list("pk", flat=True)
            )

    def _add_author_fields(self, choices) -> None:
        """``AUTHOR_SLOTS`` selects, in the order shown: approved experts of the directory,
        then the staff (and whoever is credited already, so that a save keeps them)."""
        experts, staff = choices
        credits = list(self.instance.credits.all()) if self.instance.pk else []
        self._authors = {f"e{expert.pk}": expert for expert in experts}
        self._authors.update({f"u{user.pk}": user for user in staff})
        for credit in credits:
            key = f"e{credit.expert_id}" if credit.expert_id else f"u{credit.user_id}"
            self._authors.setdefault(key, credit.expert if credit.expert_id else credit.user)
        expert_options = [(k, v.name) for k, v in self._authors.items() if k[0] == "e"]
        user_options = [
            (k, f"{v.display_name} ({v.email})") for k, v in self._authors.items() if k[0] == "u"
        ]
        options = [
            ("", _("— nobody —")),
            (_("Experts of the directory"), expert_options),
            (_("Staff and editorial team"), user_options),
        ]
        for slot in range(1, AUTHOR_SLOTS + 1):
            self.fields[f"author_{slot}"] = forms.ChoiceField(
                label=_("Author %(n)s") % {"n": slot},
                choices=options,
                required=False,
                help_text=(
                    _(
                        "In the order shown on the piece; experts link to their profile. "
                        "None chosen: the person who created the piece."
                    )
                    if slot == 1
                    else ""
                ),
            )
            if credits and not self.is_bound and slot <= len(credits):
                credit = credits[slot - 1]
                self.initial[f"author_{slot}"] = (
                    f"e{credit.expert_id}" if credit.expert_id else f"u{credit.user_id}"
                )

    def service_error(self, error):
        """The service's refusal, to show with ``core.web.form_error``: one about the authors
        (one field for the services) goes beside the first author slot."""
        if error.field == "authors" and "author_1" in self.fields:
            error.field = "author_1"
        return error

    def _clean_authors(self, cleaned) -> list | None:
        chosen, seen = [], set()
        for slot in range(1, AUTHOR_SLOTS + 1):
            key = cleaned.get(f"author_{slot}")
            if not key:
                continue
            if key in seen:
                self.add_error(f"author_{slot}", _("This author is already named above."))
                continue
            seen.add(key)
            chosen.append(self._authors[key])
        return chosen or None

    def clean_related_outputs(self) -> list[int]:
        """Whole numbers only (``#42`` and ``/outputs/42/`` read as 42); whether each is a
        public record is for the service to say, beside this field."""
        ids = []
        for part in split_names(self.cleaned_data.get("related_outputs", "")):
            digits = part.strip().strip("/").rsplit("/", 1)[-1].lstrip("#")
            if not digits.isdigit() or len(digits) > 9:
                raise forms.ValidationError(
                    _("“%(value)s” is not an output number.") % {"value": part}
                )
            ids.append(int(digits))
        return ids

    def clean_tags(self):
        return split_names(self.cleaned_data.get("tags", ""))

    def clean(self):
        cleaned = super().clean()
        has_image = cleaned.get("hero_image") or (
            self.instance.hero_image and cleaned.get("hero_image") is not False
        )
        if has_image and not (cleaned.get("hero_alt") or "").strip():
            self.add_error("hero_alt", _("Describe the image for people who cannot see it."))
        if "author_1" in self.fields:
            cleaned["authors"] = self._clean_authors(cleaned)
        return cleaned

    def _post_clean(self):
        # The services save and validate the model; the form only checks what was typed.
        pass

    def service_kwargs(self) -> dict:
        """What the create and update services take from this form."""
        data = {name: self.cleaned_data[name] for name in ContentItem.EDITABLE_FIELDS}
        image = self.cleaned_data.get("hero_image")
        kwargs = {
            "data": data,
            "topics": list(self.cleaned_data["topics"]),
            "tag_names": self.cleaned_data["tags"],
            "regulations": list(self.cleaned_data["regulations"]),
            "related_items": list(self.cleaned_data["related_items"]),
            "related_organisations": list(self.cleaned_data["related_organisations"]),
            "related_outputs": self.cleaned_data["related_outputs"],
            "hero_image": image or None,
        }
        if self.cleaned_data.get("authors"):
            kwargs["authors"] = self.cleaned_data["authors"]
        return kwargs


class CommentForm(PortalForm):
    message = forms.CharField(
        label=_l("Comment to the authors"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _l("Say what should change: the authors receive this.")},
    )


class ScheduleForm(PortalForm):
    go_live_at = forms.DateTimeField(
        label=_l("Goes live at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": _l("Give the time it goes live.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["go_live_at"].help_text = _(
            "In %(zone)s time; the piece is published within a minute of it."
        ) % {"zone": timezone.get_current_timezone_name()}


class ContentFilterForm(PortalForm):
    """The public list's search and filters, all in the query string."""

    q = forms.CharField(label=_l("Search"), required=False, max_length=200)
    topic = forms.SlugField(label=_l("Topic"), required=False)
    kind = forms.ChoiceField(
        label=_l("Kind"), required=False, choices=[("", _l("All kinds")), *ContentKind.choices]
    )
    tag = forms.SlugField(label=_l("Tag"), required=False)
    language = forms.ChoiceField(
        label=_l("Language"),
        required=False,
        choices=[("", _l("All languages")), *ContentLanguage.choices],
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "search": data["q"],
            "topic": data["topic"],
            "kind": data["kind"],
            "tag": data["tag"],
            "language": data["language"],
        }


class ProposalForm(PortalModelForm):
    """What a signed-in user proposes to the editorial board."""

    form_token = form_token_field()
    link = forms.URLField(
        label=_l("Link"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_l("Where the content is, e.g. a paper, an article or a video."),
    )
    file = forms.FileField(
        label=_l("File"),
        required=False,
        validators=[validate_pdf],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text=_l("Optional, instead of or beside a link: a PDF document, at most 10 MB."),
    )

    class Meta:
        model = ContentProposal
        fields = [*ContentProposal.PROPOSER_FIELDS, "file"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "fit": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].empty_label = _("Choose a topic")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("link") and not cleaned.get("file") and "link" not in self.errors:
            self.add_error("link", _("Give a link or attach a file."))
        return cleaned

    def _post_clean(self):
        pass


class AcceptProposalForm(PortalForm):
    editor = forms.ModelChoiceField(
        queryset=None,
        label=_l("Assign the draft to"),
        error_messages={"required": _l("Choose the editor who will write it up.")},
    )
    reply = forms.CharField(
        label=_l("Note to the proposer (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["editor"].queryset = team


class DeclineProposalForm(PortalForm):
    reply = forms.CharField(
        label=_l("Reply to the proposer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _l("Tell the proposer why: they receive this reply.")},
    )


class RegulationForm(PortalModelForm):
    official_url = forms.URLField(
        label=_l("Official text"), required=False, max_length=300, assume_scheme="https"
    )

    class Meta:
        model = Regulation
        fields = list(Regulation.EDITABLE_FIELDS)
        widgets = {
            "status_as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def _post_clean(self):
        pass


class MilestoneForm(PortalModelForm):
    source_url = forms.URLField(label=_l("Source"), max_length=300, assume_scheme="https")

    class Meta:
        model = Milestone
        fields = list(Milestone.EDITABLE_FIELDS)
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def _post_clean(self):
        pass


class OrcidField(forms.CharField):
    """Accepts ``https://orcid.org/0000-0002-1825-0097`` or the bare iD; checks the checksum."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _l("ORCID iD"))
        kwargs.setdefault("help_text", _l("Optional, e.g. 0000-0002-1825-0097."))
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_orcid(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            validate_orcid(value)


class ExpertForm(PortalModelForm):
    """An expert's profile, by the expert or an editor."""

    form_token = form_token_field()
    photo = forms.FileField(
        label=_l("Photo"),
        required=False,
        validators=[validate_image],
        widget=StoredFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=_l("Optional. PNG, JPEG or WebP, at most 2 MB."),
    )
    orcid = OrcidField()
    website = forms.URLField(
        label=_l("Website"), required=False, max_length=300, assume_scheme="https"
    )
    expertise = forms.CharField(
        label=_l("Expertise"),
        required=False,
        max_length=600,
        help_text=_l("Keywords, separated by commas, e.g. deepfake detection, media law."),
    )
    languages = forms.MultipleChoiceField(
        label=_l("Languages"),
        choices=ContentLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _l("Choose at least one language.")},
    )
    available_for = forms.MultipleChoiceField(
        label=_l("Available for"),
        choices=Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=EditorialTopic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_l("Topics"),
        required=False,
    )

    class Meta:
        model = Expert
        fields = [*Expert.PROFILE_FIELDS, "photo", "contact_email"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}

    def __init__(
        self, *args, organisations=None, with_contact_email=False, show_pending=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].required = False
        if not with_contact_email:
            del self.fields["contact_email"]
        if self.instance.pk and not self.is_bound:
            self.initial["expertise"] = ", ".join(self.instance.expertise)
            self.initial["topics"] = [topic.pk for topic in self.instance.topics.all()]
            if show_pending:
                # The owner goes on from the changes waiting for approval, not the approved
                # version: nothing they typed is lost.
                for name, value in self.instance.pending_changes.items():
                    if name == "expertise":
                        self.initial[name] = ", ".join(value)
                    elif name in self.fields and name != "photo":
                        self.initial[name] = value

    def clean_expertise(self):
        return split_names(self.cleaned_data.get("expertise", ""))[:20]

    def _post_clean(self):
        pass

    def profile_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in Expert.PROFILE_FIELDS}
        if "contact_email" in self.fields:
            data["contact_email"] = self.cleaned_data["contact_email"]
        return data


class ExpertFilterForm(PortalForm):
    q = forms.CharField(label=_l("Search"), required=False, max_length=200)
    topic = forms.SlugField(label=_l("Topic"), required=False)
    country = forms.CharField(label=_l("Country"), required=False, max_length=2)
    language = forms.ChoiceField(
        label=_l("Language"),
        required=False,
        choices=[("", _l("Any language")), *ContentLanguage.choices],
    )
    availability = forms.ChoiceField(
        label=_l("Available for"),
        required=False,
        choices=[("", _l("Anything")), *Availability.choices],
    )
    organisation = forms.SlugField(label=_l("Organisation"), required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        data["search"] = data.pop("q")
        data["country"] = data["country"].upper()
        return data


class DeclineChangesForm(PortalForm):
    reply = forms.CharField(
        label=_l("Reply to the expert"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _l("Tell the expert why: they receive this reply.")},
    )


class ContactForm(PortalForm):
    form_token = form_token_field()
    subject = forms.CharField(label=_l("Subject"), max_length=150)
    body = forms.CharField(
        label=_l("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_l("Plain text. The expert replies to your email address."),
    )
