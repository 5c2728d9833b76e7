"""Demo data for the network: the consortium, associate members across Europe, applications
in every state, and with ``--scale N`` many more organisations inserted in bulk.

The names are invented but shaped like the real kinds of members (universities, research
centres, broadcasters, SMEs, public bodies, NGOs, EU projects)."""

import uuid
from datetime import UTC, date, datetime, timedelta

from django.utils.text import slugify

from ai4media_portal.core.models import Topic

from .enums import ApplicationStatus, Benefit, NetworkRole, OrganisationType
from .models import (
    ApplicationStatusChange,
    MembershipApplication,
    Organisation,
    OrganisationContact,
    OrganisationRole,
)
from .selectors import possible_duplicates
from .terms import TERMS_VERSION
from .validators import CROCKFORD, ror_checksum

DEMO_VERSION = 1
DEMO_NAMESPACE = uuid.UUID("6f1c2b0e-3d1a-4c55-9b7e-951911000000")
PROJECT_START = date(2020, 9, 1)

T = OrganisationType
U, RC, SME, LARGE, MEDIA, PUBLIC, NGO, EU, OTHER = (
    T.UNIVERSITY,
    T.RESEARCH_CENTRE,
    T.SME,
    T.LARGE_COMPANY,
    T.MEDIA,
    T.PUBLIC_SECTOR,
    T.NGO,
    T.EU_PROJECT,
    T.OTHER,
)

# (name, short name, type, country, city, website domain)
CONSORTIUM = [
    # Nine research centres; the first coordinates the network.
    ("Hellenic Institute of Information Technologies", "HIIT", RC, "GR", "Thessaloniki", "hiit.gr"),
    ("Institut für Digitale Medientechnologie", "IDMT", RC, "DE", "Ilmenau", "idmt-institut.de"),
    ("Centre de recherche en informatique et médias", "CRIM", RC, "FR", "Grenoble", "crim-lab.fr"),
    ("Institut de Tecnologies Audiovisuals", "ITAV", RC, "ES", "Barcelona", "itav.cat"),
    ("Istituto di Scienza dei Media Digitali", "ISMD", RC, "IT", "Pisa", "ismd.cnr-demo.it"),
    ("Swiss Institute for Multimedia Intelligence", "SIMI", RC, "CH", "Martigny", "simi.ch"),
    ("Digital Society Research Institute", "DSRI", RC, "NL", "Delft", "dsri.nl"),
    ("Centre for Human-Centred Computing", "CHCC", RC, "IE", "Dublin", "chcc.ie"),
    ("Institute of Computational Media", "ICM", RC, "CY", "Nicosia", "icm.org.cy"),
    # Nine universities.
    ("Università di Valdadige", "UNIVDA", U, "IT", "Trento", "univda.it"),
    ("Universiteit van Amstelland", "UvA-L", U, "NL", "Amsterdam", "uva-land.nl"),
    ("Technische Universität Rheinhausen", "TUR", U, "DE", "Duisburg", "tu-rheinhausen.de"),
    ("Université Grenoble Vercors", "UGV", U, "FR", "Grenoble", "univ-vercors.fr"),
    ("Aristotelian University of Macedonia", "AUM", U, "GR", "Thessaloniki", "aum.edu.gr"),
    ("University of Northumbria Coast", "UNC", U, "GB", "Newcastle", "northumbriacoast.ac.uk"),
    ("Universitatea Politehnica din Carpați", "UPC", U, "RO", "Bucharest", "upcarpati.ro"),
    ("Morava Technical University", "MTU", U, "CZ", "Brno", "mtu-brno.cz"),
    ("Queen's College Ulster", "QCU", U, "GB", "Belfast", "qcu.ac.uk"),
    # Twelve industrial partners: broadcasters, media groups and technology companies.
    ("Nordvision Broadcasting Corporation", "NBC-N", MEDIA, "DK", "Copenhagen", "nordvision.dk"),
    ("Radiotelevisão Atlântica", "RTA", MEDIA, "PT", "Lisbon", "rta.pt"),
    ("Rheinische Rundfunk Medien", "RRM", MEDIA, "DE", "Cologne", "rrm-medien.de"),
    ("Radiotelevisione Alpina", "RTAL", MEDIA, "IT", "Turin", "rtalpina.it"),
    ("Vlaamse Mediamaatschappij", "VMM", MEDIA, "BE", "Brussels", "vmm-media.be"),
    ("Polaris Telecom S.A.", "Polaris", LARGE, "FR", "Paris", "polaris-telecom.fr"),
    ("Isar Medialab GmbH", "IML", LARGE, "DE", "Munich", "isar-medialab.de"),
    ("Lumina Media Labs", "Lumina", SME, "BE", "Ghent", "luminalabs.be"),
    ("Synthetica AI GmbH", "Synthetica", SME, "AT", "Vienna", "synthetica.ai"),
    ("Helix Vision Ltd", "Helix", SME, "GB", "Bristol", "helixvision.co.uk"),
    ("Vox Archive Systems Oy", "VoxArchive", SME, "FI", "Tampere", "voxarchive.fi"),
    ("Piraeus Technology Centre", "PTC", SME, "GR", "Piraeus", "ptc-tech.gr"),
]
COORDINATOR = "HIIT"

# (name, short name, type, country, city, website domain, year joined, month, other roles)
ASSOCIATES = [
    ("Universidade do Minho Atlântico", "UMA", U, "PT", "Braga", "uminho-a.pt", 2020, 11, ()),
    ("Uniwersytet Wisły", "UW-W", U, "PL", "Kraków", "uwisly.edu.pl", 2021, 2, ("aida",)),
    ("University of Lower Danube", "ULD", U, "RO", "Galați", "uld.ro", 2021, 4, ()),
    ("Tallinn Digital University", "TDU", U, "EE", "Tallinn", "tdu.ee", 2021, 6, ("aida",)),
    ("Universitat de les Illes", "UDI", U, "ES", "Palma", "udi.es", 2022, 1, ()),
    ("University of Ljubljana Coast", "ULC", U, "SI", "Koper", "ulc.si", 2022, 5, ("fellows",)),
    ("Universität Salzach", "USA-AT", U, "AT", "Salzburg", "uni-salzach.at", 2023, 3, ()),
    ("Vilnius Media University", "VMU", U, "LT", "Vilnius", "vmu.lt", 2024, 2, ()),
    ("Norrland Institute of Technology", "NIT", U, "SE", "Umeå", "nit.se", 2024, 9, ()),
    ("Instituto de Sistemas Inteligentes", "ISI", RC, "PT", "Porto", "isi-porto.pt", 2020, 12, ()),
    ("Latvian Institute of Data Science", "LIDS", RC, "LV", "Riga", "lids.lv", 2021, 3, ()),
    ("Institut Jožef Medija", "IJM", RC, "SI", "Ljubljana", "ijm.si", 2021, 9, ("fellows",)),
    ("Hungarian Research Centre for AI", "HRCAI", RC, "HU", "Budapest", "hrcai.hu", 2022, 2, ()),
    (
        "Bulgarian Institute for Language Technology",
        "BILT",
        RC,
        "BG",
        "Sofia",
        "bilt.bg",
        2023,
        6,
        (),
    ),
    ("Luxembourg Centre for Media Data", "LCMD", RC, "LU", "Esch", "lcmd.lu", 2024, 4, ()),
    (
        "NewsAI Technologies S.r.l.",
        "NewsAI",
        SME,
        "IT",
        "Milan",
        "newsai.it",
        2021,
        1,
        ("opencall",),
    ),
    (
        "Deepwatch Analytics B.V.",
        "Deepwatch",
        SME,
        "NL",
        "Utrecht",
        "deepwatch.nl",
        2021,
        5,
        ("opencall",),
    ),
    ("Fonoteca Digital S.L.", "Fonoteca", SME, "ES", "Valencia", "fonoteca.es", 2021, 10, ()),
    (
        "Storyline Robotics SAS",
        "Storyline",
        SME,
        "FR",
        "Lyon",
        "storyline-robotics.fr",
        2022,
        3,
        ("opencall",),
    ),
    ("Klangwerk Audio GmbH", "Klangwerk", SME, "DE", "Berlin", "klangwerk.audio", 2022, 7, ()),
    (
        "Veritas Check sp. z o.o.",
        "Veritas",
        SME,
        "PL",
        "Warsaw",
        "veritascheck.pl",
        2022,
        11,
        ("opencall",),
    ),
    ("Archivio Vivo S.r.l.", "ArchivioVivo", SME, "IT", "Bologna", "archiviovivo.it", 2023, 2, ()),
    (
        "Pixelgarden ApS",
        "Pixelgarden",
        SME,
        "DK",
        "Aarhus",
        "pixelgarden.dk",
        2023,
        8,
        ("opencall",),
    ),
    ("Signum Media AB", "Signum", SME, "SE", "Malmö", "signum.se", 2024, 1, ()),
    ("Mediatrix s.r.o.", "Mediatrix", SME, "CZ", "Prague", "mediatrix.cz", 2025, 2, ()),
    ("Eurovisual Network", "EVN", MEDIA, "CH", "Geneva", "eurovisual.ch", 2020, 10, ()),
    ("Irish Public Broadcaster", "IPB", MEDIA, "IE", "Dublin", "ipb.ie", 2021, 7, ()),
    ("Helsingin Uutiset Digital", "HSD", MEDIA, "FI", "Helsinki", "hs-digital.fi", 2022, 9, ()),
    ("Agencia Iberia de Noticias", "AIN", MEDIA, "ES", "Madrid", "ain-noticias.es", 2023, 4, ()),
    ("Magyar Média Archívum", "MMA", MEDIA, "HU", "Budapest", "mma-archivum.hu", 2024, 6, ()),
    ("National Library of Estland", "NLE", PUBLIC, "EE", "Tartu", "nle.ee", 2021, 11, ()),
    ("Flemish Audiovisual Archive", "FAA", PUBLIC, "BE", "Ghent", "faa.be", 2022, 6, ()),
    (
        "Greek Ministry of Digital Governance Lab",
        "MDG-Lab",
        PUBLIC,
        "GR",
        "Athens",
        "mdg-lab.gov.gr",
        2023,
        10,
        (),
    ),
    (
        "City of Tampere Digital Services",
        "TampereDS",
        PUBLIC,
        "FI",
        "Tampere",
        "tampere-ds.fi",
        2025,
        3,
        (),
    ),
    ("Media Literacy Europe", "MLE", NGO, "BE", "Brussels", "medialiteracy.eu", 2021, 8, ()),
    ("Fundación Verificación", "FunVer", NGO, "ES", "Seville", "funver.org", 2022, 4, ()),
    (
        "Digital Rights Alliance",
        "DRA",
        NGO,
        "NL",
        "The Hague",
        "digitalrights-alliance.org",
        2023,
        1,
        (),
    ),
    ("Stiftung Medienvielfalt", "SMV", NGO, "DE", "Hamburg", "medienvielfalt.org", 2024, 5, ()),
    (
        "Observatoire des algorithmes",
        "ObsAlgo",
        NGO,
        "FR",
        "Paris",
        "obs-algorithmes.fr",
        2025,
        1,
        (),
    ),
    (
        "TRUSTMEDIA Horizon project",
        "TRUSTMEDIA",
        EU,
        "BE",
        "Brussels",
        "trustmedia-project.eu",
        2021,
        12,
        (),
    ),
    ("VERIFAI Innovation Action", "VERIFAI", EU, "IT", "Rome", "verifai-project.eu", 2022, 10, ()),
    (
        "ArchiveGPT Coordination Action",
        "ArchiveGPT",
        EU,
        "NL",
        "Hilversum",
        "archivegpt.eu",
        2023,
        9,
        (),
    ),
    ("MediaHorizons Network", "MFN", EU, "DE", "Hanover", "mediahorizons-network.eu", 2024, 11, ()),
    ("Malta Digital Innovation Hub", "MDIH", OTHER, "MT", "Valletta", "mdih.mt", 2023, 12, ()),
    ("Croatian Media Innovation Cluster", "CMIC", OTHER, "HR", "Zagreb", "cmic.hr", 2025, 5, ()),
]
EXTRA_ROLES = {
    "aida": NetworkRole.AIDA_MEMBER,
    "fellows": NetworkRole.FELLOWS_HOST,
    "opencall": NetworkRole.OPEN_CALL_BENEFICIARY,
}

DESCRIPTIONS = {
    U: "A public university whose computer-science and media faculties research {topics}.",
    RC: "A research centre working on {topics}, with applied projects for the media sector.",
    SME: "A small company building products on {topics} for newsrooms and archives.",
    LARGE: "A technology group with research labs on {topics}.",
    MEDIA: "A media organisation experimenting with {topics} in its newsroom and archive.",
    PUBLIC: "A public body that opens its collections and services to research on {topics}.",
    NGO: "A non-profit organisation working on {topics} and their effect on democracy.",
    EU: "An EU-funded project on {topics}.",
    OTHER: "A cluster of organisations working on {topics}.",
}


def _ror(ctx) -> str:
    body = "".join(ctx.rng.choice(CROCKFORD) for _ in range(6))
    return f"0{body}{ror_checksum(body)}"


def _topics(ctx, topics, n_min=2, n_max=5):
    return ctx.rng.sample(topics, ctx.rng.randint(n_min, n_max))


def _organisation(ctx, topics, *, name, short, kind, country, city, domain):
    chosen = _topics(ctx, topics)
    organisation, created = Organisation.objects.get_or_create(
        slug=slugify(short or name),
        defaults={
            "name": name,
            "short_name": short,
            "type": kind,
            "country": country,
            "city": city,
            "website": f"https://www.{domain}/",
            "ror_id": _ror(ctx) if kind in {U, RC} else "",
            "description": DESCRIPTIONS[kind].format(
                topics=", ".join(topic.name for topic in chosen[:3])
            ),
            "contact_email": f"info@{domain}",
        },
    )
    if created:
        organisation.areas_of_interest.set(chosen)
    return organisation


def _grant(organisation, role, since):
    OrganisationRole.objects.get_or_create(
        organisation=organisation, role=role, defaults={"since": since}
    )


def _refresh_joined_on(organisation):
    from .services import organisation_refresh_joined_on

    organisation_refresh_joined_on(organisation)


def seed(ctx) -> None:
    topics = list(Topic.objects.order_by("pk"))
    for name, short, kind, country, city, domain in CONSORTIUM:
        organisation = _organisation(
            ctx,
            topics,
            name=name,
            short=short,
            kind=kind,
            country=country,
            city=city,
            domain=domain,
        )
        _grant(organisation, NetworkRole.CONSORTIUM_PARTNER, PROJECT_START)
        if short == COORDINATOR:
            _grant(organisation, NetworkRole.COORDINATOR, PROJECT_START)
        _refresh_joined_on(organisation)
    associates = {}
    for name, short, kind, country, city, domain, year, month, extra in ASSOCIATES:
        organisation = _organisation(
            ctx,
            topics,
            name=name,
            short=short,
            kind=kind,
            country=country,
            city=city,
            domain=domain,
        )
        since = date(year, month, ctx.rng.randint(1, 28))
        _grant(organisation, NetworkRole.ASSOCIATE_MEMBER, since)
        for key in extra:
            later = min(since + timedelta(days=ctx.rng.randint(60, 400)), date(2025, 12, 1))
            _grant(organisation, EXTRA_ROLES[key], later)
        _refresh_joined_on(organisation)
        associates[short] = organisation

    member = ctx.demo_user("member", "Maria Member")
    OrganisationContact.objects.get_or_create(
        organisation=associates["Deepwatch"], user=member, defaults={"position": "CTO"}
    )
    _applications(ctx, topics, associates)
    _bulk_organisations(ctx, topics)
    ctx.log(f"  network: {Organisation.objects.count()} organisations")


def _at(year, month, day, hour=10) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=UTC)


# Demo applications: (key, applicant, organisation details, steps). Each step is
# (status, when, actor: "applicant" | "manager", message).
def _application_specs():
    S = ApplicationStatus
    return [
        (
            "draft-ai-lab",
            "applicant",
            ("Sofia AI Media Lab", "SAML", SME, "BG", "Sofia", "saml.bg"),
            [],
        ),
        (
            "submitted-newsroom",
            "applicant",
            ("Newsroom Automation Oü", "NAO", SME, "EE", "Tallinn", "newsroom-auto.ee"),
            [(S.SUBMITTED, _at(2026, 1, 12), "applicant", "")],
        ),
        (
            "submitted-duplicate-name",
            "applicant2",
            # A second application for a listed university, under its name without accents.
            ("Universita di Valdadige", "", U, "IT", "Trento", "www.univda.it"),
            [(S.SUBMITTED, _at(2026, 1, 20), "applicant", "")],
        ),
        (
            "under-review-broadcaster",
            "applicant2",
            ("Radio Baltica", "RB", MEDIA, "LV", "Riga", "radiobaltica.lv"),
            [
                (S.SUBMITTED, _at(2025, 12, 3), "applicant", ""),
                (S.UNDER_REVIEW, _at(2025, 12, 8), "manager", ""),
            ],
        ),
        (
            "information-requested-ngo",
            "applicant3",
            ("Civic Tech Slovakia", "CTS", NGO, "SK", "Bratislava", "civictech.sk"),
            [
                (S.SUBMITTED, _at(2025, 11, 14), "applicant", ""),
                (S.UNDER_REVIEW, _at(2025, 11, 18), "manager", ""),
                (
                    S.INFORMATION_REQUESTED,
                    _at(2025, 11, 19),
                    "manager",
                    "Could you tell us which of your projects use AI for media, and who would "
                    "take part in the network's activities?",
                ),
            ],
        ),
        (
            "resubmitted-archive",
            "applicant3",
            ("Lithuanian Film Archive", "LFA", PUBLIC, "LT", "Vilnius", "filmarchive.lt"),
            [
                (S.SUBMITTED, _at(2025, 10, 2), "applicant", ""),
                (S.UNDER_REVIEW, _at(2025, 10, 6), "manager", ""),
                (
                    S.INFORMATION_REQUESTED,
                    _at(2025, 10, 7),
                    "manager",
                    "Please describe the archive's collections open to researchers.",
                ),
                (S.RESUBMITTED, _at(2025, 10, 15), "applicant", ""),
            ],
        ),
        (
            "approved-signum",
            "applicant",
            ("Signum Media AB", "Signum", SME, "SE", "Malmö", "signum.se"),
            [
                (S.SUBMITTED, _at(2023, 12, 4), "applicant", ""),
                (S.UNDER_REVIEW, _at(2023, 12, 11), "manager", ""),
                (S.APPROVED, _at(2024, 1, 9), "manager", "Welcome to the network!"),
            ],
        ),
        (
            "rejected-marketing",
            "applicant2",
            ("ClickBoost Marketing Ltd", "", SME, "MT", "Sliema", "clickboost.mt"),
            [
                (S.SUBMITTED, _at(2025, 6, 2), "applicant", ""),
                (S.UNDER_REVIEW, _at(2025, 6, 5), "manager", ""),
                (
                    S.REJECTED,
                    _at(2025, 6, 9),
                    "manager",
                    "Your activities are outside the network's scope of AI for media, society "
                    "and democracy.",
                ),
            ],
        ),
        (
            "withdrawn-startup",
            "applicant3",
            ("Tiny Pixel Studio", "TPS", SME, "HR", "Split", "tinypixel.hr"),
            [
                (S.SUBMITTED, _at(2025, 9, 1), "applicant", ""),
                (S.WITHDRAWN, _at(2025, 9, 4), "applicant", "We will apply again next year."),
            ],
        ),
    ]


def _applications(ctx, topics, associates) -> None:
    from ai4media_portal.core.roles import Role

    manager = ctx.demo_user("network.manager", "Nikos Network", roles=[Role.NETWORK_MANAGER])
    applicants = {
        "applicant": ctx.demo_user("applicant", "Anna Applicant"),
        "applicant2": ctx.demo_user("applicant2", "Bruno Bewerber"),
        "applicant3": ctx.demo_user("applicant3", "Chiara Candidata"),
    }
    for key, who, details, steps in _application_specs():
        name, short, kind, country, city, domain = details
        applicant = applicants[who]
        created_at = steps[0][1] - timedelta(days=2) if steps else _at(2026, 1, 25)
        application, created = MembershipApplication.objects.get_or_create(
            form_token=uuid.uuid5(DEMO_NAMESPACE, key),
            defaults={
                "applicant": applicant,
                "org_name": name,
                "org_short_name": short,
                "org_type": kind,
                "org_country": country,
                "org_city": city,
                "org_website": f"https://{domain}/",
                "org_description": DESCRIPTIONS[kind].format(topics="AI for the media"),
                "contact_name": applicant.full_name,
                "contact_position": "Head of innovation",
                "motivation": "We want to work with the network's researchers and media "
                "partners, test early demonstrators and take part in the open calls.",
                "benefits": ctx.rng.sample(Benefit.values, 3),
                "terms_version": TERMS_VERSION,
                "terms_accepted_at": created_at,
            },
        )
        if not created:
            continue
        application.areas_of_interest.set(_topics(ctx, topics))
        MembershipApplication.objects.filter(pk=application.pk).update(
            created_at=created_at, updated_at=steps[-1][1] if steps else created_at
        )
        ApplicationStatusChange.objects.create(
            application=application,
            from_status="",
            to_status=ApplicationStatus.DRAFT,
            actor=applicant,
            created_at=created_at,
        )
        current = ApplicationStatus.DRAFT
        for status, when, actor, message in steps:
            ApplicationStatusChange.objects.create(
                application=application,
                from_status=current,
                to_status=status,
                actor=applicant if actor == "applicant" else manager,
                message=message,
                created_at=when,
            )
            current = status
            if status == ApplicationStatus.SUBMITTED:
                application.submitted_at = when
            if status in {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED}:
                application.decided_at, application.decided_by = when, manager
                application.decision_message = message
        application.status = current
        if current == ApplicationStatus.APPROVED:
            organisation = associates[short]
            application.organisation = organisation
            OrganisationContact.objects.get_or_create(
                organisation=organisation,
                user=applicant,
                defaults={"position": application.contact_position},
            )
        application.save(
            update_fields=[
                "status",
                "submitted_at",
                "decided_at",
                "decided_by",
                "decision_message",
                "organisation",
            ]
        )
        if application.submitted_at and application.organisation_id is None:
            matches = possible_duplicates(
                name=application.org_name,
                short_name=application.org_short_name,
                website=application.org_website,
            )
            application.possible_duplicates.set([m.organisation for m in matches])


BULK_PER_SCALE = 500
BULK_TYPES = [U, RC, SME, SME, SME, LARGE, MEDIA, PUBLIC, NGO, EU]
# fmt: off
BULK_COUNTRIES = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "NO", "CH", "GB",
    "IS", "RS", "UA",
]
BULK_WORDS = [
    "Aurora", "Boreal", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris",
    "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orion", "Prism", "Quartz", "Rivus",
    "Sable", "Tundra", "Umbra", "Vertex", "Willow", "Zephyr",
]
# fmt: on
BULK_NOUNS = {
    U: "University",
    RC: "Research Institute",
    SME: "AI Studio",
    LARGE: "Group",
    MEDIA: "Media",
    PUBLIC: "Public Archive",
    NGO: "Foundation",
    EU: "Project",
}


def _bulk_organisations(ctx, topics) -> None:
    """``(scale - 1) × 500`` more associate members, inserted in bulk for benchmarks."""
    extra = (ctx.scale - 1) * BULK_PER_SCALE
    if extra <= 0:
        return
    batch = []
    for i in range(extra):
        kind = BULK_TYPES[i % len(BULK_TYPES)]
        word = BULK_WORDS[i % len(BULK_WORDS)]
        country = BULK_COUNTRIES[(i // len(BULK_WORDS)) % len(BULK_COUNTRIES)]
        name = f"{word} {BULK_NOUNS[kind]} {i:06d}"
        joined = date(2020, 9, 1) + timedelta(days=ctx.rng.randint(0, 5 * 365))
        organisation = Organisation(
            name=name,
            slug=f"bulk-{i:06d}",
            type=kind,
            country=country,
            city="",
            website=f"https://bulk-{i:06d}.example.org/",
            description=DESCRIPTIONS[kind].format(topics="AI for the media"),
            joined_on=joined,
        )
        organisation.refresh_matching_keys()
        batch.append(organisation)
    Organisation.objects.bulk_create(batch, batch_size=2000, ignore_conflicts=True)
    # Only the organisations inserted now (without a role yet) get roles and topics, so that
    # seeding again adds nothing.
    rows = list(
        Organisation.objects.filter(slug__startswith="bulk-", roles__isnull=True).values_list(
            "pk", "joined_on"
        )
    )
    OrganisationRole.objects.bulk_create(
        [
            OrganisationRole(organisation_id=pk, role=NetworkRole.ASSOCIATE_MEMBER, since=joined)
            for pk, joined in rows
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    through = Organisation.areas_of_interest.through
    links = []
    for pk, _joined in rows:
        for topic in ctx.rng.sample(topics, 2):
            links.append(through(organisation_id=pk, topic_id=topic.pk))
    through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
