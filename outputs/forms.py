"""Forms of the outputs pages. They parse what people type; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ai4media_portal.core.forms import CarriedFileField, PortalForm, StoredFileInput
from ai4media_portal.core.validators import validate_image, validate_pdf
from network.models import Organisation

from .enums import (
    CONSORTIUM,
    Access,
    BriefType,
    CreatorKind,
    IdentifierScheme,
    LinkKind,
    OutputKind,
    PublicationType,
    ResearchArea,
    UseCase,
)
from .models import Output
from .selectors import Filters, provenance_choices
from .services import CreatorData, FileChanges, RelationData
from .validators import parse_partial_date


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _words(text: str) -> list[str]:
    return [word.strip() for word in (text or "").split(",") if word.strip()]


class OutputForm(PortalForm):
    """Every field of an output record; creators, identifiers, links and relations one per
    line."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("Its contacts curate the record with the portal's staff."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=OutputKind.choices)
    title = forms.CharField(label=_("Title"), max_length=500)
    abstract = forms.CharField(label=_("Abstract"), widget=forms.Textarea, required=False)
    date = forms.CharField(
        label=_("Publication date"),
        max_length=10,
        help_text=_("A year (2023), a month (2023-05) or a day (2023-05-17)."),
    )
    creators = forms.CharField(
        label=_("Creators"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One per line, in the order of the byline: “Family, Given | ORCID iD | "
            "organisation-slug …”, the ORCID iD and affiliations optional; an organisation "
            "as author in braces: “{AI4Media Consortium}”."
        ),
    )
    keywords = forms.CharField(
        label=_("Keywords"), required=False, help_text=_("Separated by commas.")
    )
    research_areas = forms.MultipleChoiceField(
        label=_("Research areas"),
        choices=ResearchArea.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    use_cases = forms.MultipleChoiceField(
        label=_("Use cases"),
        choices=UseCase.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    licence = forms.CharField(
        label=_("Licence"),
        required=False,
        max_length=200,
        help_text=_("An SPDX identifier or expression, e.g. CC-BY-4.0 or MIT OR Apache-2.0."),
    )
    doi = forms.CharField(label=_("DOI"), required=False, max_length=255)
    access = forms.ChoiceField(label=_("Access"), choices=Access.choices)
    embargo_until = forms.DateField(
        label=_("Embargoed until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    identifiers = forms.CharField(
        label=_("Other identifiers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: “arxiv:2101.01234”, “handle:11245/1.123”, or a URL."),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: “zenodo URL”, “repository URL”, “landing-page URL”."),
    )
    relations = forms.CharField(
        label=_("Related outputs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One per line: a DataCite relation type and a DOI, e.g. “IsSupplementTo "
            "10.5281/zenodo.123”."
        ),
    )
    publication_type = forms.ChoiceField(
        label=_("Publication type"),
        choices=[("", "—"), *PublicationType.choices],
        required=False,
    )
    venue = forms.CharField(label=_("Journal or conference"), required=False, max_length=300)
    volume = forms.CharField(label=_("Volume"), required=False, max_length=30)
    issue = forms.CharField(label=_("Issue"), required=False, max_length=30)
    pages = forms.CharField(label=_("Pages"), required=False, max_length=30)
    publisher = forms.CharField(label=_("Publisher"), required=False, max_length=200)
    size_bytes = forms.IntegerField(label=_("Size in bytes"), required=False, min_value=0)
    formats = forms.CharField(
        label=_("Formats"), required=False, help_text=_("Separated by commas, e.g. CSV, JSON.")
    )
    item_count = forms.IntegerField(label=_("Number of items"), required=False, min_value=0)
    access_url = forms.URLField(
        label=_("Access URL"), required=False, max_length=500, assume_scheme="https"
    )
    repository_url = forms.URLField(
        label=_("Code repository"), required=False, max_length=500, assume_scheme="https"
    )
    languages = forms.CharField(
        label=_("Programming languages"), required=False, help_text=_("Separated by commas.")
    )
    version = forms.CharField(label=_("Version"), required=False, max_length=40)
    trl = forms.IntegerField(
        label=_("Technology readiness level"), required=False, min_value=1, max_value=9
    )
    documentation_url = forms.URLField(
        label=_("Documentation"), required=False, max_length=500, assume_scheme="https"
    )
    brief_type = forms.ChoiceField(
        label=_("Type of result in brief"), choices=[("", "—"), *BriefType.choices], required=False
    )
    file = forms.FileField(
        label=_("File (PDF)"),
        required=False,
        validators=[validate_pdf],
        widget=StoredFileInput(attrs={"accept": "application/pdf"}),
        help_text=_(
            "Publications, datasets and results in brief: the document itself, at most 10 MB. "
            "While the output is embargoed only its curators can download it."
        ),
    )
    cover_image = forms.FileField(
        label=_("Cover image"),
        required=False,
        validators=[validate_image],
        widget=StoredFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=_("Results in brief: PNG, JPEG or WebP, at most 2 MB."),
    )
    provenance_kind = forms.ChoiceField(
        label=_("Comes from"), choices=(), required=False, initial=CONSORTIUM
    )
    provenance_id = forms.IntegerField(
        label=_("Number of that record"),
        required=False,
        min_value=1,
        help_text=_(
            "For an open-call project, a fellows exchange or an AIDA course: the number in the "
            "address of its page (…/projects/12/ → 12)."
        ),
    )

    def __init__(self, *args, organisations=None, output: Output | None = None, **kwargs):
        if output is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(output)
        super().__init__(*args, **kwargs)
        if output is not None:
            del self.fields["organisation"]
            # The stored files are private: link to the views that check who asks.
            for name, view in (("file", "outputs:file"), ("cover_image", "outputs:cover")):
                widget = self.fields[name].widget
                widget.current_url = reverse(view, args=[output.pk])
                widget.current_label = str(
                    (output.file_name or _("the file")) if name == "file" else _("the cover")
                )
        else:
            self.fields["organisation"].queryset = organisations
        self.fields["provenance_kind"].choices = provenance_choices()

    def clean_date(self):
        try:
            return parse_partial_date(self.cleaned_data["date"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages[0]) from exc

    def clean_creators(self):
        creators = []
        slugs = set()
        for line in _lines(self.cleaned_data["creators"]):
            if line.startswith("{") and line.endswith("}"):
                creators.append(CreatorData(name=line[1:-1].strip(), kind=CreatorKind.ORGANISATION))
                continue
            name, orcid, affiliations = [*(part.strip() for part in line.split("|")), "", ""][:3]
            family, _sep, given = name.partition(",")
            creators.append(
                CreatorData(
                    family_name=family.strip(),
                    given_name=given.strip(),
                    orcid=orcid,
                    affiliations=affiliations.split(),
                )
            )
            slugs.update(affiliations.split())
        found = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
        unknown = sorted(slugs - set(found))
        if unknown:
            raise forms.ValidationError(
                _("No organisation has the slug “%(slug)s”.") % {"slug": unknown[0]}
            )
        for creator in creators:
            creator.affiliations = [found[slug] for slug in creator.affiliations]
        return creators

    def clean_identifiers(self):
        pairs = []
        for line in _lines(self.cleaned_data["identifiers"]):
            scheme, sep, value = line.partition(":")
            if scheme.lower() in (IdentifierScheme.ARXIV, IdentifierScheme.HANDLE) and sep:
                pairs.append((scheme.lower(), value.strip()))
            else:
                pairs.append((IdentifierScheme.URL, line))
        return pairs

    def clean_links(self):
        pairs = []
        for line in _lines(self.cleaned_data["links"]):
            kind, _sep, url = line.partition(" ")
            if kind not in LinkKind.values:
                raise forms.ValidationError(
                    _("Start each line with one of: %(kinds)s.")
                    % {"kinds": ", ".join(LinkKind.values)}
                )
            pairs.append((kind, url.strip()))
        return pairs

    def clean_relations(self):
        relations = []
        for line in _lines(self.cleaned_data["relations"]):
            relation_type, _sep, doi = line.partition(" ")
            relations.append(RelationData(relation_type=relation_type, target_doi=doi.strip()))
        return relations

    def file_changes(self) -> FileChanges:
        """The uploads and removals in the shape the services take (a cleared input is
        ``False``, a kept one the stored file)."""
        upload = self.cleaned_data.get("file")
        cover = self.cleaned_data.get("cover_image")
        new_file = upload if upload and hasattr(upload, "content_type") else None
        new_cover = cover if cover and hasattr(cover, "content_type") else None
        return FileChanges(
            file=new_file,
            file_name=new_file.name if new_file else "",
            clear_file=upload is False,
            cover_image=new_cover,
            clear_cover_image=cover is False,
        )

    def metadata(self) -> dict:
        """The cleaned fields in the shape ``services.output_create/update`` take."""
        data = self.cleaned_data
        year, month, day = data["date"]
        metadata = {
            name: data[name]
            for name in Output.METADATA_FIELDS
            if name in data and name not in ("keywords", "formats", "languages")
        }
        for name in ("keywords", "formats", "languages"):
            metadata[name] = _words(data[name])
        for name in ("size_bytes", "item_count", "trl"):
            metadata[name] = data.get(name)
        metadata.update(date_year=year, date_month=month, date_day=day)
        return metadata


def initial_for(output: Output) -> dict:
    """The form's initial values from a record (its lines as the form's syntax writes them)."""
    initial = {name: getattr(output, name) for name in Output.METADATA_FIELDS}
    for name in ("keywords", "formats", "languages"):
        initial[name] = ", ".join(initial[name])
    initial["date"] = output.date_iso
    initial["file"] = output.file or None
    initial["cover_image"] = output.cover_image or None
    lines = []
    for creator in output.creators.all():
        if creator.kind == CreatorKind.ORGANISATION:
            lines.append("{" + creator.name + "}")
            continue
        parts = [f"{creator.family_name}, {creator.given_name}".strip(", ")]
        slugs = " ".join(o.slug for o in creator.affiliations.all())
        if creator.orcid or slugs:
            parts.append(creator.orcid)
        if slugs:
            parts.append(slugs)
        lines.append(" | ".join(parts))
    initial["creators"] = "\n".join(lines)
    initial["identifiers"] = "\n".join(
        i.value if i.scheme == IdentifierScheme.URL else f"{i.scheme}:{i.value}"
        for i in output.identifiers.all()
    )
    initial["links"] = "\n".join(f"{link.kind} {link.url}" for link in output.links.all())
    initial["relations"] = "\n".join(
        f"{r.relation_type} {r.target_doi or (r.target.doi if r.target else '')}"
        for r in output.relations.all()
    )
    return initial


class DeleteForm(PortalForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Shown on the record's tombstone, e.g. “duplicate of …”, “withdrawn”."),
    )


class CatalogueFilterForm(PortalForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(choices=[("", _("Any kind")), *OutputKind.choices], required=False)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2100)
    area = forms.ChoiceField(choices=[("", ""), *ResearchArea.choices], required=False)
    use_case = forms.ChoiceField(choices=[("", ""), *UseCase.choices], required=False)
    access = forms.ChoiceField(choices=[("", ""), *Access.choices], required=False)
    licence = forms.CharField(required=False, max_length=200)
    organisation = forms.SlugField(required=False, max_length=120)
    creator = forms.CharField(required=False, max_length=300)
    sort = forms.ChoiceField(
        label=_("Sort"),
        choices=[
            ("", _("Relevance (newest without a search)")),
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("title", _("Title")),
        ],
        required=False,
    )

    def filters(self) -> Filters:
        """The filters as asked. A value no output can have (an unknown kind, "abc" for a
        year, an organisation that is no slug) is kept as typed, so that it matches nothing
        and the page lists it as chosen, to be lifted, rather than quietly showing
        everything; a search longer than 200 characters is cut; an unknown sort is the
        default order."""
        self.is_valid()
        data = {
            name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors
        }
        for name in self.errors:
            raw = " ".join(str(self.data.get(name, "")).split())
            if name == "q":
                data["q"] = raw[:200]
            elif name != "sort":
                data[name] = raw[:300]
        return Filters(
            search=data.get("q") or "",
            kind=data.get("kind") or "",
            year=data.get("year"),
            area=data.get("area") or "",
            use_case=data.get("use_case") or "",
            access=data.get("access") or "",
            licence=data.get("licence") or "",
            organisation=data.get("organisation") or "",
            creator=data.get("creator") or "",
            sort=data.get("sort") or "",
        )


class ImportForm(PortalForm):
    """A file to preview; the preview carries its bytes back to commit them (``content``).
    The cleaned data's ``content`` holds the file's bytes, UTF-8, from either."""

    MAX_BYTES = 5 * 1024 * 1024

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("The imported outputs are its drafts."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "BibTeX, CSL-JSON, DataCite or Zenodo JSON, DataCite XML, or a list of DOIs (one a "
            "line); UTF-8, at most 5 MB. You see what would happen before anything is saved."
        ),
    )
    content = CarriedFileField(max_bytes=MAX_BYTES, required=False, label=_("Previewed file"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > self.MAX_BYTES:
                self.add_error("file", _("The file is larger than 5 MB."))
                return cleaned
            content = upload.read()
            if not self.fields["content"].fits(content):
                self.add_error(
                    "file",
                    _("This file is too large to import at once: split it into smaller files."),
                )
                return cleaned
        elif cleaned.get("content"):
            content = cleaned["content"]
        else:
            # An empty upload or a carried file that does not unpack has its own message,
            # which already says what to do.
            if not (self.has_error("file") or self.has_error("content")):
                self.add_error("file", _("Choose a file."))
            return cleaned
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            self.add_error("file", _("The file is not UTF-8 text: save it as UTF-8 and try again."))
            return cleaned
        cleaned["content"] = content
        return cleaned
