"""The vocabularies of research outputs and the one workflow a record goes through."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutputKind(models.TextChoices):
    PUBLICATION = "publication", _("Publication")
    DATASET = "dataset", _("Dataset")
    SOFTWARE = "software", _("Software")
    RESULT_IN_BRIEF = "result-in-brief", _("Result in brief")


# The kinds that may carry a file (PDF); a cover image belongs to results in brief.
FILE_KINDS = frozenset({OutputKind.PUBLICATION, OutputKind.DATASET, OutputKind.RESULT_IN_BRIEF})
COVER_KINDS = frozenset({OutputKind.RESULT_IN_BRIEF})

# The provenance of the network's own work; other provenances are pillars' records.
CONSORTIUM = "consortium"


class PublicationType(models.TextChoices):
    JOURNAL_ARTICLE = "journal-article", _("Journal article")
    CONFERENCE_PAPER = "conference-paper", _("Conference paper")
    PREPRINT = "preprint", _("Preprint")
    BOOK_CHAPTER = "book-chapter", _("Book chapter")
    THESIS = "thesis", _("Thesis")
    REPORT = "report", _("Report")


class BriefType(models.TextChoices):
    FACTSHEET = "factsheet", _("Factsheet")
    BOOKLET = "booklet", _("Booklet")
    INFOGRAPHIC = "infographic", _("Infographic")
    WHITE_PAPER = "white-paper", _("White paper")
    RESEARCH_AGENDA = "research-agenda", _("Strategic Research Agenda")
    ROADMAP = "roadmap", _("Roadmap")


class ResearchArea(models.TextChoices):
    """The network's four core research areas."""

    NEW_PARADIGMS = "new-paradigms", _("New learning paradigms and AI at the edge")
    TRUSTWORTHY = "trustworthy-ai", _("Trustworthy AI")
    CONTENT_CENTRED = "content-centred-ai", _("Content-centred AI")
    HUMAN_SOCIETY = "human-society-centred-ai", _("Human- and society-centred AI")


class UseCase(models.TextChoices):
    """The network's seven use cases."""

    DISINFORMATION = "disinformation", _("AI against disinformation")
    NEWS = "news", _("News research and production")
    MODERATION = "moderation", _("Media moderation")
    ARCHIVES = "archives", _("Audiovisual archives")
    GAMES = "games", _("Game design")
    CO_CREATION = "co-creation", _("Human-machine artistic co-creation")
    SOCIAL_SCIENCE = "social-science", _("Social-science research")


class Access(models.TextChoices):
    """Access rights, as OpenAIRE and the COAR vocabulary name them."""

    OPEN = "open", _("Open access")
    EMBARGOED = "embargoed", _("Embargoed")
    RESTRICTED = "restricted", _("Restricted access")
    METADATA_ONLY = "metadata-only", _("Metadata only")


class CreatorKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class IdentifierScheme(models.TextChoices):
    ARXIV = "arxiv", _("arXiv")
    HANDLE = "handle", _("Handle")
    URL = "url", _("URL")


class LinkKind(models.TextChoices):
    LANDING_PAGE = "landing-page", _("Landing page")
    ZENODO = "zenodo", _("Zenodo")
    REPOSITORY = "repository", _("Repository")
    OTHER = "other", _("Other")


class RelationType(models.TextChoices):
    """DataCite Metadata Schema 4.5 relation types used between outputs."""

    CITES = "Cites", _("cites")
    IS_CITED_BY = "IsCitedBy", _("is cited by")
    IS_SUPPLEMENT_TO = "IsSupplementTo", _("is supplement to")
    IS_SUPPLEMENTED_BY = "IsSupplementedBy", _("is supplemented by")
    IS_PART_OF = "IsPartOf", _("is part of")
    HAS_PART = "HasPart", _("has part")
    IS_NEW_VERSION_OF = "IsNewVersionOf", _("is new version of")
    IS_PREVIOUS_VERSION_OF = "IsPreviousVersionOf", _("is previous version of")
    IS_DOCUMENTED_BY = "IsDocumentedBy", _("is documented by")
    DOCUMENTS = "Documents", _("documents")
    REFERENCES = "References", _("references")
    IS_REFERENCED_BY = "IsReferencedBy", _("is referenced by")
    IS_DERIVED_FROM = "IsDerivedFrom", _("is derived from")
    IS_SOURCE_OF = "IsSourceOf", _("is source of")


class OutputStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    # A tombstone: the record stays so that harvesters and old links learn it is gone.
    DELETED = "deleted", _("Deleted")


S = OutputStatus

# draft → published; either may be deleted, which is final (the identifier is never reused).
TRANSITIONS = {
    S.DRAFT: {S.PUBLISHED, S.DELETED},
    S.PUBLISHED: {S.DRAFT, S.DELETED},
    S.DELETED: set(),
}

del S

# The default funding reference of every output of the network (European Commission, Horizon
# 2020, grant agreement 951911).
DEFAULT_FUNDER = "European Commission"
DEFAULT_PROGRAMME = "H2020"
DEFAULT_AWARD = "951911"
