"""The controlled vocabularies the metadata formats share: DataCite resource types, COAR
resource types and access rights, and the European Commission as a Crossref funder."""

from ..enums import DEFAULT_FUNDER, Access, BriefType, OutputKind, PublicationType

# DataCite Metadata Schema 4.5, ``resourceTypeGeneral``.
DATACITE_TYPES = {
    PublicationType.JOURNAL_ARTICLE: "JournalArticle",
    PublicationType.CONFERENCE_PAPER: "ConferencePaper",
    PublicationType.PREPRINT: "Preprint",
    PublicationType.BOOK_CHAPTER: "BookChapter",
    PublicationType.THESIS: "Dissertation",
    PublicationType.REPORT: "Report",
    OutputKind.DATASET: "Dataset",
    OutputKind.SOFTWARE: "Software",
    OutputKind.RESULT_IN_BRIEF: "Report",
}

# COAR Resource Types 3.1 (http://purl.org/coar/resource_type/): (label, concept URI).
_COAR_TYPE = "http://purl.org/coar/resource_type/"
COAR_TYPES = {
    PublicationType.JOURNAL_ARTICLE: ("journal article", _COAR_TYPE + "c_6501"),
    PublicationType.CONFERENCE_PAPER: ("conference paper", _COAR_TYPE + "c_5794"),
    PublicationType.PREPRINT: ("preprint", _COAR_TYPE + "c_816b"),
    PublicationType.BOOK_CHAPTER: ("book part", _COAR_TYPE + "c_3248"),
    PublicationType.THESIS: ("doctoral thesis", _COAR_TYPE + "c_db06"),
    PublicationType.REPORT: ("report", _COAR_TYPE + "c_93fc"),
    OutputKind.DATASET: ("dataset", _COAR_TYPE + "c_ddb1"),
    OutputKind.SOFTWARE: ("software", _COAR_TYPE + "c_5ce6"),
    OutputKind.RESULT_IN_BRIEF: ("report", _COAR_TYPE + "c_93fc"),
}
COAR_OTHER = ("other", _COAR_TYPE + "c_1843")

# OpenAIRE Literature Guidelines v4, ``resourceTypeGeneral`` of ``oaire:resourceType``.
OPENAIRE_GENERAL_TYPES = {
    OutputKind.PUBLICATION: "literature",
    OutputKind.DATASET: "dataset",
    OutputKind.SOFTWARE: "software",
    OutputKind.RESULT_IN_BRIEF: "literature",
}

# COAR Access Rights 1.0 (http://purl.org/coar/access_right/): (label, concept URI).
_COAR_ACCESS = "http://purl.org/coar/access_right/"
COAR_ACCESS_RIGHTS = {
    Access.OPEN: ("open access", _COAR_ACCESS + "c_abf2"),
    Access.EMBARGOED: ("embargoed access", _COAR_ACCESS + "c_f1cf"),
    Access.RESTRICTED: ("restricted access", _COAR_ACCESS + "c_16ec"),
    Access.METADATA_ONLY: ("metadata only access", _COAR_ACCESS + "c_14cb"),
}

# The info:eu-repo access terms OpenAIRE asks of DataCite records (Guidelines for Data Archives).
EU_REPO_ACCESS = {
    Access.OPEN: "info:eu-repo/semantics/openAccess",
    Access.EMBARGOED: "info:eu-repo/semantics/embargoedAccess",
    Access.RESTRICTED: "info:eu-repo/semantics/restrictedAccess",
    Access.METADATA_ONLY: "info:eu-repo/semantics/closedAccess",
}

# The European Commission in the Crossref Funder Registry.
EC_FUNDER_DOI = "10.13039/501100000780"
EC_FUNDER_ID = f"https://doi.org/{EC_FUNDER_DOI}"


def type_key(output):
    """The key of the tables above for ``output``: its publication type, else its kind."""
    if output.kind == OutputKind.PUBLICATION:
        return output.publication_type or None
    return output.kind


def is_ec_grant(grant) -> bool:
    return grant.funder == DEFAULT_FUNDER


def award_uri(grant) -> str:
    """The OpenAIRE project identifier of an EC grant, ``info:eu-repo/grantAgreement/EC/
    <programme>/<number>/``; empty for other funders or without an award number."""
    if not (is_ec_grant(grant) and grant.award):
        return ""
    return f"info:eu-repo/grantAgreement/EC/{grant.programme}/{grant.award}/"


def brief_label(output) -> str:
    return str(BriefType(output.brief_type).label) if output.brief_type else ""
