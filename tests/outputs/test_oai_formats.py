"""/oai/: the oai_openaire (OpenAIRE Literature Guidelines v4) and oai_datacite formats and the
openaire set. Every response is validated against the OAI-PMH 2.0 XSD; the DataCite payloads'
JSON against the DataCite 4.5 JSON schema (tests/outputs/schemas)."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from outputs import oai, selectors, services
from outputs.enums import Access, OutputKind, RelationType
from outputs.formats import datacite
from outputs.models import Creator, Funding, Identifier, Output, Relation

from .factories import OutputFactory
from .xml_schemas import _payload_errors, assert_valid_oai, json_errors

pytestmark = pytest.mark.django_db

NS = {
    "oai": oai.OAI,
    "oaire": "http://namespace.openaire.eu/schema/oaire/",
    "datacite": "http://datacite.org/schema/kernel-4",
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_datacite": "http://schema.datacite.org/oai/oai-1.1/",
}


def published(**kwargs):
    kwargs.setdefault("published_at", datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    return OutputFactory(**kwargs)


def get(client, **params):
    response = client.get("/oai/", params)
    assert response.status_code == 200
    assert_valid_oai(response.content)
    return ET.fromstring(response.content)


def record_of(client, output, prefix):
    root = get(
        client, verb="GetRecord", metadataPrefix=prefix, identifier=oai.oai_identifier(output)
    )
    return root


def rich_article():
    """An embargoed journal article with an ORCID iD, a ROR affiliation, an arXiv identifier
    and a relation to another record."""
    output = published(
        doi="10.1109/tmm.2023.1",
        access=Access.EMBARGOED,
        embargo_until=datetime.date(2026, 6, 1),
        volume="25",
        issue="4",
        pages="101-115",
        publisher="IEEE",
    )
    creator = output.creators.get()
    creator.orcid = "0000-0002-1825-0097"
    creator.save()
    organisation = output.organisation
    organisation.ror_id = "02jx3x895"
    organisation.save()
    creator.affiliations.add(organisation)
    Identifier.objects.create(output=output, scheme="arxiv", value="2301.00001")
    dataset = published(kind=OutputKind.DATASET, publication_type="", doi="")
    Relation.objects.create(
        output=output, relation_type=RelationType.IS_SUPPLEMENTED_BY, target=dataset
    )
    return output, dataset


def texts(node, path):
    return [element.text for element in node.iterfind(path, NS)]


def test_openaire_record_has_the_guidelines_mandatory_elements(client):
    output, dataset = rich_article()
    root = record_of(client, output, "oai_openaire")
    resource = root.find("oai:GetRecord/oai:record/oai:metadata/oaire:resource", NS)
    assert texts(resource, "datacite:titles/datacite:title") == [output.title]
    creator = resource.find("datacite:creators/datacite:creator", NS)
    assert creator.find("datacite:creatorName", NS).text == "Papadopoulou, Maria"
    assert creator.find("datacite:creatorName", NS).get("nameType") == "Personal"
    assert texts(creator, "datacite:givenName") == ["Maria"]
    assert texts(creator, "datacite:familyName") == ["Papadopoulou"]
    orcid = creator.find("datacite:nameIdentifier", NS)
    assert (orcid.text, orcid.get("nameIdentifierScheme")) == (
        "https://orcid.org/0000-0002-1825-0097",
        "ORCID",
    )
    assert texts(creator, "datacite:affiliation") == [output.organisation.name]
    funding = resource.find("oaire:fundingReferences/oaire:fundingReference", NS)
    assert texts(funding, "oaire:funderName") == ["European Commission"]
    funder = funding.find("oaire:funderIdentifier", NS)
    assert (funder.text, funder.get("funderIdentifierType")) == (
        "https://doi.org/10.13039/501100000780",
        "Crossref Funder ID",
    )
    assert texts(funding, "oaire:fundingStream") == ["H2020"]
    award = funding.find("oaire:awardNumber", NS)
    assert (award.text, award.get("awardURI")) == (
        "951911",
        "info:eu-repo/grantAgreement/EC/H2020/951911/",
    )
    alternates = resource.findall("datacite:alternateIdentifiers/datacite:alternateIdentifier", NS)
    assert [(a.text, a.get("alternateIdentifierType")) for a in alternates] == [
        (f"http://testserver/outputs/{output.pk}/", "URL"),
        ("2301.00001", "arXiv"),
    ]
    (related,) = resource.findall("datacite:relatedIdentifiers/datacite:relatedIdentifier", NS)
    assert related.attrib == {"relatedIdentifierType": "URL", "relationType": "IsSupplementedBy"}
    assert related.text == f"http://testserver/outputs/{dataset.pk}/"
    dates = resource.findall("datacite:dates/datacite:date", NS)
    assert [(d.get("dateType"), d.text) for d in dates] == [
        ("Issued", "2023-05"),
        ("Accepted", "2023-05"),
        ("Available", "2026-06-01"),
    ]
    resource_type = resource.find("oaire:resourceType", NS)
    assert resource_type.text == "journal article"
    assert resource_type.attrib == {
        "resourceTypeGeneral": "literature",
        "uri": "http://purl.org/coar/resource_type/c_6501",
    }
    identifier = resource.find("datacite:identifier", NS)
    assert (identifier.text, identifier.get("identifierType")) == ("10.1109/tmm.2023.1", "DOI")
    rights = resource.find("datacite:rights", NS)
    assert (rights.text, rights.get("rightsURI")) == (
        "embargoed access",
        "http://purl.org/coar/access_right/c_f1cf",
    )
    licence = resource.find("oaire:licenseCondition", NS)
    assert (licence.text, licence.get("startDate"), licence.get("uri")) == (
        "CC-BY-4.0",
        "2026-06-01",
        "https://spdx.org/licenses/CC-BY-4.0.html",
    )
    assert texts(resource, "datacite:subjects/datacite:subject") == ["deepfakes", "video"]
    assert texts(resource, "dc:publisher") == ["IEEE"]
    assert [
        (element.tag.split("}")[1], element.text)
        for element in resource
        if element.tag.startswith(f"{{{NS['oaire']}}}citation")
    ] == [
        ("citationTitle", "IEEE Transactions on Multimedia"),
        ("citationVolume", "25"),
        ("citationIssue", "4"),
        ("citationStartPage", "101"),
        ("citationEndPage", "115"),
    ]


@pytest.mark.parametrize(
    ("kind", "fields", "label", "general", "uri"),
    [
        (OutputKind.DATASET, {}, "dataset", "dataset", "c_ddb1"),
        (OutputKind.SOFTWARE, {}, "software", "software", "c_5ce6"),
        (
            OutputKind.PUBLICATION,
            {"publication_type": "conference-paper"},
            "conference paper",
            "literature",
            "c_5794",
        ),
        (
            OutputKind.PUBLICATION,
            {"publication_type": "thesis"},
            "doctoral thesis",
            "literature",
            "c_db06",
        ),
        (
            OutputKind.RESULT_IN_BRIEF,
            {"brief_type": "white-paper"},
            "report",
            "literature",
            "c_93fc",
        ),
    ],
)
def test_openaire_coar_resource_types(client, kind, fields, label, general, uri):
    fields.setdefault("publication_type", "")
    output = published(kind=kind, access=Access.METADATA_ONLY, **fields)
    root = record_of(client, output, "oai_openaire")
    resource = root.find(".//oaire:resource", NS)
    node = resource.find("oaire:resourceType", NS)
    assert (node.text, node.get("resourceTypeGeneral"), node.get("uri")) == (
        label,
        general,
        f"http://purl.org/coar/resource_type/{uri}",
    )
    # Without a DOI the landing page is the identifier.
    identifier = resource.find("datacite:identifier", NS)
    assert (identifier.text, identifier.get("identifierType")) == (
        f"http://testserver/outputs/{output.pk}/",
        "URL",
    )
    assert resource.find("datacite:rights", NS).get("rightsURI") == (
        "http://purl.org/coar/access_right/c_14cb"
    )


def test_datacite_record_wraps_a_kernel_4_resource(client):
    output, _dataset = rich_article()
    root = record_of(client, output, "oai_datacite")
    wrapper = root.find("oai:GetRecord/oai:record/oai:metadata/oai_datacite:oai_datacite", NS)
    assert texts(wrapper, "oai_datacite:schemaVersion") == ["4.5"]
    assert texts(wrapper, "oai_datacite:datacentreSymbol") == ["AI4MEDIA.EU"]
    resource = wrapper.find("oai_datacite:payload/datacite:resource", NS)
    identifier = resource.find("datacite:identifier", NS)
    assert (identifier.text, identifier.get("identifierType")) == ("10.1109/tmm.2023.1", "DOI")
    assert texts(resource, "datacite:titles/datacite:title") == [output.title]
    assert texts(resource, "datacite:publisher") == ["IEEE"]
    assert texts(resource, "datacite:publicationYear") == ["2023"]
    resource_type = resource.find("datacite:resourceType", NS)
    assert (resource_type.get("resourceTypeGeneral"), resource_type.text) == (
        "JournalArticle",
        "Journal article",
    )
    funding = resource.find("datacite:fundingReferences/datacite:fundingReference", NS)
    assert texts(funding, "datacite:funderIdentifier") == ["https://doi.org/10.13039/501100000780"]
    assert funding.find("datacite:awardNumber", NS).get("awardURI") == (
        "info:eu-repo/grantAgreement/EC/H2020/951911/"
    )
    rights = resource.findall("datacite:rightsList/datacite:rights", NS)
    assert [(r.text, r.get("rightsURI")) for r in rights] == [
        ("Embargoed", "info:eu-repo/semantics/embargoedAccess"),
        ("CC-BY-4.0", "https://spdx.org/licenses/CC-BY-4.0.html"),
    ]
    affiliation = resource.find("datacite:creators/datacite:creator/datacite:affiliation", NS)
    assert affiliation.get("affiliationIdentifier") == "https://ror.org/02jx3x895"


def test_datacite_json_of_every_kind_is_valid_against_the_datacite_schema(client):
    output, dataset = rich_article()
    dataset.doi = "10.5281/zenodo.77"
    dataset.size_bytes = 2048
    dataset.item_count = 12
    dataset.formats = ["text/csv"]
    dataset.save()
    software = published(
        kind=OutputKind.SOFTWARE, publication_type="", doi="10.5281/zenodo.78", version="1.2.0"
    )
    brief = published(
        kind=OutputKind.RESULT_IN_BRIEF,
        publication_type="",
        doi="10.5281/zenodo.79",
        brief_type="factsheet",
        creators=[("AI4Media Consortium", "")],
    )
    Funding.objects.create(
        output=brief, funder="Deutsche Forschungsgemeinschaft", programme="", award="DFG-1"
    )
    records = selectors.with_relations(
        Output.objects.filter(pk__in=[output.pk, dataset.pk, software.pk, brief.pk])
    )
    for record in records:
        data = datacite.datacite_json(
            record, page_url=lambda o: f"https://portal.example/outputs/{o.pk}/"
        )
        assert json_errors("datacite-v4.5.json", data) == []
    dataset_data = datacite.datacite_json(
        records.get(pk=dataset.pk), page_url=lambda o: "https://portal.example/"
    )
    assert dataset_data["types"] == {"resourceTypeGeneral": "Dataset", "resourceType": "Dataset"}
    assert dataset_data["sizes"] == ["2048 bytes", "12 items"]
    assert dataset_data["formats"] == ["text/csv"]
    brief_data = datacite.datacite_json(records.get(pk=brief.pk), page_url=lambda o: "https://p/")
    assert brief_data["types"] == {"resourceTypeGeneral": "Report", "resourceType": "Factsheet"}
    assert brief_data["fundingReferences"][1] == {
        "funderName": "Deutsche Forschungsgemeinschaft",
        "awardNumber": "DFG-1",
    }


def test_datacite_is_only_for_records_with_a_doi(client):
    without = published()
    with_doi = published(doi="10.5281/zenodo.5")
    root = record_of(client, without, "oai_datacite")
    assert root.find("oai:error", NS).get("code") == "cannotDisseminateFormat"
    root = get(client, verb="ListIdentifiers", metadataPrefix="oai_datacite")
    assert texts(root, ".//oai:header/oai:identifier") == [oai.oai_identifier(with_doi)]


def test_openaire_set_holds_the_records_funded_by_the_commission(client):
    funded = published()
    other = published()
    Funding.objects.filter(output=other).update(funder="Wellcome Trust")
    root = get(client, verb="ListIdentifiers", metadataPrefix="oai_openaire", set="openaire")
    assert texts(root, ".//oai:header/oai:identifier") == [oai.oai_identifier(funded)]
    root = get(client, verb="ListSets")
    assert "openaire" in texts(root, ".//oai:setSpec")


def test_deleted_record_is_a_header_in_every_format(client, staff_user):
    gone = published(doi="10.5281/zenodo.6")
    services.output_delete(output=gone, actor=staff_user, reason="Withdrawn by the authors")
    for prefix in ("oai_openaire", "oai_datacite"):
        root = record_of(client, gone, prefix)
        record = root.find("oai:GetRecord/oai:record", NS)
        assert record.find("oai:header", NS).get("status") == "deleted"
        assert record.find("oai:metadata", NS) is None


def test_creator_kinds_in_openaire(client):
    output = published(creators=[("AI4Media Consortium", "")])
    Creator.objects.filter(output=output).update(orcid="")
    root = record_of(client, output, "oai_openaire")
    name = root.find(".//datacite:creator/datacite:creatorName", NS)
    assert (name.text, name.get("nameType")) == ("AI4Media Consortium", "Organizational")


@pytest.mark.parametrize("prefix", ["oai_openaire", "oai_datacite"])
def test_resumed_harvest_keeps_the_format_and_its_records(client, monkeypatch, prefix):
    monkeypatch.setattr(oai, "PAGE_SIZE", 2)
    with_doi = [published(doi=f"10.5281/zenodo.{n}") for n in range(900, 905)]
    without = [published() for _ in range(2)]
    root = get(client, verb="ListRecords", metadataPrefix=prefix)
    seen = texts(root, ".//oai:header/oai:identifier")
    pages = 1
    token = root.find(".//oai:resumptionToken", NS)
    while token is not None and token.text:
        root = get(client, verb="ListRecords", resumptionToken=token.text)
        seen += texts(root, ".//oai:header/oai:identifier")
        pages += 1
        token = root.find(".//oai:resumptionToken", NS)
    expected = with_doi + (without if prefix == "oai_openaire" else [])
    assert sorted(seen) == sorted(oai.oai_identifier(o) for o in expected)
    assert len(seen) == len(set(seen))
    assert pages == -(-len(expected) // 2)
    # The last page's records are in the requested format too.
    assert (
        root.find(".//oai:metadata", NS)[0].tag
        == {
            "oai_openaire": f"{{{NS['oaire']}}}resource",
            "oai_datacite": f"{{{NS['oai_datacite']}}}oai_datacite",
        }[prefix]
    )


def test_payload_checks_catch_a_payload_that_breaks_its_format():
    root = ET.fromstring(
        f'<OAI-PMH xmlns="{oai.OAI}"><GetRecord><record><metadata>'
        '<oaire:resource xmlns:oaire="http://namespace.openaire.eu/schema/oaire/"'
        ' xmlns:datacite="http://datacite.org/schema/kernel-4">'
        "<datacite:titles><datacite:title>T</datacite:title></datacite:titles>"
        '<oaire:resourceType resourceTypeGeneral="literature">article</oaire:resourceType>'
        "</oaire:resource></metadata></record><record><metadata>"
        f'<oai_dc:dc xmlns:oai_dc="{oai.OAI_DC}" xmlns:dc="{oai.DC}"><dc:author>A</dc:author>'
        "</oai_dc:dc></metadata></record></GetRecord></OAI-PMH>"
    )
    assert [error.split("}")[-1] for error in _payload_errors(root)] == [
        "creatorName",
        "resourceType[@resourceTypeGeneral][@uri]",
        "identifier[@identifierType]",
        "rights[@rightsURI]",
        "author",
    ]
