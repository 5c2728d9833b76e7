"""AIDA's demo data: 32 member institutions across Europe, lecturers, students validated and
waiting, 42 courses with past (completed, with certificates), open, full (with a waitlist) and
cancelled offerings (an external participant among those of one open to them), lectures past
and upcoming, and educational resources in every review state, with links, files (generated
PDFs and a notebook) or both. Everything goes through the services, so the seats, the
waitlist, the histories and the audit log are as real use leaves them. Idempotent: what
exists (by member organisation, course code, lecture or resource title) is kept."""

import json
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils.text import slugify
from fpdf import FPDF

from ai4media_portal.core.roles import Role
from network.models import Organisation

from . import services
from .enums import (
    Audience,
    CourseFormat,
    CourseLevel,
    Curriculum,
    MemberTier,
    OfferingMode,
    OfferingStatus,
    ResourceStatus,
    ResourceType,
    ReviewCriterion,
    StudentStatus,
)
from .models import Course, Enrolment, Lecture, Member, Offering, Resource, Student

DEMO_VERSION = 3

# (name, country, city, tier)
INSTITUTIONS = [
    ("Aristotle University of Thessaloniki", "GR", "Thessaloniki", MemberTier.FULL),
    ("University of Amsterdam", "NL", "Amsterdam", MemberTier.FULL),
    ("Università di Bologna", "IT", "Bologna", MemberTier.FULL),
    ("Sorbonne Université", "FR", "Paris", MemberTier.FULL),
    ("Technische Universität München", "DE", "Munich", MemberTier.FULL),
    ("KU Leuven", "BE", "Leuven", MemberTier.FULL),
    ("Universitat Pompeu Fabra", "ES", "Barcelona", MemberTier.FULL),
    ("University of Edinburgh", "GB", "Edinburgh", MemberTier.FULL),
    ("Politecnico di Milano", "IT", "Milan", MemberTier.FULL),
    ("Czech Technical University in Prague", "CZ", "Prague", MemberTier.FULL),
    ("Jagiellonian University", "PL", "Kraków", MemberTier.FULL),
    ("University of Coimbra", "PT", "Coimbra", MemberTier.FULL),
    ("Tampere University", "FI", "Tampere", MemberTier.FULL),
    ("University of Ljubljana", "SI", "Ljubljana", MemberTier.FULL),
    ("Trinity College Dublin", "IE", "Dublin", MemberTier.FULL),
    ("University of Cyprus", "CY", "Nicosia", MemberTier.FULL),
    ("Linköping University", "SE", "Linköping", MemberTier.ASSOCIATE),
    ("University of Vienna", "AT", "Vienna", MemberTier.ASSOCIATE),
    ("Budapest University of Technology and Economics", "HU", "Budapest", MemberTier.ASSOCIATE),
    ("University of Tartu", "EE", "Tartu", MemberTier.ASSOCIATE),
    ("Aalborg University", "DK", "Aalborg", MemberTier.ASSOCIATE),
    ("University of Malta", "MT", "Msida", MemberTier.ASSOCIATE),
    ("Vilnius University", "LT", "Vilnius", MemberTier.ASSOCIATE),
    ("University of Latvia", "LV", "Riga", MemberTier.ASSOCIATE),
    ("Université du Luxembourg", "LU", "Esch-sur-Alzette", MemberTier.ASSOCIATE),
    ("Comenius University Bratislava", "SK", "Bratislava", MemberTier.ASSOCIATE),
    (
        "Centre for Research and Technology Hellas",
        "GR",
        "Thessaloniki",
        MemberTier.RESEARCH_INDUSTRY,
    ),
    (
        "Fraunhofer Institute for Digital Media Technology",
        "DE",
        "Ilmenau",
        MemberTier.RESEARCH_INDUSTRY,
    ),
    ("INRIA", "FR", "Rocquencourt", MemberTier.RESEARCH_INDUSTRY),
    ("Idiap Research Institute", "CH", "Martigny", MemberTier.RESEARCH_INDUSTRY),
    ("Fondazione Bruno Kessler", "IT", "Trento", MemberTier.RESEARCH_INDUSTRY),
    ("Sofia University St. Kliment Ohridski", "BG", "Sofia", MemberTier.ASSOCIATE),
]

SUBJECTS = [
    ("Deep Learning", Curriculum.AI_CORE),
    ("Computer Vision", Curriculum.AI_CORE),
    ("Natural Language Processing", Curriculum.AI_CORE),
    ("Reinforcement Learning", Curriculum.AI_CORE),
    ("Graph Neural Networks", Curriculum.AI_CORE),
    ("Probabilistic Machine Learning", Curriculum.AI_CORE),
    ("Media Forensics", Curriculum.AI_MEDIA),
    ("Recommender Systems for Media", Curriculum.AI_MEDIA),
    ("Video Understanding", Curriculum.AI_MEDIA),
    ("Music Information Retrieval", Curriculum.AI_MEDIA),
    ("Disinformation Detection", Curriculum.AI_MEDIA),
    ("Generative Models for Creative Media", Curriculum.AI_MEDIA),
    ("Speech Processing", Curriculum.AI_MEDIA),
    ("AI Ethics and Law", Curriculum.AI_SOCIETY),
    ("Fairness in Machine Learning", Curriculum.AI_SOCIETY),
    ("Explainable AI", Curriculum.AI_SOCIETY),
    ("Privacy-preserving Machine Learning", Curriculum.AI_SOCIETY),
    ("AI for Social Science Research", Curriculum.AI_SOCIETY),
    ("Green and Sustainable AI", Curriculum.AI_SOCIETY),
    ("Robust and Trustworthy AI", Curriculum.AI_CORE),
    ("Edge AI and Efficient Inference", Curriculum.AI_CORE),
]
FORMATS = [
    CourseFormat.SHORT_COURSE,
    CourseFormat.SEMESTER_COURSE,
    CourseFormat.SUMMER_SCHOOL,
    CourseFormat.TUTORIAL,
    CourseFormat.SEMINAR,
    CourseFormat.LECTURE,
]
# What becomes of each course's most recent offering, in turn.
PLANS = ["past", "open", "full", "past", "cancelled", "open", "planned"]

LECTURES = [
    (
        "Foundation models and the newsroom",
        "Prof. Maria Petrou",
        "Aristotle University of Thessaloniki",
    ),
    ("Can we trust synthetic media?", "Dr. Jan de Vries", "University of Amsterdam"),
    ("Fairness beyond accuracy", "Prof. Elena Rossi", "Università di Bologna"),
    ("Efficient transformers at the edge", "Dr. Lukas Baumann", "Technische Universität München"),
    ("AI, democracy and the public sphere", "Prof. Claire Martin", "Sorbonne Université"),
    ("Explaining vision models to their users", "Dr. Sofia Nowak", "Jagiellonian University"),
]


def _member(ctx, coordinator, number, name, country, city, tier) -> Member:
    slug = slugify(name)[:110]
    organisation, _created = Organisation.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "type": "research-centre" if tier == MemberTier.RESEARCH_INDUSTRY else "university",
            "country": country,
            "city": city,
            "description": f"{name}, a member of the International AI Doctoral Academy.",
        },
    )
    existing = Member.objects.filter(organisation=organisation).first()
    if existing is not None:
        return existing
    joined = (ctx.now - timedelta(days=1200 - 20 * number)).date()
    return services.member_add(
        organisation=organisation,
        tier=tier,
        joined_on=joined,
        mou_signed_on=joined - timedelta(days=14),
        actor=coordinator,
    )


def _student(ctx, member, local, name, *, status, supervisor=None, representative=None):
    user = ctx.demo_user(local, name)
    student = Student.objects.filter(user=user).first()
    if student is None:
        student = services.student_register(
            user=user,
            data={
                "member": member,
                "is_phd": True,
                "supervisor_name": supervisor.user.full_name if supervisor else "Dr. A. Advisor",
                "supervisor_email": supervisor.user.email if supervisor else "advisor@example.org",
                "country": member.organisation.country.code,
                "research_interests": "Multimodal learning for media analysis.",
            },
            actor=user,
        )
        if student.supervisor_id:
            services.student_confirm_supervision(
                student=student, actor=student.supervisor.user, confirm=True
            )
        if status == StudentStatus.VALIDATED:
            services.student_validate(student=student, actor=representative)
        elif status == StudentStatus.REFUSED:
            services.student_refuse(
                student=student,
                actor=representative,
                reason="We could not find you among our doctoral students; please check the "
                "institution you chose.",
            )
    return user


def seed(ctx) -> None:
    coordinator = ctx.demo_user(
        "aida.coordinator", "Anna AIDA Coordinator", roles=[Role.AIDA_COORDINATOR]
    )
    members = [_member(ctx, coordinator, number, *row) for number, row in enumerate(INSTITUTIONS)]
    home = members[0]
    representative = ctx.demo_user("aida.representative", "Rania Representative")
    services.member_add_representative(member=home, user=representative, actor=coordinator)
    lecturers = [
        services.lecturer_add(
            user=ctx.demo_user(f"aida.lecturer{'' if n == 0 else n + 1}", name),
            member=members[n % len(members)],
            position="Professor",
            actor=coordinator,
        )
        for n, name in enumerate(
            [
                "Leonidas Lecturer",
                "Lotte Lector",
                "Lorenzo Docente",
                "Léa Enseignante",
                "Lukas Dozent",
                "Lieve Docent",
            ]
        )
    ]
    # Students: validated ones who take courses, one waiting for validation, one refused.
    validated = [
        _student(
            ctx,
            home,
            f"aida.student{'' if n == 0 else n + 1}",
            name,
            status=StudentStatus.VALIDATED,
            supervisor=lecturers[0] if n == 0 else None,
            representative=representative,
        )
        for n, name in enumerate(
            [
                "Stella Student",
                "Stefan Studierender",
                "Sara Studentessa",
                "Simon Étudiant",
                "Sofia Estudiante",
                "Sven Student",
                "Saoirse Mac Léinn",
                "Szymon Student",
            ]
        )
    ]
    _student(
        ctx,
        home,
        "aida.pending",
        "Petra Pending",
        status=StudentStatus.PENDING,
        representative=representative,
    )
    _student(
        ctx,
        home,
        "aida.refused",
        "Rolf Refused",
        status=StudentStatus.REFUSED,
        representative=representative,
    )
    hosts = [m for m in members if m.tier != MemberTier.RESEARCH_INDUSTRY]
    for number in range(42):
        subject, curriculum = SUBJECTS[number % len(SUBJECTS)]
        fmt = FORMATS[number % len(FORMATS)]
        code = f"AIDA-{number + 1:03d}"
        if Course.objects.filter(code=code).exists():
            continue
        title = subject if number < len(SUBJECTS) else f"Advanced {subject}"
        course = services.course_create(
            data={
                "title": title,
                "code": code,
                "description": f"A doctoral {fmt.label.lower()} on {subject.lower()}, from "
                "foundations to current research, with hands-on sessions.",
                "syllabus": "Foundations; state of the art; hands-on project; open problems.",
                "learning_outcomes": f"Apply {subject.lower()} methods to media and society.",
                "prerequisites": "Machine learning at master's level; Python.",
                "curricula": [curriculum],
                "format": fmt,
                "ects": Decimal("2.5") if number % 3 else Decimal("5"),
                "level": CourseLevel.ADVANCED if number % 2 else CourseLevel.INTERMEDIATE,
                "language": "en",
                "host": hosts[number % len(hosts)],
            },
            lecturers=[lecturers[number % len(lecturers)]],
            actor=coordinator,
        )
        _offerings(ctx, course, PLANS[number % len(PLANS)], number, validated, coordinator)
    _lectures(ctx, coordinator)
    _resources(coordinator, [lecturer.user for lecturer in lecturers])
    _external_participant(ctx)


def _external_participant(ctx) -> None:
    """A journalist, not an AIDA student, asks for a place in an open offering that admits
    external participants, saying where she comes from."""
    user = ctx.demo_user("aida.external", "Elena External")
    offering = (
        Offering.objects.filter(audience=Audience.OPEN, status=OfferingStatus.OPEN)
        .order_by("starts_on", "pk")
        .first()
    )
    if offering is None or Enrolment.objects.filter(offering=offering, user=user).exists():
        return
    services.enrolment_request(
        offering=offering, actor=user, affiliation="Deutsche Welle, Innovation team", country="DE"
    )


def _offerings(ctx, course, plan, number, students, coordinator) -> None:
    today = ctx.now.date()
    start = (
        today + timedelta(days=40 + number)
        if plan != "past"
        else today - timedelta(days=120 + 5 * number)
    )
    offering = services.offering_create(
        course=course,
        data={
            "starts_on": start,
            "ends_on": start + timedelta(days=4),
            "schedule": "Monday to Friday, 9:00–13:00",
            "timezone": "Europe/Athens" if number % 2 else "Europe/Brussels",
            "mode": [OfferingMode.ONLINE, OfferingMode.ON_SITE, OfferingMode.HYBRID][number % 3],
            "location": "" if number % 3 == 0 else course.host.organisation.city,
            "enrolment_opens_on": today - timedelta(days=10),
            "enrolment_closes_on": today + timedelta(days=20),
            "capacity": 3 if plan == "full" else (None if number % 5 == 0 else 25),
            "audience": Audience.OPEN if number % 4 == 0 else Audience.AIDA_STUDENTS,
            "confirm_by_hand": False,
            "materials_url": "",
        },
        actor=coordinator,
    )
    if plan == "planned":
        return
    services.offering_move(offering=offering, target="open", actor=coordinator)
    if plan == "open":
        for user in students[:2]:
            services.enrolment_request(offering=offering, actor=user)
    elif plan == "full":
        for user in students[:5]:  # three seats: two students wait
            services.enrolment_request(offering=offering, actor=user)
    elif plan == "cancelled":
        services.enrolment_request(offering=offering, actor=students[0])
        services.offering_move(
            offering=offering,
            target="cancelled",
            actor=coordinator,
            reason="The lecturer cannot travel; the course will be offered again next term.",
        )
    elif plan == "past":
        enrolments = [
            services.enrolment_request(offering=offering, actor=user) for user in students[:4]
        ]
        services.offering_update(
            offering=offering,
            data={
                "enrolment_opens_on": start - timedelta(days=40),
                "enrolment_closes_on": start - timedelta(days=5),
            },
            actor=coordinator,
        )
        services.offering_move(offering=offering, target="running", actor=coordinator)
        for position, enrolment in enumerate(enrolments):
            services.enrolment_mark(
                enrolment=enrolment,
                actor=coordinator,
                attended=True,
                outcome="completed" if position < 3 else "not-completed",
            )
        services.offering_move(offering=offering, target="finished", actor=coordinator)
        for user in students[:2]:
            services.certificate_issue(user=user, actor=user)


def _lectures(ctx, coordinator) -> None:
    for number, (title, speaker, affiliation) in enumerate(LECTURES):
        if Lecture.objects.filter(title=title).exists():
            continue
        starts = (ctx.now + timedelta(days=30 * (number - 3))).replace(
            hour=14, minute=0, second=0, microsecond=0
        )
        services.lecture_create(
            data={
                "title": title,
                "speaker": speaker,
                "affiliation": affiliation,
                "abstract": f"{speaker} on {title.lower()}: an AI Excellence Lecture of AIDA.",
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=1, minutes=30),
                "timezone": "Europe/Brussels",
                "online_url": "https://meet.example.org/aida-lectures",
                "recording_url": "https://video.example.org/aida-lectures" if number < 3 else "",
            },
            actor=coordinator,
        )


# (title, type, curriculum, licence, the committee's decision or None while it waits, what is
# given: a link, a generated file ("pdf", "notebook") or both)
RESOURCES = [
    ("Deep learning from first principles: slides", ResourceType.SLIDES, Curriculum.AI_CORE,
     "CC-BY-4.0", ResourceStatus.ACCEPTED, ("link", "pdf")),
    ("Detecting synthetic faces: a notebook", ResourceType.NOTEBOOK, Curriculum.AI_MEDIA,
     "MIT", ResourceStatus.ACCEPTED, ("notebook",)),
    ("Fairness audits of recommender systems", ResourceType.TUTORIAL, Curriculum.AI_SOCIETY,
     "CC-BY-SA-4.0", ResourceStatus.ACCEPTED, ("pdf",)),
    ("Lecture videos: multimodal learning", ResourceType.VIDEO, Curriculum.AI_CORE,
     "CC-BY-4.0", ResourceStatus.ACCEPTED, ("link",)),
    ("A news-image provenance dataset", ResourceType.DATASET, Curriculum.AI_MEDIA,
     "CC-BY-4.0", ResourceStatus.CHANGES_REQUESTED, ("link",)),
    ("Exam questions without answers", ResourceType.COURSE_MATERIAL, Curriculum.AI_CORE,
     "CC-BY-NC-4.0", ResourceStatus.REJECTED, ("pdf",)),
    ("Green AI: measuring the energy of training", ResourceType.TEXTBOOK, Curriculum.AI_SOCIETY,
     "CC-BY-4.0", None, ("link", "pdf")),
]  # fmt: skip


def _demo_pdf(title: str, authors: str) -> bytes:
    """A one-page PDF standing for the resource's document."""
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_author(authors)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    pdf.multi_cell(0, 10, title)
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 12)
    pdf.multi_cell(0, 7, f"{authors}\nInternational AI Doctoral Academy (AIDA)")
    pdf.ln(6)
    pdf.multi_cell(0, 7, "A demonstration document of the AIDA educational resources repository.")
    return bytes(pdf.output())


def _demo_notebook(title: str) -> bytes:
    """A small Jupyter notebook (nbformat 4) standing for the resource's notebook."""
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": [f"# {title}\n"]},
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": ["import numpy as np\n", "print(np.linspace(0, 1, 5))\n"],
            },
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1).encode()


def _demo_file(kinds, title: str, authors: str) -> ContentFile | None:
    if "pdf" in kinds:
        return ContentFile(_demo_pdf(title, authors), name=f"{slugify(title)}.pdf")
    if "notebook" in kinds:
        return ContentFile(_demo_notebook(title), name=f"{slugify(title)}.ipynb")
    return None


def _resources(coordinator, submitters) -> None:
    """Lecturers submit; the committee accepts, asks for changes or rejects, with reasons."""
    for number, (title, kind, curriculum, licence, decision, given) in enumerate(RESOURCES):
        if Resource.objects.filter(title=title).exists():
            continue
        submitter = submitters[number % len(submitters)]
        resource = services.resource_submit(
            data={
                "title": title,
                "description": f"{title}, prepared for AIDA's doctoral courses.",
                "type": kind,
                "curricula": [curriculum],
                "level": CourseLevel.ADVANCED,
                "language": "en",
                "licence": licence,
                "authors": submitter.full_name,
                "url": f"https://example.org/aida/resources/{slugify(title)}"
                if "link" in given
                else "",
            },
            file=_demo_file(given, title, submitter.full_name),
            actor=submitter,
        )
        if decision is None:
            continue
        met = decision == ResourceStatus.ACCEPTED
        services.resource_review(
            resource=resource,
            decision=decision,
            criteria={
                criterion: {"met": met or criterion != ReviewCriterion.ACCESSIBILITY_LICENSING}
                for criterion in ReviewCriterion.values
            },
            reasons={
                ResourceStatus.ACCEPTED: "Meets all five criteria.",
                ResourceStatus.CHANGES_REQUESTED: "Add a datasheet and the licence of each "
                "source image.",
                ResourceStatus.REJECTED: "A non-commercial licence cannot be admitted; exam "
                "questions without answers have little value for learners.",
            }[decision],
            actor=coordinator,
        )
