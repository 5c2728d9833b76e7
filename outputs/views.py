import json

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.exports import tabular_response
from ai4media_portal.core.files import private_file_response, stored_file_response
from ai4media_portal.core.forms import add_portal_error
from ai4media_portal.core.pagination import PortalPaginator
from ai4media_portal.core.permissions import can
from ai4media_portal.core.pillars import PILLAR_APPS
from ai4media_portal.core.private_cache import private_page
from ai4media_portal.core.public_cache import public_page
from ai4media_portal.core.web import listing_query, paginate, require

from . import citation, selectors, services
from .enums import OutputKind, ResearchArea, UseCase
from .formats import aiod, csl, datacite
from .forms import CatalogueFilterForm, DeleteForm, ImportForm, OutputForm
from .imports.doi import configured_lookup
from .imports.files import read_import_file
from .models import Output

CATALOGUE_PAGE_SIZE = 25
MAX_PAGE_NUMBER = 10**7
CURATION_PAGE_SIZE = 50
# A filtered export holds at most this many records (the API pages through more).
EXPORT_LIMIT = 5000


def _filters(request):
    return CatalogueFilterForm(request.GET).filters()


@require_GET
@public_page("outputs", "network")
def index(request):
    """The public catalogue: full-text search, facets, sorting and pages, all in the query
    string."""
    filters = _filters(request)
    page, facets = _catalogue_page(request, filters)
    params = filters.as_params()
    return render(
        request,
        "outputs/index.html",
        {
            "page": page,
            "filters": filters,
            "facets": _facet_links(facets, params),
            "sort_choices": _sort_choices(filters),
            "kinds": OutputKind.choices,
            "page_query": listing_query(params),
            "export_query": listing_query(params),
            "can_curate": can(request.user, "outputs.curate_outputs"),
        },
    )


def _sort_choices(filters) -> list[tuple[str, str]]:
    """The orders offered beside the results: by relevance first while searching, else the
    newest first (the catalogue's default either way)."""
    later = [("oldest", _("Oldest first")), ("title", _("Title"))]
    if selectors.search_query(filters.search) is not None:
        return [("", _("Relevance")), ("newest", _("Newest first")), *later]
    return [("", _("Newest first")), *later]


def _catalogue_page(request, filters) -> tuple[Page, dict]:
    """The catalogue page named by ``?page=`` (the first for a bad number, the last past the
    end) and the facets, from one pass over the matches (``selectors.catalogue_pass``)."""
    try:
        number = max(int(request.GET.get("page") or 1), 1)
    except (TypeError, ValueError):
        number = 1
    number = min(number, MAX_PAGE_NUMBER)  # any later page is past the end anyway
    size = CATALOGUE_PAGE_SIZE
    result = selectors.catalogue_pass(filters, offset=(number - 1) * size, limit=size)
    paginator = PortalPaginator([], size, count=result.count)
    if number > paginator.num_pages:
        number = paginator.num_pages
        keys = selectors.catalogue_pass(filters, offset=(number - 1) * size, limit=size).keys
    else:
        keys = result.keys
    return Page(selectors.catalogue_cards(keys), number, paginator), result.facets


def _facet_links(facets, params) -> dict[str, list[dict]]:
    """Each facet value with the query string that selects it (or, when selected, lifts it)."""
    links = {}
    for name, values in facets.items():
        current = str(params.get(name) or "")
        links[name] = [
            {
                "label": facet.label,
                "count": facet.count,
                "selected": facet.value == current,
                "query": listing_query(
                    params, **{name: "" if facet.value == current else facet.value}
                ),
            }
            for facet in values
        ]
    return links


def _page_url(request, output) -> str:
    return request.build_absolute_uri(output.get_absolute_url())


@require_GET
@public_page(*PILLAR_APPS)  # provenance may link to a record of any pillar
def detail(request, pk):
    """A record's page with its schema.org JSON-LD and Highwire tags; a tombstone answers
    410 Gone."""
    output = selectors.output_for_page(pk, request.user)
    if output is None:
        raise Http404
    if output.is_deleted:
        return render(request, "outputs/tombstone.html", {"output": output}, status=410)
    page_url = _page_url(request, output)
    provenance = selectors.attach_provenance([output])[0].provenance_link
    json_ld = _with_provenance(citation.json_ld(output, page_url=page_url), provenance)
    # Only a file anyone may fetch: the page is the same for every visitor (and cached so).
    pdf_url = (
        request.build_absolute_uri(reverse("outputs:file", args=[output.pk]))
        if selectors.file_is_public(output)
        else ""
    )
    return render(
        request,
        "outputs/detail.html",
        {
            "output": output,
            "json_ld": _json_for_html(json_ld),
            "citation_meta": citation.citation_meta(output, page_url=page_url, pdf_url=pdf_url)
            if output.is_published
            else [],
            "research_areas": [ResearchArea(value).label for value in output.research_areas],
            "use_cases": [UseCase(value).label for value in output.use_cases],
            "provenance": provenance,
            "can_download": selectors.file_available_to(request.user, output),
            "can_edit": can(request.user, "outputs.change_output", output),
            "can_publish": can(request.user, "outputs.publish_output", output),
            "can_delete": can(request.user, "outputs.delete_output", output),
            "citations": csl.citations(output, page_url=page_url) if output.is_published else [],
            "has_datacite": datacite.has_datacite(output),
        },
    )


# How schema.org names the record an output comes from: a project is an organisation the
# creators worked for (ResearchProject), a course a work the output belongs to.
_SCHEMA_PROVENANCE = {
    "opencall_project": ("sourceOrganization", "ResearchProject"),
    "fellows_exchange": ("sourceOrganization", "Project"),
    "aida_course": ("isPartOf", "Course"),
}


def _with_provenance(data: dict, provenance) -> dict:
    """The JSON-LD with the pillar record the output comes from, when it has one."""
    if provenance is None or not provenance.url:
        return data
    prop, schema_type = _SCHEMA_PROVENANCE.get(provenance.kind, ("sourceOrganization", "Project"))
    if prop in data:
        prop = "sourceOrganization" if prop != "sourceOrganization" else "isBasedOn"
    data[prop] = {"@type": schema_type, "@id": provenance.url, "name": provenance.title}
    return data


def _json_for_html(data) -> str:
    # As ``json_script`` does: the JSON cannot close its <script> element or open a comment.
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def _citations(request, outputs, fmt: str, filename: str) -> HttpResponse:
    """``outputs`` as a BibTeX, RIS or CSL-JSON file (CSV for lists, through the portal's
    tabular export)."""

    def page_url(output):
        return _page_url(request, output)

    if fmt == "bib":
        response = HttpResponse(
            citation.bibtex(outputs, page_url=page_url),
            content_type="application/x-bibtex; charset=utf-8",
        )
    elif fmt == "ris":
        response = HttpResponse(
            citation.ris(outputs, page_url=page_url),
            content_type="application/x-research-info-systems; charset=utf-8",
        )
    elif fmt == "json":
        items = [citation.csl_json(o, page_url=page_url(o)) for o in outputs]
        response = HttpResponse(
            json.dumps(items, ensure_ascii=False, indent=2),
            content_type="application/vnd.citationstyles.csl+json; charset=utf-8",
        )
    else:
        return tabular_response(
            "csv",
            ["id", "kind", "title", "creators", "date", "venue", "doi", "licence", "access", "url"],
            (
                [
                    o.pk,
                    o.kind,
                    o.title,
                    "; ".join(c.name for c in o.creators.all()),
                    o.date_iso,
                    o.venue,
                    o.doi,
                    o.licence,
                    o.access,
                    page_url(o),
                ]
                for o in outputs
            ),
            filename=filename,  # tabular_response adds the extension
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@require_GET
def file(request, pk):
    """The output's PDF, after the check: its curators always; anyone else only once the
    output is public and its file open (an embargo's date come). Never cached."""
    output = selectors.output_for_page(pk, request.user)
    if output is None or output.is_deleted or not output.file:
        raise Http404
    if not selectors.file_available_to(request.user, output):
        raise PermissionDenied
    return private_file_response(output.file, download_name=output.file_name or "document.pdf")


@require_GET
def cover(request, pk):
    """A result in brief's cover image, to whoever may see the record (cached when public)."""
    output = selectors.output_for_page(pk, request.user)
    if output is None or output.is_deleted or not output.cover_image:
        raise Http404
    return stored_file_response(
        output.cover_image, download_name="cover", public=output.is_published
    )


@require_GET
def detail_citation(request, pk, fmt):
    """One published record as BibTeX (``cite.bib``), RIS (``cite.ris``) or CSL-JSON
    (``cite.json``)."""
    output = selectors.output_for_page(pk, request.user)
    if output is None or not output.is_published:
        raise Http404
    return _citations(request, [output], fmt, f"output-{output.pk}")


def _published_of_kind(request, pk, kinds):
    output = selectors.output_for_page(pk, request.user)
    if output is None or not output.is_published or output.kind not in kinds:
        raise Http404
    return output


@require_GET
def detail_cff(request, pk):
    """CITATION.cff of a published software or dataset record."""
    output = _published_of_kind(request, pk, {OutputKind.SOFTWARE, OutputKind.DATASET})
    data = citation.citation_cff(output, page_url=_page_url(request, output))
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    response = HttpResponse(text, content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="CITATION.cff"'
    return response


@require_GET
def detail_codemeta(request, pk):
    """codemeta.json of a published software record."""
    output = _published_of_kind(request, pk, {OutputKind.SOFTWARE})
    data = citation.codemeta(output, page_url=_page_url(request, output))
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_GET
def export(request, fmt):
    """The catalogue's published outputs under the same filters as the list, as BibTeX,
    RIS, CSL-JSON or CSV (at most ``EXPORT_LIMIT``)."""
    outputs = selectors.catalogue(_filters(request))[:EXPORT_LIMIT]
    return _citations(request, outputs, fmt, "outputs")


# --- Curation ----------------------------------------------------------------------------------


@login_required
@private_page
def curation(request):
    """The outputs the signed-in person curates, drafts and tombstones included."""
    require(request, "outputs.curate_outputs")
    page = paginate(request, selectors.curated_by(request.user), CURATION_PAGE_SIZE)
    return render(request, "outputs/curation.html", {"page": page, "page_query": ""})


def _service_rows(form):
    data = form.cleaned_data
    return {
        "creators": data["creators"],
        "identifiers": data["identifiers"],
        "links": data["links"],
        "relations": data["relations"],
        "files": form.file_changes(),
    }


@login_required
def create(request):
    require(request, "outputs.curate_outputs")
    organisations = selectors.curated_organisations(request.user)
    form = OutputForm(request.POST or None, request.FILES or None, organisations=organisations)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                output = services.output_create(
                    actor=request.user,
                    organisation=form.cleaned_data["organisation"],
                    data=form.metadata(),
                    **_service_rows(form),
                )
            except PortalError as error:
                add_portal_error(form, error)
            else:
                messages.success(request, _("The output has been saved as a draft."))
                return redirect(output.get_absolute_url())
        status = 422
    return render(request, "outputs/form.html", {"form": form, "output": None}, status=status)


@login_required
def edit(request, pk):
    output = selectors.with_relations(Output.objects.filter(pk=pk)).first()
    if output is None:
        raise Http404
    if output.is_deleted:
        return _tombstone_stays(request, output)
    require(request, "outputs.change_output", output)
    form = OutputForm(request.POST or None, request.FILES or None, output=output)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.output_update(
                    output=output, actor=request.user, data=form.metadata(), **_service_rows(form)
                )
            except PortalError as error:
                add_portal_error(form, error)
            else:
                messages.success(request, _("The output has been saved."))
                return redirect(output.get_absolute_url())
        status = 422
    return render(request, "outputs/form.html", {"form": form, "output": output}, status=status)


def _tombstone_stays(request, output):
    """Any change asked of a deleted output: its tombstone page (public, 410), saying why
    nothing was done, instead of a bare refusal."""
    messages.error(
        request,
        _("This output was deleted: its tombstone stays for harvesters and cannot be changed."),
    )
    return redirect(output.get_absolute_url())


def _move(request, pk, service, perm, done):
    output = get_object_or_404(Output.objects.select_related("organisation"), pk=pk)
    if output.is_deleted:
        return _tombstone_stays(request, output)
    require(request, perm, output)
    try:
        service(output=output, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(output.get_absolute_url())


@login_required
@require_POST
def publish(request, pk):
    return _move(
        request, pk, services.output_publish, "outputs.publish_output", _("The output is public.")
    )


@login_required
@require_POST
def unpublish(request, pk):
    return _move(
        request,
        pk,
        services.output_unpublish,
        "outputs.publish_output",
        _("The output is a draft again."),
    )


@login_required
def delete(request, pk):
    output = get_object_or_404(Output.objects.select_related("organisation"), pk=pk)
    if output.is_deleted:
        return _tombstone_stays(request, output)
    require(request, "outputs.delete_output", output)
    form = DeleteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.output_delete(
                    output=output, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except PortalError as error:
                add_portal_error(form, error)
            else:
                messages.success(request, _("The output has been deleted; a tombstone remains."))
                return redirect("outputs:curation")
        status = 422
    return render(request, "outputs/delete.html", {"form": form, "output": output}, status=status)


@login_required
def import_bibtex(request):
    """Upload a BibTeX, CSL-JSON, DataCite/Zenodo JSON or DataCite XML file or a list of
    DOIs (looked up when the portal is configured for it), see per entry what would be
    created, updated or skipped and why, then import all of it at once ("commit") or
    nothing."""
    require(request, "outputs.curate_outputs")
    organisations = selectors.curated_organisations(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    rows, status = None, 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            content = form.cleaned_data["content"]
            commit = "commit" in request.POST
            try:
                rows = services.outputs_import(
                    actor=request.user,
                    organisation=form.cleaned_data["organisation"],
                    candidates=read_import_file(content, lookup=configured_lookup()),
                    commit=commit,
                )
            except PortalError as error:
                add_portal_error(form, error)
            else:
                if commit:
                    done = sum(row.action != "skip" for row in rows)
                    messages.success(
                        request, _("%(count)s entries imported as drafts.") % {"count": done}
                    )
                    return redirect("outputs:curation")
                status = 200
                form = ImportForm(
                    initial={"organisation": form.cleaned_data["organisation"], "content": content},
                    organisations=organisations,
                )
    return render(
        request,
        "outputs/import.html",
        {
            "form": form,
            "rows": rows,
            "can_commit": bool(rows) and any(row.action != "skip" for row in rows),
        },
        status=status,
    )


# --- DataCite XML and formatted citations (outputs.formats) ------------------------------------


def _page_url_of(request):
    return lambda output: _page_url(request, output)


@require_GET
def detail_datacite(request, pk):
    """The DataCite 4.5 XML of a published record with a DOI (the kernel requires one)."""
    output = selectors.output_for_page(pk, request.user)
    if output is None or not output.is_published or not datacite.has_datacite(output):
        raise Http404
    response = HttpResponse(
        datacite.datacite_xml(output, page_url=_page_url_of(request)),
        content_type="application/vnd.datacite.datacite+xml; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="output-{output.pk}.datacite.xml"'
    return response


@require_GET
def export_datacite(request):
    """The catalogue's published outputs with a DOI, under the list's filters, as DataCite
    XML (one ``<resource>`` each; at most ``EXPORT_LIMIT`` records)."""
    outputs = selectors.catalogue(_filters(request)).exclude(doi="")[:EXPORT_LIMIT]
    response = HttpResponse(
        datacite.datacite_xml_list(outputs, page_url=_page_url_of(request)),
        content_type="application/xml; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="outputs.datacite.xml"'
    return response


@require_GET
def detail_formatted_citation(request, pk):
    """A published record's citation as plain text in ``?style=`` (``apa`` unless said;
    ``ieee``); another style answers 400 with the styles offered."""
    output = selectors.output_for_page(pk, request.user)
    if output is None or not output.is_published:
        raise Http404
    style = request.GET.get("style", "apa")
    try:
        text = csl.formatted_citation(output, style, page_url=_page_url(request, output))
    except csl.UnknownStyle:
        return HttpResponse(
            _("Unknown citation style. Styles: %(styles)s.") % {"styles": ", ".join(csl.STYLES)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@require_GET
def export_aiod(request):
    """The catalogue's published outputs under the list's filters as JSON shaped like the
    AI-on-demand metadata catalogue (at most ``EXPORT_LIMIT`` records)."""
    outputs = selectors.catalogue(_filters(request))[:EXPORT_LIMIT]
    data = aiod.aiod_export(outputs, page_url=_page_url_of(request))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="outputs.aiod.json"'
    return response
