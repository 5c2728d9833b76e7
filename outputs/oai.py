"""OAI-PMH 2.0 data provider at ``/oai/`` (the Open Archives Initiative Protocol for Metadata
Harvesting, version 2.0, 2002/2015 edition): the six verbs by GET and POST, Dublin Core
(``oai_dc``), the OpenAIRE Literature Guidelines v4 profile (``oai_openaire``) and DataCite
(``oai_datacite``, records with a DOI only, as the DataCite kernel requires one); sets by kind,
research area and ``openaire`` (the records funded by the European Commission); persistent
deleted records.

What harvesters rely on, and how it holds here:
- every published output is a record; an output that was published and then deleted (or
  taken back to draft) stays as a deleted header, so a harvester learns to drop it;
- a record's datestamp is ``Output.updated_at`` (UTC, to the second), which every service
  moves when anything shown changes;
- lists are walked in (datestamp, id) order and a resumption token carries the request's
  arguments and the last (datestamp, id) seen, signed: never an offset, so records changing
  between pages are neither skipped nor shifted (a changed record comes again later with its
  new datestamp); the last page of a resumed list has an empty token;
- wrong, missing, repeated or unknown arguments get the OAI error the specification names for
  them (section 3.6), in a 200 response, never a server error.
"""

import datetime
import re
import xml.etree.ElementTree as ET

from django.conf import settings
from django.core import signing
from django.db.models import Exists, Min, OuterRef, Prefetch, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ai4media_portal.core.text import forbidden_character

from . import selectors
from .enums import (
    DEFAULT_FUNDER,
    Access,
    CreatorKind,
    OutputKind,
    OutputStatus,
    PublicationType,
    ResearchArea,
)
from .formats import datacite, openaire
from .models import Creator, Funding, Output

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# The envelope in the default namespace (``<OAI-PMH xmlns="…">``), as in OAI-PMH 2.0's
# examples and as harvesters expect, rather than under a generated ``ns0:`` prefix.
for _prefix, _uri in (("", OAI), ("oai_dc", OAI_DC), ("dc", DC), ("xsi", XSI)):
    ET.register_namespace(_prefix, _uri)

PAGE_SIZE = 100
TOKEN_SALT = "outputs.oai.resumption"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
OAI_DATACITE = "http://schema.datacite.org/oai/oai-1.1/"
METADATA_FORMATS = {
    "oai_dc": (OAI_DC, "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"),
    "oai_openaire": (openaire.OAIRE, openaire.SCHEMA_LOCATION),
    "oai_datacite": (OAI_DATACITE, "http://schema.datacite.org/oai/oai-1.1/oai.xsd"),
}
# The records a format can describe (OAI-PMH 2.0, 4.4: a list holds only the records available
# in the requested format): DataCite metadata needs a DOI.
FORMAT_FILTERS = {"oai_datacite": ~Q(doi="")}
ET.register_namespace("oai_datacite", OAI_DATACITE)
OPENAIRE_SET = "openaire"
# Which arguments each verb takes: (required, optional, exclusive).
VERBS = {
    "Identify": (set(), set(), None),
    "ListMetadataFormats": (set(), {"identifier"}, None),
    "ListSets": (set(), set(), "resumptionToken"),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), None),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
}
DRIVER_TYPES = {
    PublicationType.JOURNAL_ARTICLE: "info:eu-repo/semantics/article",
    PublicationType.CONFERENCE_PAPER: "info:eu-repo/semantics/conferenceObject",
    PublicationType.PREPRINT: "info:eu-repo/semantics/preprint",
    PublicationType.BOOK_CHAPTER: "info:eu-repo/semantics/bookPart",
    PublicationType.THESIS: "info:eu-repo/semantics/doctoralThesis",
    PublicationType.REPORT: "info:eu-repo/semantics/report",
}
ACCESS_RIGHTS = {
    Access.OPEN: "info:eu-repo/semantics/openAccess",
    Access.EMBARGOED: "info:eu-repo/semantics/embargoedAccess",
    Access.RESTRICTED: "info:eu-repo/semantics/restrictedAccess",
    Access.METADATA_ONLY: "info:eu-repo/semantics/closedAccess",
}


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def repository_identifier() -> str:
    return getattr(settings, "OAI_REPOSITORY_IDENTIFIER", "ai4media.eu")


def oai_identifier(output: Output) -> str:
    return f"oai:{repository_identifier()}:{output.uid}"


def _datestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_datestamp(value: str, *, until: bool) -> tuple[datetime.datetime, str]:
    """A from/until argument as the first instant it covers and the instant after it
    (inclusive bounds), with its granularity (``day`` or ``seconds``)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = datetime.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=datetime.UTC)
        except ValueError:
            raise OAIError("badArgument", f"{value} is not a date.") from None
        return (day + datetime.timedelta(days=1) if until else day), "day"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", value):
        try:
            moment = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=datetime.UTC
            )
        except ValueError:
            raise OAIError("badArgument", f"{value} is not a date and time.") from None
        return (moment + datetime.timedelta(seconds=1) if until else moment), "seconds"
    raise OAIError("badArgument", f"{value} is neither YYYY-MM-DD nor YYYY-MM-DDThh:mm:ssZ (UTC).")


def _sets(output: Output) -> list[str]:
    sets = [f"kind:{output.kind}", *(f"area:{area}" for area in output.research_areas)]
    if output.ec_funded:
        sets.append(OPENAIRE_SET)
    return sets


ALL_SETS = [
    *((f"kind:{value}", f"{label}") for value, label in OutputKind.choices),
    *((f"area:{value}", f"{label}") for value, label in ResearchArea.choices),
    (OPENAIRE_SET, "OpenAIRE: outputs funded by the European Commission"),
]


def _harvestable():
    """The harvestable records, each knowing whether it belongs to the ``openaire`` set (a
    funding reference of the European Commission) without a query per record."""
    return selectors.harvestable().annotate(
        ec_funded=Exists(Funding.objects.filter(output=OuterRef("pk"), funder=DEFAULT_FUNDER))
    )


def _set_filter(spec: str) -> Q:
    if spec == OPENAIRE_SET:
        return Q(ec_funded=True)
    kind, _sep, value = spec.partition(":")
    if kind == "kind" and value in OutputKind.values:
        return Q(kind=value)
    if kind == "area" and value in ResearchArea.values:
        return Q(research_areas__contains=[value])
    raise OAIError("badArgument", f"There is no set {spec}.")


# --- XML ------------------------------------------------------------------------------------


def _el(parent, tag, text=None, **attributes):
    element = ET.SubElement(parent, tag, {k: v for k, v in attributes.items() if v is not None})
    if text is not None:
        element.text = str(text)
    return element


def _header(parent, output: Output):
    deleted = output.status != OutputStatus.PUBLISHED
    header = _el(parent, f"{{{OAI}}}header", status="deleted" if deleted else None)
    _el(header, f"{{{OAI}}}identifier", oai_identifier(output))
    _el(header, f"{{{OAI}}}datestamp", _datestamp(output.updated_at))
    for spec in _sets(output):
        _el(header, f"{{{OAI}}}setSpec", spec)
    return deleted


def _oai_dc(parent, output: Output, page_url: str):
    root = _el(
        parent,
        f"{{{OAI_DC}}}dc",
        **{f"{{{XSI}}}schemaLocation": f"{OAI_DC} {METADATA_FORMATS['oai_dc'][1]}"},
    )

    def dc(tag, value):
        if value:
            _el(root, f"{{{DC}}}{tag}", value)

    dc("title", output.title)
    for creator in output.creators.all():
        if creator.kind == CreatorKind.PERSON and creator.family_name:
            dc("creator", f"{creator.family_name}, {creator.given_name}".strip(", "))
        else:
            dc("creator", creator.name)
    for keyword in output.keywords:
        dc("subject", keyword)
    dc("description", output.abstract)
    dc("publisher", output.publisher)
    dc("date", output.date_iso)
    if output.kind == OutputKind.PUBLICATION:
        dc("type", DRIVER_TYPES.get(output.publication_type, "info:eu-repo/semantics/other"))
    else:
        dc("type", {"dataset": "Dataset", "software": "Software"}.get(output.kind, "Text"))
    dc("identifier", output.doi_url)
    dc("identifier", page_url)
    for identifier in output.identifiers.all():
        dc("identifier", identifier.value)
    for grant in output.funding.all():
        if grant.award:
            dc("relation", f"info:eu-repo/grantAgreement/EC/{grant.programme}/{grant.award}")
    dc("rights", ACCESS_RIGHTS[output.access])
    if output.licence:
        dc("rights", f"https://spdx.org/licenses/{output.licence}.html")
    if output.access == Access.EMBARGOED and output.embargo_until:
        dc("date", f"info:eu-repo/date/embargoEnd/{output.embargo_until.isoformat()}")
    dc("source", output.venue)


def _oai_datacite(parent, output: Output, page_url):
    root = _el(
        parent,
        f"{{{OAI_DATACITE}}}oai_datacite",
        **{f"{{{XSI}}}schemaLocation": f"{OAI_DATACITE} {METADATA_FORMATS['oai_datacite'][1]}"},
    )
    _el(root, f"{{{OAI_DATACITE}}}schemaVersion", "4.5")
    _el(root, f"{{{OAI_DATACITE}}}datacentreSymbol", datacentre_symbol())
    payload = _el(root, f"{{{OAI_DATACITE}}}payload")
    payload.append(ET.fromstring(datacite.datacite_xml(output, page_url=page_url)))


def datacentre_symbol() -> str:
    return getattr(settings, "OAI_DATACENTRE_SYMBOL", repository_identifier().upper())


def _record(parent, output: Output, page_url, prefix: str):
    record = _el(parent, f"{{{OAI}}}record")
    if not _header(record, output):
        metadata = _el(record, f"{{{OAI}}}metadata")
        if prefix == "oai_openaire":
            openaire.openaire_element(metadata, output, page_url=page_url)
        elif prefix == "oai_datacite":
            _oai_datacite(metadata, output, page_url)
        else:
            _oai_dc(metadata, output, page_url(output))


def _envelope(request, base_url: str, arguments: dict | None):
    root = ET.Element(
        f"{{{OAI}}}OAI-PMH",
        {f"{{{XSI}}}schemaLocation": f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"},
    )
    _el(root, f"{{{OAI}}}responseDate", _datestamp(timezone.now()))
    _el(root, f"{{{OAI}}}request", base_url, **(arguments or {}))
    return root


def _response(root) -> HttpResponse:
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


# --- Verbs ----------------------------------------------------------------------------------


def _arguments(params) -> dict:
    """The request's arguments, refusing repeated ones, control characters (a NUL would
    reach PostgreSQL) and arguments outside the verb's signature."""
    for key, values in params.lists():
        for text in (key, *values):
            if forbidden_character(text):
                raise OAIError("badArgument", f"A control character in argument {key!r}.")
    repeated = [key for key, values in params.lists() if len(values) > 1]
    if "verb" in repeated:
        raise OAIError("badVerb", "The verb is repeated.")
    verb = params.get("verb")
    if verb not in VERBS:
        raise OAIError("badVerb", "Missing or unknown verb.")
    if repeated:
        raise OAIError("badArgument", f"Repeated argument: {repeated[0]}.")
    arguments = {key: value for key, value in params.items() if key != "verb"}
    required, optional, exclusive = VERBS[verb]
    if exclusive and exclusive in arguments:
        if len(arguments) > 1:
            raise OAIError("badArgument", f"{exclusive} must be the only argument.")
        return {"verb": verb, **arguments}
    unknown = set(arguments) - required - optional
    if unknown:
        raise OAIError("badArgument", f"Unknown argument: {sorted(unknown)[0]}.")
    missing = required - set(arguments)
    if missing:
        raise OAIError("badArgument", f"Missing argument: {sorted(missing)[0]}.")
    return {"verb": verb, **arguments}


def _find(identifier: str) -> Output:
    prefix = f"oai:{repository_identifier()}:"
    uid = identifier[len(prefix) :] if identifier.startswith(prefix) else ""
    if not re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", uid):
        raise OAIError("idDoesNotExist", f"No record has the identifier {identifier}.")
    output = _with_metadata(_harvestable().filter(uid=uid)).first()
    if output is None:
        raise OAIError("idDoesNotExist", f"No record has the identifier {identifier}.")
    return output


def _with_metadata(queryset, prefix: str = ""):
    """``queryset`` with what the records' metadata in ``prefix`` shows, in a fixed number of
    queries: Dublin Core needs the creators' names, the identifiers and the grants alone; the
    richer formats everything a record's page shows."""
    if prefix == "oai_dc":
        return queryset.defer("search_vector").prefetch_related(
            Prefetch("creators", queryset=Creator.objects.order_by("position")),
            "identifiers",
            "funding",
        )
    return selectors.with_relations(queryset)


def _check_prefix(prefix: str) -> None:
    if prefix not in METADATA_FORMATS:
        raise OAIError("cannotDisseminateFormat", f"No metadata format {prefix} here.")


def identify(root, arguments, base_url, page_url):
    node = _el(root, f"{{{OAI}}}Identify")
    earliest = selectors.harvestable().aggregate(first=Min("updated_at"))["first"] or timezone.now()
    _el(node, f"{{{OAI}}}repositoryName", f"{settings.SITE_NAME}: research outputs")
    _el(node, f"{{{OAI}}}baseURL", base_url)
    _el(node, f"{{{OAI}}}protocolVersion", "2.0")
    _el(node, f"{{{OAI}}}adminEmail", getattr(settings, "OAI_ADMIN_EMAIL", "info@ai4media.eu"))
    _el(node, f"{{{OAI}}}earliestDatestamp", _datestamp(earliest))
    _el(node, f"{{{OAI}}}deletedRecord", "persistent")
    _el(node, f"{{{OAI}}}granularity", GRANULARITY)


def list_metadata_formats(root, arguments, base_url, page_url):
    formats = dict(METADATA_FORMATS)
    if "identifier" in arguments:
        output = _find(arguments["identifier"])
        if not datacite.has_datacite(output):
            del formats["oai_datacite"]
    node = _el(root, f"{{{OAI}}}ListMetadataFormats")
    for prefix, (namespace, schema) in formats.items():
        format_node = _el(node, f"{{{OAI}}}metadataFormat")
        _el(format_node, f"{{{OAI}}}metadataPrefix", prefix)
        _el(format_node, f"{{{OAI}}}schema", schema)
        _el(format_node, f"{{{OAI}}}metadataNamespace", namespace)


def list_sets(root, arguments, base_url, page_url):
    if "resumptionToken" in arguments:
        # The sets fit in one response: no token was ever given out.
        raise OAIError("badResumptionToken", "This list has no further parts.")
    node = _el(root, f"{{{OAI}}}ListSets")
    for spec, name in ALL_SETS:
        set_node = _el(node, f"{{{OAI}}}set")
        _el(set_node, f"{{{OAI}}}setSpec", spec)
        _el(set_node, f"{{{OAI}}}setName", name)


def get_record(root, arguments, base_url, page_url):
    prefix = arguments["metadataPrefix"]
    _check_prefix(prefix)
    output = _find(arguments["identifier"])
    if prefix == "oai_datacite" and not datacite.has_datacite(output):
        raise OAIError("cannotDisseminateFormat", f"This record has no {prefix} metadata.")
    _record(_el(root, f"{{{OAI}}}GetRecord"), output, page_url, prefix)


def _list_query(arguments, verb: str) -> dict:
    """The list's query from its arguments or its resumption token. A token carries the
    verb that issued it ("v"): another list verb refuses it (OAI-PMH 2.0 §3.5, a token is
    for the continuation of the same list); tokens issued before it was carried are still
    taken."""
    if "resumptionToken" in arguments:
        try:
            query = signing.loads(arguments["resumptionToken"], salt=TOKEN_SALT)
        except signing.BadSignature:
            raise OAIError("badResumptionToken", "This resumption token is not valid.") from None
        if query.get("v", verb) != verb:
            raise OAIError("badResumptionToken", f"This resumption token is not for {verb}.")
        return query
    _check_prefix(arguments["metadataPrefix"])
    if "set" in arguments and not arguments["set"]:
        raise OAIError("badArgument", "The set argument is empty.")
    query = {"p": arguments["metadataPrefix"], "s": arguments.get("set", ""), "v": verb}
    granularities = set()
    for name in ("from", "until"):
        if name in arguments:
            moment, granularity = _parse_datestamp(arguments[name], until=name == "until")
            granularities.add(granularity)
            query[name[0]] = moment.isoformat()
    if len(granularities) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity.")
    if "f" in query and "u" in query and query["f"] >= query["u"]:
        raise OAIError("badArgument", "from is later than until.")
    if query["s"]:
        _set_filter(query["s"])
    return query


def _list(root, arguments, base_url, page_url, *, verb: str, full: bool):
    query = _list_query(arguments, verb)
    queryset = _harvestable()
    if query["p"] in FORMAT_FILTERS:
        queryset = queryset.filter(FORMAT_FILTERS[query["p"]])
    if query.get("s"):
        queryset = queryset.filter(_set_filter(query["s"]))
    if query.get("f"):
        queryset = queryset.filter(updated_at__gte=datetime.datetime.fromisoformat(query["f"]))
    if query.get("u"):
        queryset = queryset.filter(updated_at__lt=datetime.datetime.fromisoformat(query["u"]))
    if "t" in query:
        after = datetime.datetime.fromisoformat(query["t"])
        # The first condition alone bounds the (datestamp, id) index scan, so a late page
        # starts where the last one stopped instead of filtering every record before it.
        queryset = queryset.filter(updated_at__gte=after).filter(
            Q(updated_at__gt=after) | Q(pk__gt=query["i"])
        )
    queryset = queryset.order_by("updated_at", "pk")
    if full:
        queryset = _with_metadata(queryset, query["p"])
    outputs = list(queryset[: PAGE_SIZE + 1])
    if not outputs:
        if "t" in query:
            # The records after the last one seen vanished (left the set): the list is done.
            node = _el(root, f"{{{OAI}}}{verb}")
            _el(node, f"{{{OAI}}}resumptionToken", "")
            return
        raise OAIError("noRecordsMatch", "No record matches these arguments.")
    more, outputs = len(outputs) > PAGE_SIZE, outputs[:PAGE_SIZE]
    node = _el(root, f"{{{OAI}}}{verb}")
    for output in outputs:
        if full:
            _record(node, output, page_url, query["p"])
        else:
            _header(node, output)
    if more:
        last = outputs[-1]
        token = signing.dumps(
            {**query, "t": last.updated_at.isoformat(), "i": last.pk}, salt=TOKEN_SALT
        )
        _el(node, f"{{{OAI}}}resumptionToken", token)
    elif "t" in query:
        _el(node, f"{{{OAI}}}resumptionToken", "")


def list_identifiers(root, arguments, base_url, page_url):
    _list(root, arguments, base_url, page_url, verb="ListIdentifiers", full=False)


def list_records(root, arguments, base_url, page_url):
    _list(root, arguments, base_url, page_url, verb="ListRecords", full=True)


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def endpoint(request):
    """The OAI-PMH base URL. Answers 200 with the protocol's XML, errors included."""
    params = request.POST if request.method == "POST" else request.GET
    base_url = request.build_absolute_uri(reverse("oai"))

    def page_url(output):
        return request.build_absolute_uri(output.get_absolute_url())

    try:
        arguments = _arguments(params)
    except OAIError as error:
        # After badVerb or badArgument the request element carries no attributes (4.1.2).
        root = _envelope(request, base_url, None)
        _el(root, f"{{{OAI}}}error", error.message, code=error.code)
        return _response(root)
    root = _envelope(request, base_url, arguments)
    try:
        HANDLERS[arguments["verb"]](root, arguments, base_url, page_url)
    except OAIError as error:
        if error.code == "badArgument":
            root = _envelope(request, base_url, None)
        else:
            for child in list(root)[2:]:
                root.remove(child)
        _el(root, f"{{{OAI}}}error", error.message, code=error.code)
    return _response(root)
