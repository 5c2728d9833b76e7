"""The vendored schemas of ``tests/outputs/schemas`` (see its README), loaded once."""

import functools
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import xmlschema

SCHEMAS = Path(__file__).parent / "schemas"


@functools.cache
def oai_pmh() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(SCHEMAS / "OAI-PMH.xsd")


OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}"
OAIRE = "{http://namespace.openaire.eu/schema/oaire/}"
DATACITE = "{http://datacite.org/schema/kernel-4}"
OAI_DATACITE = "{http://schema.datacite.org/oai/oai-1.1/}"
# The 15 elements of simple Dublin Core, the only ones oai_dc allows.
DC_ELEMENTS = {
    "title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
    "format", "identifier", "source", "language", "relation", "coverage", "rights",
}  # fmt: skip
# What the OpenAIRE Literature Guidelines v4 make mandatory, and the DataCite kernel 4.5.
OPENAIRE_MANDATORY = [
    f"{DATACITE}titles/{DATACITE}title",
    f"{DATACITE}creators/{DATACITE}creator/{DATACITE}creatorName",
    f"{OAIRE}resourceType[@resourceTypeGeneral][@uri]",
    f"{DATACITE}identifier[@identifierType]",
    f"{DATACITE}rights[@rightsURI]",
]
DATACITE_MANDATORY = [
    f"{DATACITE}identifier[@identifierType='DOI']",
    f"{DATACITE}creators/{DATACITE}creator/{DATACITE}creatorName",
    f"{DATACITE}titles/{DATACITE}title",
    f"{DATACITE}publisher",
    f"{DATACITE}publicationYear",
    f"{DATACITE}resourceType[@resourceTypeGeneral]",
]


def _payload_errors(root) -> list[str]:
    """What each metadata payload lacks or holds wrongly, by the rules its format states (the
    payloads' own XSDs are not vendored: see schemas/README.md)."""
    errors = []
    for metadata in root.iter(f"{OAI}metadata"):
        (payload,) = list(metadata)
        if payload.tag == f"{OAI_DC}dc":
            errors += [
                f"oai_dc holds {child.tag}"
                for child in payload
                if not child.tag.startswith(DC) or child.tag[len(DC) :] not in DC_ELEMENTS
            ]
        elif payload.tag == f"{OAIRE}resource":
            errors += [f"oai_openaire lacks {path}" for path in OPENAIRE_MANDATORY
                       if payload.find(path) is None]  # fmt: skip
        elif payload.tag == f"{OAI_DATACITE}oai_datacite":
            resource = payload.find(f"{OAI_DATACITE}payload/{DATACITE}resource")
            if resource is None:
                errors.append("oai_datacite has no kernel-4 resource")
                continue
            errors += [f"oai_datacite lacks {path}" for path in DATACITE_MANDATORY
                       if resource.find(path) is None]  # fmt: skip
        else:
            errors.append(f"unknown payload {payload.tag}")
    return errors


def assert_valid_oai(content: bytes) -> None:
    """Fails with every error the OAI-PMH 2.0 schema finds in ``content``, and with what a
    metadata payload lacks by its format's rules."""
    errors = [f"{error.path}: {error.reason}" for error in oai_pmh().iter_errors(content)]
    errors += _payload_errors(ET.fromstring(content))
    assert errors == []


@functools.cache
def _json_validator(name: str):
    schema = json.loads((SCHEMAS / name).read_text())
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    return validator(schema, format_checker=validator.FORMAT_CHECKER)


def json_errors(name: str, data) -> list[str]:
    """Every error of ``data`` against the vendored JSON schema ``name`` (empty when valid)."""
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in _json_validator(name).iter_errors(data)
    ]
