"""Looking a DOI's metadata up, behind one interface: ``HttpDOILookup`` asks doi.org for the
record's CSL-JSON (DOI content negotiation, served for Crossref, DataCite and mEDRA DOIs) and is
used only when ``OUTPUTS_DOI_LOOKUP_URL`` is configured (the portal may run offline); tests give
``RecordedDOILookup`` the recorded answers."""

import json
from pathlib import Path
from typing import Protocol

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..bibtex_import import Candidate
from ..validators import normalise_doi
from .common import guarded
from .csl_json import read_csl_item

CSL_JSON = "application/vnd.citationstyles.csl+json"
TIMEOUT_SECONDS = 10
# At most this many DOIs are looked up per file (each lookup may take seconds).
MAX_DOIS = 200


class LookupFailed(Exception):
    """The lookup could not answer: ``reason`` says why, for the import's report."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class DOILookup(Protocol):
    def lookup(self, doi: str) -> dict:
        """The CSL-JSON item of ``doi`` (normalised, e.g. ``10.5281/zenodo.1``). Raises
        ``LookupFailed`` when the DOI is unknown or the service cannot be reached."""


class UnavailableDOILookup:
    """The lookup when none is configured: every DOI fails with the same reason."""

    def lookup(self, doi: str) -> dict:
        raise LookupFailed(_("Looking DOIs up is not available on this portal."))


class HttpDOILookup:
    """DOI content negotiation over HTTP at ``base_url`` (``https://doi.org/``)."""

    def __init__(self, base_url: str, *, session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/") + "/"
        self.session = session or requests.Session()

    def lookup(self, doi: str) -> dict:
        try:
            response = self.session.get(
                self.base_url + doi, headers={"Accept": CSL_JSON}, timeout=TIMEOUT_SECONDS
            )
        except requests.RequestException:
            raise LookupFailed(_("The DOI service could not be reached.")) from None
        if response.status_code == 404:
            raise LookupFailed(_("No record has this DOI."))
        if response.status_code != 200:
            raise LookupFailed(
                _("The DOI service answered %(status)s.") % {"status": response.status_code}
            )
        try:
            return response.json()
        except (ValueError, RecursionError):
            raise LookupFailed(_("The DOI service's answer is not CSL-JSON.")) from None


class RecordedDOILookup:
    """Answers recorded beforehand: ``directory`` holds one ``<doi with / as _>.json`` CSL-JSON
    file per DOI; any other DOI is unknown."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def lookup(self, doi: str) -> dict:
        path = self.directory / (doi.replace("/", "_") + ".json")
        if not path.is_file():
            raise LookupFailed(_("No record has this DOI."))
        return json.loads(path.read_text(encoding="utf-8"))


def configured_lookup() -> DOILookup:
    """The HTTP lookup at ``settings.OUTPUTS_DOI_LOOKUP_URL`` when set, else none."""
    base_url = getattr(settings, "OUTPUTS_DOI_LOOKUP_URL", "")
    return HttpDOILookup(base_url) if base_url else UnavailableDOILookup()


def read_doi_list(lines: list[str], *, lookup: DOILookup) -> list[Candidate]:
    """One candidate per DOI (one a line), from its looked-up CSL-JSON; a bad DOI or a failed
    lookup becomes a skipped entry with the reason."""
    candidates = []
    for number, line in enumerate(lines, start=1):
        value = line.strip()
        if not value:
            continue
        try:
            doi = normalise_doi(value)
        except ValidationError as error:
            candidates.append(Candidate(key=value, line=number, reason=str(error.messages[0])))
            continue
        if len(candidates) >= MAX_DOIS:
            candidates.append(
                Candidate(
                    key=doi,
                    line=number,
                    reason=_("At most %(count)s DOIs are looked up at once.") % {"count": MAX_DOIS},
                )
            )
            continue
        try:
            item = lookup.lookup(doi)
        except LookupFailed as failure:
            candidates.append(Candidate(key=doi, line=number, reason=failure.reason))
            continue
        found = guarded(read_csl_item, item, number)
        found.key = doi
        if found.data and not found.data.get("doi"):
            found.data["doi"] = doi
        candidates.append(found)
    return candidates
