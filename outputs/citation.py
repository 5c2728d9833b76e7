"""What one output record becomes for machines: schema.org JSON-LD, Highwire Press
``citation_*`` meta tags (Google Scholar) and BibTeX. Pure functions of a record loaded by
``selectors.with_relations``; nothing here queries the database beyond those prefetches."""

import re

import bibtexparser
from bibtexparser.model import Entry, Field

from .enums import (
    DEFAULT_AWARD,
    Access,
    CreatorKind,
    IdentifierScheme,
    OutputKind,
    PublicationType,
)

# Publication types that no journal, proceedings or book holds (CSL 1.0.2, Appendix III): the
# record's venue names who issued them, not a container — the institution granting a thesis's
# degree, the organisation issuing a report, the repository hosting a preprint. Each format
# calls that the publisher: CSL ``publisher`` (CSL 1.0.2, Appendix IV: ``container-title`` is
# the journal, proceedings or book, and a report that has one reads as a chapter of a larger
# report), RIS ``PB``, BibTeX ``school`` (phdthesis) and ``institution`` (techreport).
ISSUED_TYPES = frozenset({PublicationType.PREPRINT, PublicationType.THESIS, PublicationType.REPORT})


def is_issued(output) -> bool:
    """Whether ``output`` is a publication of one of ``ISSUED_TYPES``."""
    return output.kind == OutputKind.PUBLICATION and output.publication_type in ISSUED_TYPES


def issuer(output) -> str:
    """Who issued a publication of ``ISSUED_TYPES``: the venue, where the form and the BibTeX
    import put a thesis's school or a report's institution, else the publisher, where the
    CSL-JSON, DataCite and Zenodo imports put it; empty when the record names neither."""
    return output.venue or output.publisher


# --- schema.org ---------------------------------------------------------------------------------

SCHEMA_TYPES = {
    OutputKind.PUBLICATION: "ScholarlyArticle",
    OutputKind.DATASET: "Dataset",
    OutputKind.SOFTWARE: "SoftwareSourceCode",
    OutputKind.RESULT_IN_BRIEF: "Report",
}


def _creator_ld(creator) -> dict:
    if creator.kind == CreatorKind.ORGANISATION:
        return {"@type": "Organization", "name": creator.name}
    data = {"@type": "Person", "name": creator.name}
    if creator.given_name:
        data["givenName"] = creator.given_name
    if creator.family_name:
        data["familyName"] = creator.family_name
    if creator.orcid:
        data["@id"] = f"https://orcid.org/{creator.orcid}"
    affiliations = [
        {
            "@type": "Organization",
            "name": organisation.name,
            **({"@id": f"https://ror.org/{organisation.ror_id}"} if organisation.ror_id else {}),
        }
        for organisation in creator.affiliations.all()
    ]
    if affiliations:
        data["affiliation"] = affiliations
    return data


def json_ld(output, *, page_url: str) -> dict:
    """The schema.org description of ``output``: ScholarlyArticle, Dataset (with its
    distribution), SoftwareSourceCode or Report, as Google Dataset Search and Scholar read it."""
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES[output.kind],
        "@id": output.doi_url or page_url,
        "url": page_url,
        "name": output.title,
        "datePublished": output.date_iso,
        "author": [_creator_ld(creator) for creator in output.creators.all()],
        "isAccessibleForFree": output.access == Access.OPEN,
    }
    if output.abstract:
        data["description"] = output.abstract
    if output.keywords:
        data["keywords"] = list(output.keywords)
    if output.licence:
        data["license"] = f"https://spdx.org/licenses/{output.licence}.html"
    identifiers = [output.doi_url] if output.doi else []
    identifiers += [identifier.value for identifier in output.identifiers.all()]
    if identifiers:
        data["identifier"] = identifiers
    funding = [
        {
            "@type": "Grant",
            "identifier": grant.award or DEFAULT_AWARD,
            "funder": {"@type": "Organization", "name": grant.funder},
        }
        for grant in output.funding.all()
    ]
    if funding:
        data["funding"] = funding
    if output.kind == OutputKind.PUBLICATION and output.venue:
        data["isPartOf"] = {"@type": "Periodical", "name": output.venue}
    if output.kind == OutputKind.DATASET:
        if output.access_url:
            distribution = {"@type": "DataDownload", "contentUrl": output.access_url}
            if output.formats:
                distribution["encodingFormat"] = output.formats[0]
            if output.size_bytes:
                distribution["contentSize"] = f"{output.size_bytes} B"
            data["distribution"] = [distribution]
        if output.creators.all():
            data["creator"] = data["author"]
    if output.kind == OutputKind.SOFTWARE:
        if output.repository_url:
            data["codeRepository"] = output.repository_url
        if output.languages:
            data["programmingLanguage"] = list(output.languages)
        if output.version:
            data["version"] = output.version
    return data


# --- Highwire Press tags (Google Scholar) --------------------------------------------------------


def citation_meta(output, *, page_url: str, pdf_url: str = "") -> list[tuple[str, str]]:
    """``(name, content)`` pairs of the ``citation_*`` meta tags Google Scholar's inclusion
    guidelines ask for: title, each author in order with their institutions, date, venue,
    and ``citation_pdf_url`` when ``pdf_url`` (the absolute address of a file anyone may
    download) is given."""
    tags = [("citation_title", output.title)]
    for creator in output.creators.all():
        if creator.kind == CreatorKind.PERSON and creator.family_name:
            name = f"{creator.family_name}, {creator.given_name}".strip(", ")
        else:
            name = creator.name
        tags.append(("citation_author", name))
        tags += [
            ("citation_author_institution", organisation.name)
            for organisation in creator.affiliations.all()
        ]
    tags.append(("citation_publication_date", output.date_iso.replace("-", "/")))
    if output.kind == OutputKind.PUBLICATION:
        venue_tag = {
            PublicationType.CONFERENCE_PAPER: "citation_conference_title",
            PublicationType.THESIS: "citation_dissertation_institution",
            PublicationType.REPORT: "citation_technical_report_institution",
        }.get(output.publication_type, "citation_journal_title")
        # A thesis's university or a report's institution may stand in the publisher field
        # (as the CSL-JSON, DataCite and Zenodo imports put it).
        institutional = output.publication_type in (PublicationType.THESIS, PublicationType.REPORT)
        venue = issuer(output) if institutional else output.venue
        if venue:
            tags.append((venue_tag, venue))
        for name, value in (("citation_volume", output.volume), ("citation_issue", output.issue)):
            if value:
                tags.append((name, value))
        first, _sep, last = output.pages.partition("-")
        if first.strip():
            tags.append(("citation_firstpage", first.strip()))
        if last.strip("- "):
            tags.append(("citation_lastpage", last.strip("- ")))
        if output.publisher and output.publisher != venue:
            tags.append(("citation_publisher", output.publisher))
    if output.doi:
        tags.append(("citation_doi", output.doi))
    if output.keywords:
        tags.append(("citation_keywords", "; ".join(output.keywords)))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    tags.append(("citation_abstract_html_url", page_url))
    return tags


# --- BibTeX -------------------------------------------------------------------------------------

BIBTEX_TYPES = {
    PublicationType.JOURNAL_ARTICLE: "article",
    PublicationType.CONFERENCE_PAPER: "inproceedings",
    PublicationType.PREPRINT: "misc",
    PublicationType.BOOK_CHAPTER: "incollection",
    PublicationType.THESIS: "phdthesis",
    PublicationType.REPORT: "techreport",
}
VENUE_FIELDS = {
    "article": "journal",
    "inproceedings": "booktitle",
    "incollection": "booktitle",
    "phdthesis": "school",
    "techreport": "institution",
}
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def latex_escape(text: str) -> str:
    """Text with LaTeX's special characters escaped; other Unicode is kept (UTF-8 BibTeX)."""
    return "".join(_LATEX_SPECIAL.get(char, char) for char in text)


def protect_capitals(text: str) -> str:
    """Escaped text with each word holding a capital after its first letter (acronyms, "iPhone",
    "DeepFake") in braces, so that bibliography styles do not lower-case it."""
    return re.sub(
        r"[^\s{}]*[A-Z][^\s{}]*",
        lambda m: "{" + m.group(0) + "}" if re.search(r".[A-Z]", m.group(0)) else m.group(0),
        latex_escape(text),
    )


def bibtex_name(creator) -> str:
    if creator.kind == CreatorKind.ORGANISATION or not creator.family_name:
        return "{" + latex_escape(creator.name) + "}"
    # "van der Berg, Jan": BibTeX reads the lower-case words as the "von" part itself.
    family = latex_escape(creator.family_name)
    return f"{family}, {latex_escape(creator.given_name)}".rstrip(", ")


def _entry_type(output) -> str:
    if output.kind == OutputKind.PUBLICATION:
        return BIBTEX_TYPES.get(output.publication_type, "misc")
    if output.kind == OutputKind.RESULT_IN_BRIEF:
        return "techreport"
    return "misc"


def _key(output, taken: set[str]) -> str:
    creators = list(output.creators.all())
    first = creators[0].family_name or creators[0].name if creators else "anon"
    word = next((w for w in re.findall(r"[A-Za-z]+", output.title) if len(w) > 3), "output")
    base = re.sub(r"[^a-z0-9]", "", f"{first}{output.date_year}{word}".lower()) or "output"
    key, suffix = base, ord("a")
    while key in taken:
        key, suffix = f"{base}{chr(suffix)}", suffix + 1
    taken.add(key)
    return key


def bibtex_entry(output, *, page_url: str, taken: set[str] | None = None) -> Entry:
    """One BibTeX entry of a standard type (article, inproceedings, incollection, phdthesis,
    techreport, misc), names as "Family, Given and …", capitals protected, LaTeX escaped."""
    entry_type = _entry_type(output)
    fields = [
        ("author", " and ".join(bibtex_name(c) for c in output.creators.all())),
        ("title", protect_capitals(output.title)),
        ("year", str(output.date_year)),
    ]
    if output.date_month:
        fields.append(("month", _MONTHS[output.date_month - 1]))
    venue_field = VENUE_FIELDS.get(entry_type)
    venue, publisher = output.venue, output.publisher
    if venue_field and is_issued(output):
        venue = issuer(output)
        # The publisher written as the school or institution is not repeated.
        publisher = "" if publisher == venue else publisher
    if output.kind == OutputKind.RESULT_IN_BRIEF:
        fields.append(("institution", latex_escape(output.organisation.name)))
    elif venue_field and venue:
        fields.append((venue_field, latex_escape(venue)))
    for name, value in (
        ("volume", output.volume),
        ("number", output.issue),
        ("pages", re.sub(r"\s*-+\s*", "--", output.pages)),
        ("publisher", latex_escape(publisher)),
        ("version", output.version),
        ("doi", output.doi),
        ("url", output.doi_url or page_url),
        ("keywords", latex_escape(", ".join(output.keywords))),
        ("abstract", latex_escape(output.abstract)),
    ):
        if value:
            fields.append((name, value))
    arxiv = [i.value for i in output.identifiers.all() if i.scheme == IdentifierScheme.ARXIV]
    if arxiv:
        fields += [("eprint", arxiv[0]), ("archiveprefix", "arXiv")]
    if output.licence:
        fields.append(("copyright", output.licence))
    return Entry(
        entry_type,
        _key(output, set() if taken is None else taken),
        [Field(name, value) for name, value in fields],
    )


def bibtex(outputs, *, page_url) -> str:
    """A BibTeX file of ``outputs``; ``page_url(output)`` gives each record's address (used as
    ``url`` when it has no DOI). Keys are unique within the file."""
    library = bibtexparser.Library()
    taken: set[str] = set()
    for output in outputs:
        library.add(bibtex_entry(output, page_url=page_url(output), taken=taken))
    return bibtexparser.write_string(library)


# --- CITATION.cff and CodeMeta ---------------------------------------------------------------


def _full_date(output) -> str:
    return output.date_iso if output.date_day else ""


def citation_cff(output, *, page_url: str) -> dict:
    """The Citation File Format 1.2.0 description of a software or dataset record, as a
    mapping to write as YAML. ``date-released`` only when the day is known (CFF wants a full
    date); ``license`` only for a single SPDX identifier (CFF takes identifiers, not
    expressions)."""
    authors = []
    for creator in output.creators.all():
        if creator.kind == CreatorKind.ORGANISATION or not creator.family_name:
            authors.append({"name": creator.name})
            continue
        author = {"family-names": creator.family_name}
        if creator.given_name:
            author["given-names"] = creator.given_name
        if creator.orcid:
            author["orcid"] = f"https://orcid.org/{creator.orcid}"
        affiliations = [organisation.name for organisation in creator.affiliations.all()]
        if affiliations:
            author["affiliation"] = "; ".join(affiliations)
        authors.append(author)
    data = {
        "cff-version": "1.2.0",
        "message": "If you use this, please cite it as below.",
        "type": "dataset" if output.kind == OutputKind.DATASET else "software",
        "title": output.title,
        "authors": authors,
        "url": page_url,
    }
    optional = {
        "abstract": output.abstract,
        "version": output.version,
        "doi": output.doi,
        "date-released": _full_date(output),
        "repository-code": output.repository_url,
        "keywords": list(output.keywords),
    }
    if output.licence and " " not in output.licence:
        optional["license"] = output.licence
    data.update({key: value for key, value in optional.items() if value})
    return data


def codemeta(output, *, page_url: str) -> dict:
    """The CodeMeta 3.0 description (``codemeta.json``) of a software record."""
    data = {
        "@context": "https://w3id.org/codemeta/3.0",
        "@type": "SoftwareSourceCode",
        "@id": output.doi_url or page_url,
        "name": output.title,
        "url": page_url,
        "author": [_creator_ld(creator) for creator in output.creators.all()],
        "datePublished": output.date_iso,
    }
    optional = {
        "description": output.abstract,
        "version": output.version,
        "codeRepository": output.repository_url,
        "programmingLanguage": list(output.languages),
        "keywords": list(output.keywords),
        "identifier": output.doi_url,
        "softwareHelp": output.documentation_url,
        "license": f"https://spdx.org/licenses/{output.licence}" if output.licence else "",
        "funding": [
            {
                "@type": "Grant",
                "identifier": grant.award,
                "funder": {"@type": "Organization", "name": grant.funder},
            }
            for grant in output.funding.all()
        ],
    }
    data.update({key: value for key, value in optional.items() if value})
    return data


# --- CSL-JSON and RIS --------------------------------------------------------------------------

CSL_TYPES = {
    PublicationType.JOURNAL_ARTICLE: "article-journal",
    PublicationType.CONFERENCE_PAPER: "paper-conference",
    PublicationType.PREPRINT: "article",
    PublicationType.BOOK_CHAPTER: "chapter",
    PublicationType.THESIS: "thesis",
    PublicationType.REPORT: "report",
}
RIS_TYPES = {
    PublicationType.JOURNAL_ARTICLE: "JOUR",
    PublicationType.CONFERENCE_PAPER: "CONF",
    PublicationType.PREPRINT: "GEN",
    PublicationType.BOOK_CHAPTER: "CHAP",
    PublicationType.THESIS: "THES",
    PublicationType.REPORT: "RPRT",
}


def _kind_type(output, table: dict, dataset: str, software: str, other: str) -> str:
    if output.kind == OutputKind.PUBLICATION:
        return table.get(output.publication_type, other)
    return {OutputKind.DATASET: dataset, OutputKind.SOFTWARE: software}.get(output.kind, other)


def csl_json(output, *, page_url: str) -> dict:
    """The CSL-JSON item of a record (the input of citeproc processors, Zotero, Pandoc), with
    the variables of CSL 1.0.2 (Appendix IV). A journal article, conference paper or book
    chapter has its venue as ``container-title`` and its pages as ``page`` (the range it
    covers there); a thesis, report or preprint (``ISSUED_TYPES``) has no container and no
    page range, and its ``issuer`` is the ``publisher``. No ``genre``: the record does not
    say which degree a thesis is for."""
    authors = [
        {"family": c.family_name, "given": c.given_name}
        if c.kind == CreatorKind.PERSON and c.family_name
        else {"literal": c.name}
        for c in output.creators.all()
    ]
    date_parts = [part for part in (output.date_year, output.date_month, output.date_day) if part]
    item = {
        "id": f"output-{output.pk}",
        "type": _kind_type(output, CSL_TYPES, "dataset", "software", "report"),
        "title": output.title,
        "author": authors,
        "issued": {"date-parts": [date_parts]},
        "URL": output.doi_url or page_url,
    }
    issued = is_issued(output)
    optional = {
        "container-title": "" if issued else output.venue,
        "volume": output.volume,
        "issue": output.issue,
        "page": "" if issued else output.pages,
        "publisher": issuer(output) if issued else output.publisher,
        "DOI": output.doi,
        "abstract": output.abstract,
        "keyword": ", ".join(output.keywords),
        "version": output.version,
    }
    item.update({key: value for key, value in optional.items() if value})
    return item


def ris(outputs, *, page_url) -> str:
    """A RIS file of ``outputs`` (tags as in the RIS format specification; one ``ER`` ends
    each record); ``page_url(output)`` gives each record's address. The venue is the
    secondary title ``T2``, but a thesis's, report's or preprint's ``issuer`` is the
    publisher ``PB``."""
    lines = []
    for output in outputs:
        tags = [("TY", _kind_type(output, RIS_TYPES, "DATA", "COMP", "RPRT"))]
        for creator in output.creators.all():
            if creator.kind == CreatorKind.PERSON and creator.family_name:
                tags.append(("AU", f"{creator.family_name}, {creator.given_name}".strip(", ")))
            else:
                tags.append(("AU", creator.name))
        tags += [("TI", output.title), ("PY", str(output.date_year))]
        if output.date_month:
            tags.append(
                (
                    "DA",
                    f"{output.date_year}/{output.date_month:02d}/"
                    + (f"{output.date_day:02d}/" if output.date_day else "/"),
                )
            )
        first, _sep, last = output.pages.partition("-")
        issued = is_issued(output)
        for tag, value in (
            ("T2", "" if issued else output.venue),
            ("VL", output.volume),
            ("IS", output.issue),
            ("SP", first.strip()),
            ("EP", last.strip("- ")),
            ("PB", issuer(output) if issued else output.publisher),
            ("DO", output.doi),
            ("UR", output.doi_url or page_url(output)),
            ("AB", " ".join(output.abstract.split())),
        ):
            if value:
                tags.append((tag, value))
        tags += [("KW", keyword) for keyword in output.keywords]
        tags.append(("ER", ""))
        lines += [f"{tag}  - {value}".rstrip() for tag, value in tags]
        lines.append("")
    return "\r\n".join(lines)
