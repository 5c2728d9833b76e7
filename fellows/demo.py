"""Demo data for the Junior Fellows Exchange Programme, shaped like the real programme: host
offers from the network's organisations, fellows' profiles, some 66 exchanges from 2021 on in
every state (mostly physical, some virtual and hybrid), yearly budget periods with their
commitments and payments, reports with outcomes, testimonials, and a conversation.

Accounts (password ``ai4media-demo``): ``fellows.coordinator@``, ``fellow@`` (a PhD candidate
with exchanges in several states), ``supervisor.sender@`` and ``supervisor.host@`` (who
supervise them, one application awaiting both their confirmations), all at
``demo.ai4media.eu``. Idempotent: every row has a natural key."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from ai4media_portal.core.roles import Role
from network.models import NetworkRole, Organisation

from .enums import (
    COMPLETED_STATUSES,
    FUNDED_STATUSES,
    CareerStage,
    ExchangeStatus,
    LedgerKind,
    Mode,
    OutcomeKind,
    TestimonialStatus,
)
from .models import (
    BudgetPeriod,
    Conversation,
    Exchange,
    ExchangeStatusChange,
    ExchangeVersion,
    FellowProfile,
    HostOffer,
    LedgerEntry,
    Message,
    Outcome,
    Report,
    Testimonial,
)
from .selectors import beneficiary_side
from .validators import add_months

DEMO_VERSION = 1
NAMESPACE = uuid.UUID("6f1c2b0e-3d1a-4c55-9b7e-951911000013")
S = ExchangeStatus
YEARS = range(2021, 2027)

TOPICS = [
    ("Deepfake detection in broadcast archives", "media forensics, deepfakes"),
    ("Multimodal misinformation analysis", "misinformation, multimodal learning"),
    ("Trustworthy recommendation for public media", "recommender systems, fairness"),
    ("Speech technologies for newsrooms", "speech recognition, low-resource languages"),
    ("Video summarisation for journalists", "video analysis, summarisation"),
    ("Explainable AI for content moderation", "explainability, moderation"),
    ("Music information retrieval", "music, audio analysis"),
    ("AI for game-based learning", "games, education"),
    ("Energy-efficient vision models", "green AI, computer vision"),
    ("Legal and ethical audits of media AI", "AI Act, ethics"),
]
FIRST = ["Ana", "Luca", "Maria", "Jonas", "Eleni", "Pierre", "Sofia", "Tomas", "Ines", "Nikos"]
LAST = ["Papadaki", "Rossi", "Müller", "García", "Dubois", "Novak", "Silva", "Jansen", "Ionescu"]

# The states of the last years' exchanges, in the programme's proportions; earlier years are
# closed or withdrawn.
RECENT_STATES = [
    S.DRAFT, S.SUBMITTED, S.SUBMITTED, S.CONFIRMED, S.APPROVED, S.REJECTED, S.IN_PROGRESS,
    S.COMPLETED, S.REPORT_SUBMITTED, S.REPORT_ACCEPTED, S.CLOSED, S.WITHDRAWN,
]  # fmt: skip
PATH = [
    S.DRAFT, S.SUBMITTED, S.CONFIRMED, S.APPROVED, S.IN_PROGRESS, S.COMPLETED,
    S.REPORT_SUBMITTED, S.REPORT_ACCEPTED, S.CLOSED,
]  # fmt: skip


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


def _steps(target: ExchangeStatus) -> list[ExchangeStatus]:
    if target == S.REJECTED:
        return [*PATH[:3], S.REJECTED]
    if target == S.WITHDRAWN:
        return [*PATH[:4], S.WITHDRAWN]
    return PATH[: PATH.index(target) + 1]


def seed(ctx) -> None:
    coordinator = ctx.demo_user(
        "fellows.coordinator", "Fiona Fellows", roles=[Role.FELLOWS_COORDINATOR]
    )
    fellow = ctx.demo_user("fellow", "Phoebe Fellow")
    sender_supervisor = ctx.demo_user("supervisor.sender", "Stefan Sender")
    host_supervisor = ctx.demo_user("supervisor.host", "Hanna Host")
    organisations = list(Organisation.objects.filter(joined_on__isnull=False).order_by("pk"))
    if len(organisations) < 4:
        ctx.log("  fellows: the network's demo organisations are missing; nothing seeded")
        return
    partners = set(
        Organisation.objects.filter(
            roles__role__in=[NetworkRole.CONSORTIUM_PARTNER, NetworkRole.COORDINATOR]
        ).values_list("pk", flat=True)
    )
    partner_orgs = [o for o in organisations if o.pk in partners]
    others = [o for o in organisations if o.pk not in partners] or partner_orgs

    supervisors = [host_supervisor] + [
        ctx.demo_user(f"supervisor{n:02d}", f"{FIRST[n % 10]} {LAST[n % 9]} (supervisor)")
        for n in range(1, 22)
    ]
    fellows = [fellow] + [
        ctx.demo_user(f"fellow{n:02d}", f"{FIRST[(n + 3) % 10]} {LAST[(n + 5) % 9]}")
        for n in range(1, 40)
    ]

    # Host offers: 22, most open, from partners and associates alike.
    offers = []
    for n, supervisor in enumerate(supervisors):
        organisation = (partner_orgs if n % 2 == 0 else others)[n % len(partner_orgs or others)]
        title, topics = TOPICS[n % len(TOPICS)]
        modes = [[Mode.PHYSICAL], [Mode.PHYSICAL, Mode.HYBRID], [Mode.VIRTUAL], list(Mode)][n % 4]
        offer, _created = HostOffer.objects.get_or_create(
            organisation=organisation,
            title=f"{title} at {organisation.short_name or organisation.name}",
            defaults={
                "supervisor": supervisor,
                "topics": topics,
                "description": (
                    f"Join the {topics.split(',')[0]} team for a few months: "
                    "shared projects, weekly seminars and a desk in the lab."
                ),
                "modes": modes,
                "available_from": date(2026, 1, 1) + timedelta(days=30 * (n % 6)),
                "available_until": date(2027, 12, 31),
                "places": 1 + n % 3,
                "language": "English",
                "is_open": n % 7 != 6,
            },
        )
        offers.append(offer)

    # Profiles.
    for n, person in enumerate(fellows[:30]):
        FellowProfile.objects.get_or_create(
            user=person,
            defaults={
                "career_stage": list(CareerStage)[n % 4] if n else CareerStage.PHD,
                "home_organisation": organisations[(n * 3) % len(organisations)],
                "interests": TOPICS[n % len(TOPICS)][1] + "; looking for a lab abroad.",
                "preferred_modes": [Mode.PHYSICAL] if n % 3 else [Mode.HYBRID, Mode.VIRTUAL],
                "preferred_period": ["spring 2027", "autumn 2026", "any time in 2027"][n % 3],
            },
        )

    periods = {}
    for year in YEARS:
        periods[year], _created = BudgetPeriod.objects.get_or_create(
            name=f"Mobility budget {year}",
            defaults={
                "starts_on": date(year, 1, 1),
                "ends_on": date(year, 12, 31),
                "amount": Decimal("60000"),
            },
        )

    # Exchanges: 11 a year, the last two years in every state.
    plans = []
    for year in YEARS:
        for n in range(11):
            if year >= 2025:
                state = RECENT_STATES[(n + 10 * (year - 2025)) % len(RECENT_STATES)]
            else:
                state = S.WITHDRAWN if n == 9 else S.CLOSED
            plans.append((year, n, state))
    # The demo fellow's own: one awaiting both demo supervisors, one approved, one closed.
    own = {(2026, 0): S.SUBMITTED, (2025, 1): S.APPROVED, (2024, 2): S.CLOSED}
    now = timezone.now()
    for index, (year, n, state) in enumerate(plans):
        state = own.get((year, n), state)
        token = _key(f"exchange-{year}-{n}")
        if Exchange.objects.filter(form_token=token).exists():
            continue
        mine = (year, n) in own
        sender = (
            partner_orgs[(index * 5) % len(partner_orgs)]
            if index % 3
            else others[index % len(others)]
        )
        host = (others if index % 3 else partner_orgs)[
            (index * 7 + 1) % len(others if index % 3 else partner_orgs)
        ]
        if host.pk == sender.pk:
            host = organisations[(organisations.index(sender) + 1) % len(organisations)]
        mode = [Mode.PHYSICAL] * 7 + [Mode.VIRTUAL, Mode.HYBRID, Mode.PHYSICAL]
        mode = mode[n % 10]
        start = date(year, 2 + n % 9, 1)
        months = 1 + n % 3
        end = add_months(start, months) - timedelta(days=1)
        physical = mode != Mode.VIRTUAL
        title, _topics = TOPICS[index % len(TOPICS)]
        sending = sender_supervisor if mine else supervisors[(index + 3) % len(supervisors)]
        hosting = host_supervisor if mine else supervisors[index % len(supervisors)]
        exchange = Exchange(
            form_token=token,
            fellow=fellow if mine else fellows[1 + index % (len(fellows) - 1)],
            offer=offers[index % len(offers)] if index % 2 else None,
            title=f"{title} ({year})",
            sender=sender,
            sender_supervisor=sending,
            sender_supervisor_email=sending.email,
            host=host,
            host_supervisor=hosting,
            host_supervisor_email=hosting.email,
            mode=mode,
            start_date=start if physical else None,
            end_date=end if physical else None,
            research_plan=f"Work with the host's team on {title.lower()}.",
            expected_outcomes="A joint paper; code or data released openly.",
            travel_amount=Decimal(300 + 100 * (index % 8)) if physical else Decimal(0),
            subsistence_monthly=Decimal(1200 + 100 * (index % 5)) if physical else Decimal(0),
            subsistence_months=months if physical else 0,
            other_amount=Decimal(100 * (index % 3)) if physical else Decimal(0),
            status=state,
            beneficiary="" if state == S.DRAFT else (beneficiary_side(sender.pk, host.pk) or ""),
        )
        if state not in (S.DRAFT,):
            exchange.submitted_at = now
        confirmed = state not in (S.DRAFT, S.SUBMITTED)
        exchange.sender_confirmed_version = (
            1 if confirmed or (state == S.SUBMITTED and n % 2 and not mine) else None
        )
        exchange.host_confirmed_version = 1 if confirmed else None
        funded = state in FUNDED_STATUSES or state == S.WITHDRAWN
        if funded:
            exchange.approved_amount = exchange.requested_amount
            exchange.budget_period = periods[year] if exchange.requested_amount else None
            exchange.decided_at = now
        if state in COMPLETED_STATUSES:
            exchange.report_due_on = (end if physical else start) + timedelta(days=30)
        exchange.save()
        ExchangeVersion.objects.create(
            exchange=exchange,
            number=1,
            terms={"start_date": str(exchange.start_date), "end_date": str(exchange.end_date)},
        )
        ExchangeStatusChange.objects.bulk_create(
            ExchangeStatusChange(
                exchange=exchange,
                from_status=previous or "",
                to_status=step,
                actor=coordinator if step in (S.APPROVED, S.REJECTED) else exchange.fellow,
                message="Visa could not be obtained in time." if step == S.WITHDRAWN else "",
            )
            for previous, step in zip([None, *_steps(state)], _steps(state), strict=False)
        )
        if state == S.WITHDRAWN:
            exchange.withdraw_reason = "Visa could not be obtained in time."
            exchange.save(update_fields=["withdraw_reason"])
        if funded and exchange.budget_period_id:
            LedgerEntry.objects.create(
                period=exchange.budget_period,
                exchange=exchange,
                kind=LedgerKind.COMMITMENT,
                amount=exchange.approved_amount,
                created_by=coordinator,
            )
            if state == S.WITHDRAWN:
                LedgerEntry.objects.create(
                    period=exchange.budget_period,
                    exchange=exchange,
                    kind=LedgerKind.ADJUSTMENT,
                    amount=-exchange.approved_amount,
                    note="Released: the exchange was withdrawn.",
                    created_by=coordinator,
                )
            elif state in (S.IN_PROGRESS, *COMPLETED_STATUSES):
                paid = (
                    exchange.approved_amount
                    if state in (S.REPORT_ACCEPTED, S.CLOSED)
                    else (exchange.approved_amount * Decimal("0.7")).quantize(Decimal("0.01"))
                )
                LedgerEntry.objects.create(
                    period=exchange.budget_period,
                    exchange=exchange,
                    kind=LedgerKind.PAYMENT,
                    amount=paid,
                    note=f"Paid to the {exchange.beneficiary}.",
                    created_by=coordinator,
                )
        if state in (S.REPORT_SUBMITTED, S.REPORT_ACCEPTED, S.CLOSED):
            Report.objects.create(
                exchange=exchange,
                summary=f"Three productive months on {title.lower()}."
                if months == 3
                else f"A focused stay on {title.lower()}.",
                achievements="A joint paper submitted; a prototype released as open source.",
                host_feedback="A great colleague; we keep working together." if n % 2 else "",
                submitted_at=now,
            )
            Outcome.objects.bulk_create(
                [
                    Outcome(
                        exchange=exchange,
                        kind=OutcomeKind.PAPER,
                        title=f"{title}: first results",
                        url=f"https://zenodo.org/records/{700000 + index}",
                    ),
                    *(
                        [
                            Outcome(
                                exchange=exchange,
                                kind=OutcomeKind.SOFTWARE if n % 2 else OutcomeKind.DATASET,
                                title=f"{title} toolkit" if n % 2 else f"{title} dataset",
                                url=f"https://github.com/ai4media-demo/exchange-{index}",
                            )
                        ]
                        if n % 3 == 0
                        else []
                    ),
                ]
            )
        if state in (S.REPORT_ACCEPTED, S.CLOSED) and n % 2 == 0:
            Testimonial.objects.create(
                exchange=exchange,
                text=(
                    f"My months at {host.short_name or host.name} changed how I work: "
                    "new methods, new colleagues, and a paper we are proud of."
                ),
                status=TestimonialStatus.PUBLISHED if n % 4 == 0 else TestimonialStatus.PENDING,
                published_at=now if n % 4 == 0 else None,
            )

    conversation, created = Conversation.objects.get_or_create(
        fellow=fellow, supervisor=offers[0].supervisor, offer=offers[0]
    )
    if created:
        Message.objects.create(
            conversation=conversation,
            author=fellow,
            body=(
                "Hello! I'm a PhD candidate working on deepfake detection; "
                "could I join your lab next spring?"
            ),
        )
        Message.objects.create(
            conversation=conversation,
            author=offers[0].supervisor,
            body="Welcome! Spring works for us. Let's prepare a joint application.",
        )
    ctx.log(f"  fellows: {Exchange.objects.count()} exchanges, {HostOffer.objects.count()} offers")
