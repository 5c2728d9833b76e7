"""The Django side of the outputs benchmark, run by ``outputs_bench`` in its own process with
the production settings and the benchmark's database:

    python -m benchmarks.outputs_setup COUNT

Migrates; bulk-creates COUNT outputs (one in a hundred a tombstone, one to three creators
each) unless they are already there; collects the static files; times the preview of a
5,000-entry BibTeX import in this process; prints one JSON object on its last line.
"""

from __future__ import annotations

import json
import os
import sys
import time

BIBTEX_ENTRIES = 5000
BATCH = 5000
# Partner organisations the creators are affiliated to (the catalogue's organisation facet).
AFFILIATIONS = 60
AREAS = ["new-paradigms", "trustworthy-ai", "content-centred-ai", "human-society-centred-ai"]
USE_CASES = ["disinformation", "news", "moderation", "archives", "games", "co-creation"]
WORDS = [
    "deepfake",
    "detection",
    "broadcast",
    "video",
    "trustworthy",
    "federated",
    "learning",
    "edge",
    "archives",
    "captioning",
    "moderation",
    "recommender",
    "fairness",
    "multimodal",
    "verification",
    "newsroom",
    "audio",
    "synthetic",
    "explainable",
    "continual",
]
FAMILY = ["Papadopoulou", "Müller", "Dubois", "Rossi", "García", "Novák", "Jensen", "O'Brien"]
GIVEN = ["Maria", "Jörg", "Sophie", "Luca", "Miguel", "Jan", "Nikolaj", "Aoife"]


def main(argv: list[str]) -> int:
    count = int(argv[0])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ai4media_portal.settings.production")
    import django

    django.setup()
    from django.core.management import call_command

    from .web_setup import _collect_static

    call_command("migrate", verbosity=0, interactive=False)
    seeded = _seed(count)
    _collect_static()
    preview = _bibtex_preview()
    from ai4media_portal.core.public_cache import public_data_changed

    public_data_changed("outputs")  # searches are timed as worked out, not as remembered
    from outputs.selectors import harvestable, published_outputs

    print(
        json.dumps(
            {
                "outputs": count,
                "seed_seconds": seeded,
                "harvestable": harvestable().count(),
                "published": published_outputs().count(),
                **preview,
            }
        )
    )
    return 0


def _log(message: str) -> None:
    print(f"[bench-outputs] {message}", file=sys.stderr, flush=True)


def _title(n: int) -> str:
    words = [WORDS[(n * k + k) % len(WORDS)] for k in (1, 3, 7, 11)]
    return f"{words[0].capitalize()} {words[1]} for {words[2]} {words[3]}, study {n}"


def _seed(count: int) -> float | None:
    """COUNT outputs by bulk inserts, their creators affiliated to ``AFFILIATIONS`` partner
    organisations; None when already there."""
    from django.db import transaction
    from django.utils import timezone

    from network.models import Organisation
    from outputs.enums import Access, OutputKind, OutputStatus, PublicationType
    from outputs.models import Creator, Output

    if Output.objects.count() >= count:
        return None
    started = time.perf_counter()
    organisation, _ = Organisation.objects.get_or_create(
        slug="bench-outputs",
        defaults={"name": "Benchmark University", "type": "university", "country": "GR"},
    )
    partners = [
        Organisation.objects.get_or_create(
            slug=f"bench-partner-{k}",
            defaults={"name": f"Partner {k}", "type": "university", "country": "DE"},
        )[0]
        for k in range(AFFILIATIONS)
    ]
    kinds = list(OutputKind)
    now = timezone.now()
    done = Output.objects.count()
    Through = Creator.affiliations.through
    while done < count:
        size = min(BATCH, count - done)
        with transaction.atomic():
            outputs = []
            people = []
            for n in range(done, done + size):
                authors = [
                    (
                        GIVEN[(n + i) % 8],
                        FAMILY[(n * 3 + i) % 8],
                        partners[(n * 7 + i) % AFFILIATIONS],
                    )
                    for i in range(1 + n % 3)
                ]
                kind = kinds[n % 4]
                deleted = n % 100 == 99
                outputs.append(
                    Output(
                        kind=kind,
                        organisation=organisation,
                        status=OutputStatus.DELETED if deleted else OutputStatus.PUBLISHED,
                        published_at=now,
                        deleted_at=now if deleted else None,
                        deletion_reason="Duplicate" if deleted else "",
                        title=_title(n),
                        abstract=f"We study {WORDS[n % 20]} and {WORDS[(n + 5) % 20]} "
                        "in the network's use cases.",
                        date_year=2020 + n % 6,
                        date_month=1 + n % 12,
                        keywords=[WORDS[n % 20], WORDS[(n + 3) % 20]],
                        research_areas=[AREAS[n % len(AREAS)]],
                        use_cases=[USE_CASES[n % len(USE_CASES)]],
                        licence="CC-BY-4.0",
                        access=Access.OPEN,
                        doi=f"10.5072/bench.{n}",
                        publication_type=PublicationType.JOURNAL_ARTICLE
                        if kind == OutputKind.PUBLICATION
                        else "",
                        search_names=" ".join(f"{g} {f}" for g, f, _ in authors),
                        creator_names=list(dict.fromkeys(f"{g} {f}" for g, f, _ in authors)),
                        affiliation_ids=list(dict.fromkeys(o.pk for _, _, o in authors)),
                    )
                )
                people.append(authors)
            Output.objects.bulk_create(outputs)
            creators = Creator.objects.bulk_create(
                Creator(
                    output=output,
                    position=position,
                    name=f"{given} {family}",
                    given_name=given,
                    family_name=family,
                )
                for output, authors in zip(outputs, people, strict=True)
                for position, (given, family, _) in enumerate(authors)
            )
            affiliated = [o for authors in people for _, _, o in authors]
            Through.objects.bulk_create(
                Through(creator_id=creator.pk, organisation_id=partner.pk)
                for creator, partner in zip(creators, affiliated, strict=True)
            )
        done += size
        _log(f"{done} outputs")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE outputs_output; ANALYZE outputs_creator; ANALYZE outputs_creator_affiliations"
        )
    return time.perf_counter() - started


def _bibtex() -> bytes:
    """5,000 entries: most new, some with the DOI or title of a stored output, a few traps."""
    entries = []
    for n in range(BIBTEX_ENTRIES):
        key = f"entry{n}"
        if n % 50 == 7:
            entries.append(f"@article{{{key},\n  author = {{Doe, Jane}},\n  year = {{2022}}\n}}\n")
            continue
        doi = f"10.5072/bench.{n}" if n % 10 == 3 else f"10.5072/import.{n}"
        month = "spring" if n % 97 == 5 else "may"
        entries.append(
            f"@article{{{key},\n"
            f'  author = {{Papadopoulou, Maria and M{{\\"u}}ller, J{{\\"o}}rg}},\n'
            f"  title = {{Imported {{Media}} study number {n}}},\n"
            f"  journal = {{IEEE Transactions on Multimedia}},\n"
            f"  year = {{{2020 + n % 6}}},\n  month = {month},\n"
            f"  volume = {{{n % 30}}},\n  pages = {{1--{n % 90 + 2}}},\n"
            f"  doi = {{{doi}}}\n}}\n"
        )
    return "\n".join(entries).encode()


def _bibtex_preview() -> dict:
    from ai4media_portal.accounts.models import User
    from network.models import Organisation
    from outputs import services
    from outputs.bibtex_import import read_bibtex

    staff, _ = User.objects.get_or_create(
        email="bench-outputs@example.org", defaults={"is_staff": True, "full_name": "Bench"}
    )
    organisation = Organisation.objects.get(slug="bench-outputs")
    content = _bibtex()
    timings = []
    for _run in range(3):
        started = time.perf_counter()
        rows = services.outputs_import(
            actor=staff, organisation=organisation, candidates=read_bibtex(content), commit=False
        )
        timings.append(time.perf_counter() - started)
    actions = {}
    for row in rows:
        actions[row.action.value] = actions.get(row.action.value, 0) + 1
    return {"bibtex_seconds": timings, "bibtex_actions": actions}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
