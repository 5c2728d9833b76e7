"""Demo data for the outputs: 420 publications, 42 datasets, 100 software tools and the
results in brief, by people of the consortium's organisations, with ORCID iDs, a few
embargoed and a few deleted records, and a partner's contact who curates their outputs.

Titles, names and identifiers are invented; DOIs use the test prefix 10.5072 (DataCite's
prefix for examples), never a real record's."""

import io
import uuid
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from network.models import Organisation, OrganisationContact

from . import services
from .enums import (
    Access,
    BriefType,
    CreatorKind,
    IdentifierScheme,
    LinkKind,
    OutputKind,
    OutputStatus,
    PublicationType,
    ResearchArea,
    UseCase,
)
from .models import Creator, Funding, Identifier, Link, Output
from .validators import orcid_checksum

DEMO_VERSION = 2
DEMO_NAMESPACE = uuid.UUID("0f7d6c1e-5a2b-4c3d-9e8f-951911000014")
COUNTS = {
    OutputKind.PUBLICATION: 420,
    OutputKind.DATASET: 42,
    OutputKind.SOFTWARE: 100,
    OutputKind.RESULT_IN_BRIEF: 12,
}

GIVEN = [
    "Maria",
    "Ioannis",
    "Sophie",
    "Luca",
    "Anna",
    "Jan",
    "Elena",
    "Pierre",
    "Katarzyna",
    "Miguel",
    "Eleni",
    "Thomas",
    "Ingrid",
    "Dimitris",
    "Chiara",
    "Nikolaj",
    "Aoife",
    "Radu",
]
FAMILY = [
    "Papadopoulou",
    "Kompatsiaris",
    "Dubois",
    "Rossi",
    "Schmidt",
    "de Vries",
    "Popescu",
    "Novák",
    "García",
    "Nikolaidis",
    "Müller",
    "O'Brien",
    "Lindqvist",
    "Bianchi",
    "Kowalska",
    "van der Berg",
    "Ferreira",
    "Jensen",
]
TOPICS = [
    ("Deepfake", "detection in broadcast video"),
    ("Explainable", "recommendation for public-service media"),
    ("Federated", "learning for on-device video analysis"),
    ("Robust", "visual question answering under distribution shift"),
    ("Fair", "face analysis across demographic groups"),
    ("Multimodal", "misinformation detection on social media"),
    ("Efficient", "transformers for audio tagging"),
    ("Privacy-preserving", "analysis of news consumption"),
    ("Generative", "music co-creation with human performers"),
    ("Content-based", "retrieval in audiovisual archives"),
    ("Interpretable", "content moderation of hate speech"),
    ("Procedural", "level generation for serious games"),
]
VENUES = {
    PublicationType.JOURNAL_ARTICLE: [
        "IEEE Transactions on Multimedia",
        "Multimedia Tools and Applications",
        "Pattern Recognition Letters",
    ],
    PublicationType.CONFERENCE_PAPER: ["ACM Multimedia", "ICASSP", "CVPR Workshops", "ICMR"],
    PublicationType.PREPRINT: ["arXiv"],
    PublicationType.BOOK_CHAPTER: ["Multimedia Retrieval: Advances and Applications"],
    PublicationType.THESIS: ["Aristotelian University of Macedonia"],
    PublicationType.REPORT: ["AI4Media Consortium"],
}
LICENCES = ["CC-BY-4.0", "CC-BY-4.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0"]
SOFTWARE_LICENCES = ["MIT", "Apache-2.0", "GPL-3.0-or-later", "BSD-3-Clause"]


def demo_orcid(n: int) -> str:
    """A well-formed ORCID iD in the 0000-0009 block, with its check digit."""
    base = f"0000000{n + 100000000:08d}"[-15:]
    digits = base + orcid_checksum(base)
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def _people(ctx, organisations):
    people = []
    for n in range(60):
        given, family = GIVEN[n % len(GIVEN)], FAMILY[(n * 7) % len(FAMILY)]
        people.append(
            (given, family, demo_orcid(n) if n % 4 else "", organisations[n % len(organisations)])
        )
    return people


def _metadata(ctx, kind, n):
    rng = ctx.rng
    adjective, rest = TOPICS[n % len(TOPICS)]
    year = 2020 + (n % 6)
    data = {
        "kind": kind,
        "title": f"{adjective} {rest}" + (f" ({n // len(TOPICS) + 1})" if n >= len(TOPICS) else ""),
        "abstract": f"We study {adjective.lower()} methods for {rest}, evaluated in the "
        "network's use cases.",
        "date_year": year,
        "date_month": None if n % 7 == 0 else 1 + n % 12,
        "date_day": None if n % 3 else 1 + n % 28,
        "keywords": [adjective.lower(), rest.split()[0], "media"],
        "research_areas": [ResearchArea.values[n % 4]]
        + ([ResearchArea.values[(n + 1) % 4]] if n % 5 == 0 else []),
        "use_cases": [UseCase.values[n % 7]],
        "licence": rng.choice(SOFTWARE_LICENCES if kind == OutputKind.SOFTWARE else LICENCES),
        "access": Access.OPEN,
        "doi": f"10.5072/ai4media.{kind[:3]}.{n:04d}",
    }
    if data["date_day"] and not data["date_month"]:
        data["date_day"] = None
    if n % 29 == 3:
        data["access"] = Access.EMBARGOED
        data["embargo_until"] = date(2027, 1 + n % 12, 1)
    elif n % 31 == 5:
        data["access"] = Access.RESTRICTED
    if kind == OutputKind.PUBLICATION:
        types = list(PublicationType)
        publication_type = types[0] if n % 3 == 0 else types[n % len(types)]
        data.update(
            publication_type=publication_type,
            venue=VENUES[publication_type][n % len(VENUES[publication_type])],
            volume=str(20 + n % 6) if publication_type == PublicationType.JOURNAL_ARTICLE else "",
            pages=f"{n % 90 + 1}-{n % 90 + 12}",
        )
    elif kind == OutputKind.DATASET:
        data.update(
            size_bytes=rng.randint(10**6, 10**11),
            formats=["CSV", "MP4"][: 1 + n % 2],
            item_count=rng.randint(500, 200000),
            access_url=f"https://zenodo.org/records/{7000000 + n}",
        )
    elif kind == OutputKind.SOFTWARE:
        data.update(
            repository_url=f"https://github.com/ai4media-demo/tool-{n}",
            languages=["Python"] + (["C++"] if n % 4 == 0 else []),
            version=f"{1 + n % 3}.{n % 10}.0",
            trl=3 + n % 5,
        )
    else:
        data.update(brief_type=list(BriefType)[n % len(BriefType)], doi="")
    return data


def seed(ctx) -> None:
    organisations = list(
        Organisation.objects.filter(roles__role="consortium-partner").order_by("name").distinct()
    ) or list(Organisation.objects.order_by("name")[:10])
    if not organisations:
        return
    people = _people(ctx, organisations)
    wanted = [
        (kind, n, uuid.uuid5(DEMO_NAMESPACE, f"{kind}-{n}"))
        for kind, total in COUNTS.items()
        for n in range(total * ctx.scale)
    ]
    existing = set(
        Output.objects.filter(uid__in=[uid for *_, uid in wanted]).values_list("uid", flat=True)
    )
    missing = [(kind, n, uid) for kind, n, uid in wanted if uid not in existing]
    now = timezone.now()
    outputs, creator_sets = [], []
    for kind, n, uid in missing:
        data = _metadata(ctx, kind, n)
        authors = [people[(n * 3 + i) % len(people)] for i in range(1 + n % 5)]
        deleted = n % 97 == 11
        output = Output(
            uid=uid,
            organisation=authors[0][3],
            status=OutputStatus.DELETED if deleted else OutputStatus.PUBLISHED,
            published_at=now - timedelta(days=n),
            deleted_at=now if deleted else None,
            deletion_reason="Duplicate of another record" if deleted else "",
            **data,
        )
        outputs.append(output)
        creator_sets.append((kind, n, authors))
    Output.objects.bulk_create(outputs)
    creators, affiliations, extras = [], [], []
    for output, (kind, n, authors) in zip(outputs, creator_sets, strict=True):
        if kind == OutputKind.RESULT_IN_BRIEF:
            creators.append(
                Creator(
                    output=output,
                    position=0,
                    kind=CreatorKind.ORGANISATION,
                    name="AI4Media Consortium",
                )
            )
        else:
            for position, (given, family, orcid, organisation) in enumerate(authors):
                creators.append(
                    Creator(
                        output=output,
                        position=position,
                        name=f"{given} {family}",
                        given_name=given,
                        family_name=family,
                        orcid=orcid,
                    )
                )
                affiliations.append(organisation)
        extras.append(Funding(output=output))
        if (
            output.kind == OutputKind.PUBLICATION
            and output.publication_type == PublicationType.PREPRINT
        ):
            extras.append(
                Identifier(
                    output=output,
                    scheme=IdentifierScheme.ARXIV,
                    value=f"23{n % 12 + 1:02d}.{10000 + n}",
                )
            )
        if output.kind in (OutputKind.DATASET, OutputKind.SOFTWARE):
            extras.append(
                Link(
                    output=output,
                    kind=LinkKind.ZENODO,
                    url=f"https://zenodo.org/records/{8000000 + n}",
                )
            )
    Creator.objects.bulk_create(creators)
    Through = Creator.affiliations.through
    Through.objects.bulk_create(
        Through(creator_id=creator.pk, organisation_id=organisation.pk)
        for creator, organisation in zip(
            [c for c in creators if c.kind == CreatorKind.PERSON], affiliations, strict=True
        )
    )
    for model in (Funding, Identifier, Link):
        model.objects.bulk_create([row for row in extras if isinstance(row, model)])
    services.catalogue_columns_refresh(output.pk for output in outputs)
    _brief_files(wanted)
    # A partner's contact who curates its outputs.
    curator = ctx.demo_user("outputs-curator", "Olga Outputs")
    OrganisationContact.objects.get_or_create(
        organisation=organisations[0], user=curator, defaults={"position": "Open-science officer"}
    )
    ctx.log(f"  {len(outputs)} outputs")


# The colours of the research areas, for the generated covers.
COVER_COLOURS = [(11, 92, 173), (0, 122, 94), (170, 58, 30), (96, 55, 150)]


def brief_cover(title: str, n: int) -> bytes:
    """A generated cover (PNG, 600 × 800): a coloured page with the title."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (600, 800), COVER_COLOURS[n % len(COVER_COLOURS)])
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 560, 760), outline=(255, 255, 255), width=4)
    font = ImageFont.load_default(size=36)
    small = ImageFont.load_default(size=24)
    draw.text((70, 80), "AI4Media", fill=(255, 255, 255), font=font)
    words, lines, line = title.split(), [], ""
    for word in words:
        if len(line) + len(word) > 24:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    lines.append(line)
    for number, text in enumerate(lines[:8]):
        draw.text((70, 300 + 44 * number), text, fill=(255, 255, 255), font=small)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def brief_pdf(output) -> bytes:
    """A generated two-paragraph PDF of a result in brief."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(output.title)
    pdf.set_author("AI4Media Consortium")
    pdf.add_page()
    pdf.set_font("helvetica", "B", 20)
    pdf.multi_cell(0, 10, output.title)
    pdf.ln(4)
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(
        0,
        6,
        f"{output.get_brief_type_display()} of the AI4Media network ({output.date_iso}). "
        f"{output.abstract}",
    )
    pdf.ln(2)
    pdf.multi_cell(
        0,
        6,
        "This project has received funding from the European Union's Horizon 2020 research "
        "and innovation programme under grant agreement No 951911.",
    )
    return bytes(pdf.output())


def _brief_files(wanted) -> None:
    """Give each demo result in brief that has none its PDF and cover (generated here, no
    download), stored like uploads under generated names."""
    uids = [uid for kind, _n, uid in wanted if kind == OutputKind.RESULT_IN_BRIEF]
    numbers = {uid: n for kind, n, uid in wanted if kind == OutputKind.RESULT_IN_BRIEF}
    bare = list(Output.objects.filter(uid__in=uids, file=""))
    for output in bare:
        n = numbers[output.uid]
        slug = "-".join(output.title.lower().split()[:4])
        output.file.save(f"{slug}.pdf", ContentFile(brief_pdf(output)), save=False)
        output.file_name = f"AI4Media {output.get_brief_type_display()} - {slug}.pdf"[:200]
        output.cover_image.save("cover.png", ContentFile(brief_cover(output.title, n)), save=False)
    Output.objects.bulk_update(bare, ["file", "file_name", "cover_image"])
