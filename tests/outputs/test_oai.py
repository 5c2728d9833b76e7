"""/oai/: OAI-PMH 2.0 verbs, errors, resumption and deleted records.

Every response is validated against the OAI-PMH 2.0 XSD kept in tests/outputs/schemas."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core import signing

from outputs import oai, services
from outputs.enums import OutputKind, OutputStatus
from outputs.services import CreatorData
from tests.utils import assert_constant_queries

from .factories import OutputFactory
from .xml_schemas import assert_valid_oai

pytestmark = pytest.mark.django_db

NS = {"oai": oai.OAI, "dc": oai.DC, "oai_dc": oai.OAI_DC}
URL = "/oai/"


def published(**kwargs):
    kwargs.setdefault("published_at", datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    return OutputFactory(**kwargs)


def stamp(output, moment: str):
    type(output).objects.filter(pk=output.pk).update(
        updated_at=datetime.datetime.fromisoformat(moment)
    )


def get(client, method="get", **params):
    response = getattr(client, method)(URL, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert_valid_oai(response.content)
    return ET.fromstring(response.content)


def error(root) -> str:
    (node,) = root.findall("oai:error", NS)
    return node.get("code")


def identifiers(root) -> list[str]:
    return [node.text for node in root.iterfind(".//oai:header/oai:identifier", NS)]


def token(root):
    node = root.find(".//oai:resumptionToken", NS)
    return None if node is None else (node.text or "")


def test_identify_by_get_and_post(client):
    published()
    for method in ("get", "post"):
        root = get(client, method, verb="Identify")
        node = root.find("oai:Identify", NS)
        assert node.findtext("oai:baseURL", namespaces=NS) == "http://testserver/oai/"
        assert node.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
        assert node.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
        assert node.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
        assert root.find("oai:request", NS).attrib == {"verb": "Identify"}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "set": "x"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-01-01",
                "until": "2024-02-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-02-01",
                "until": "2024-01-01",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "kind:poem"}, "badArgument"),
        (
            {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        # A NUL would reach PostgreSQL: refused in the protocol's own words, never a page.
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "\x00"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "a\x00b"}, "badArgument"),
        ({"verb": "ListSets", "resumptionToken": "\x1b"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:1"},
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "nothing"}, "idDoesNotExist"),
        (
            {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2099-01-01"},
            "noRecordsMatch",
        ),
    ],
)
def test_errors(client, params, code):
    published()
    root = get(client, **params)
    assert error(root) == code
    if code in ("badVerb", "badArgument"):
        assert root.find("oai:request", NS).attrib == {}


def test_get_record_in_dublin_core(client):
    output = published(
        doi="10.5281/zenodo.1", creators=[("Papadopoulou", "Maria"), ("AI4Media Consortium", "")]
    )
    root = get(
        client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai.oai_identifier(output)
    )
    record = root.find("oai:GetRecord/oai:record", NS)
    assert record.find("oai:header", NS).get("status") is None
    assert [n.text for n in record.iterfind("oai:header/oai:setSpec", NS)] == [
        "kind:publication",
        "area:trustworthy-ai",
        "openaire",
    ]
    dc = record.find("oai:metadata/oai_dc:dc", NS)
    values = [(node.tag.split("}")[1], node.text) for node in dc]
    assert values == [
        ("title", output.title),
        ("creator", "Papadopoulou, Maria"),
        ("creator", "AI4Media Consortium"),
        ("subject", "deepfakes"),
        ("subject", "video"),
        ("description", "We detect manipulated faces in news footage."),
        ("date", "2023-05"),
        ("type", "info:eu-repo/semantics/article"),
        ("identifier", "https://doi.org/10.5281/zenodo.1"),
        ("identifier", f"http://testserver/outputs/{output.pk}/"),
        ("relation", "info:eu-repo/grantAgreement/EC/H2020/951911"),
        ("rights", "info:eu-repo/semantics/openAccess"),
        ("rights", "https://spdx.org/licenses/CC-BY-4.0.html"),
        ("source", "IEEE Transactions on Multimedia"),
    ]


def test_drafts_are_unknown_and_deleted_records_persist(client, staff_user):
    draft = OutputFactory(status=OutputStatus.DRAFT)
    gone = published()
    services.output_delete(output=gone, actor=staff_user, reason="Duplicate")
    root = get(
        client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai.oai_identifier(draft)
    )
    assert error(root) == "idDoesNotExist"
    root = get(
        client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai.oai_identifier(gone)
    )
    record = root.find("oai:GetRecord/oai:record", NS)
    assert record.find("oai:header", NS).get("status") == "deleted"
    assert record.find("oai:metadata", NS) is None
    root = get(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert identifiers(root) == [oai.oai_identifier(gone)]


def harvest(client, **params) -> tuple[list[str], list]:
    """Every identifier of a full ListRecords harvest, in order, and the tokens seen."""
    root = get(client, verb="ListRecords", metadataPrefix="oai_dc", **params)
    seen, tokens = identifiers(root), [token(root)]
    while tokens[-1]:
        root = get(client, verb="ListRecords", resumptionToken=tokens[-1])
        seen += identifiers(root)
        tokens.append(token(root))
    return seen, tokens


def test_resumption_pages_and_empty_last_token(client, monkeypatch):
    monkeypatch.setattr(oai, "PAGE_SIZE", 3)
    outputs = [published() for _ in range(7)]
    seen, tokens = harvest(client)
    assert sorted(seen) == sorted(oai.oai_identifier(o) for o in outputs)
    assert len(seen) == 7
    assert len(tokens) == 3
    assert tokens[-1] == ""
    assert signing.loads(tokens[0], salt=oai.TOKEN_SALT)["p"] == "oai_dc"


def test_a_token_continues_only_the_list_that_issued_it(client, monkeypatch):
    monkeypatch.setattr(oai, "PAGE_SIZE", 2)
    for _ in range(3):
        published()
    issued = token(get(client, verb="ListIdentifiers", metadataPrefix="oai_dc"))
    assert error(get(client, verb="ListRecords", resumptionToken=issued)) == "badResumptionToken"
    root = get(client, verb="ListIdentifiers", resumptionToken=issued)
    assert len(identifiers(root)) == 1
    # A token issued before tokens named their verb still continues either list.
    query = {**signing.loads(issued, salt=oai.TOKEN_SALT)}
    del query["v"]
    earlier = signing.dumps(query, salt=oai.TOKEN_SALT)
    assert len(identifiers(get(client, verb="ListRecords", resumptionToken=earlier))) == 1


def test_an_empty_set_is_a_bad_argument(client):
    published()
    for verb in ("ListIdentifiers", "ListRecords"):
        assert error(get(client, verb=verb, metadataPrefix="oai_dc", set="")) == "badArgument"


def test_one_page_has_no_token(client):
    published()
    root = get(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert token(root) is None


def test_no_record_lost_when_records_change_mid_harvest(client, monkeypatch, staff_user):
    monkeypatch.setattr(oai, "PAGE_SIZE", 2)
    outputs = [published() for _ in range(5)]
    for number, output in enumerate(outputs):
        stamp(output, f"2024-01-0{number + 1}T10:00:00+00:00")
    root = get(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    first = identifiers(root)
    # Between pages: an already harvested record changes, one still to come is deleted.
    services.output_update(output=outputs[0], actor=staff_user, data={"title": "Changed"})
    services.output_delete(output=outputs[3], actor=staff_user, reason="Duplicate")
    seen = list(first)
    next_token = token(root)
    while next_token:
        root = get(client, verb="ListIdentifiers", resumptionToken=next_token)
        seen += identifiers(root)
        next_token = token(root)
    ids = [oai.oai_identifier(o) for o in outputs]
    # The changed record comes again with its new datestamp, then the deleted one.
    assert seen == [ids[0], ids[1], ids[2], ids[4], ids[0], ids[3]]
    assert set(seen) == set(ids)


def test_from_and_until_are_inclusive_at_both_granularities(client):
    early, middle, late = published(), published(), published()
    stamp(early, "2024-03-01T23:59:59+00:00")
    stamp(middle, "2024-03-02T08:30:00+00:00")
    stamp(late, "2024-03-03T00:00:00+00:00")

    def listed(**params):
        root = get(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **params)
        return [] if root.find("oai:error", NS) is not None else identifiers(root)

    ident = oai.oai_identifier
    assert listed(**{"from": "2024-03-02", "until": "2024-03-02"}) == [ident(middle)]
    assert listed(**{"from": "2024-03-01T23:59:59Z", "until": "2024-03-02T08:30:00Z"}) == [
        ident(early),
        ident(middle),
    ]
    assert listed(**{"from": "2024-03-02T08:30:01Z"}) == [ident(late)]
    assert listed(until="2024-03-01") == [ident(early)]


def test_sets(client):
    dataset = published(kind=OutputKind.DATASET, research_areas=["content-centred-ai"])
    published()
    root = get(client, verb="ListSets")
    specs = [n.text for n in root.iterfind(".//oai:setSpec", NS)]
    assert specs[:2] == ["kind:publication", "kind:dataset"]
    assert len(specs) == 9
    for spec in ("kind:dataset", "area:content-centred-ai"):
        root = get(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec)
        assert identifiers(root) == [oai.oai_identifier(dataset)]


def test_datestamp_moves_when_creators_change(client, staff_user):
    output = published()
    stamp(output, "2024-01-01T00:00:00+00:00")
    services.output_update(
        output=output,
        actor=staff_user,
        data={},
        creators=[CreatorData(given_name="A", family_name="B")],
    )
    output.refresh_from_db()
    assert output.updated_at > datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC)


@pytest.mark.parametrize("prefix", ["oai_dc", "oai_openaire", "oai_datacite"])
def test_list_records_queries_constant(client, prefix):
    url = f"{URL}?verb=ListRecords&metadataPrefix={prefix}"

    def with_doi():
        output = published()
        type(output).objects.filter(pk=output.pk).update(doi=f"10.5281/zenodo.{output.pk}")

    # The records, then for Dublin Core their creators, identifiers and funding; for the
    # richer formats also the creators' affiliations, the links and the relations.
    expected = 4 if prefix == "oai_dc" else 7
    assert assert_constant_queries(client, url, with_doi) == expected


def test_list_metadata_formats(client):
    output = published()
    root = get(client, verb="ListMetadataFormats", identifier=oai.oai_identifier(output))
    assert [n.text for n in root.iterfind(".//oai:metadataPrefix", NS)] == [
        "oai_dc",
        "oai_openaire",
    ]
    with_doi = published(doi="10.5281/zenodo.9")
    root = get(client, verb="ListMetadataFormats", identifier=oai.oai_identifier(with_doi))
    assert [n.text for n in root.iterfind(".//oai:metadataPrefix", NS)] == [
        "oai_dc",
        "oai_openaire",
        "oai_datacite",
    ]
    root = get(client, verb="ListMetadataFormats")
    assert [n.text for n in root.iterfind(".//oai:metadataNamespace", NS)] == [
        "http://www.openarchives.org/OAI/2.0/oai_dc/",
        "http://namespace.openaire.eu/schema/oaire/",
        "http://schema.datacite.org/oai/oai-1.1/",
    ]
