"""The vendored schemas of ``tests/outputs/schemas`` (see its README), loaded once."""

import functools
import json
from pathlib import Path

import jsonschema
import xmlschema

SCHEMAS = Path(__file__).parent / "schemas"


@functools.cache
def oai_pmh() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(SCHEMAS / "OAI-PMH.xsd")


def assert_valid_oai(content: bytes) -> None:
    """Fails with every error the OAI-PMH 2.0 schema finds in ``content``."""
    errors = [f"{error.path}: {error.reason}" for error in oai_pmh().iter_errors(content)]
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
