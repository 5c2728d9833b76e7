"""The catalogue's one pass over the matches (``selectors.catalogue_pass``): the same results
in the same order as the catalogue's queryset, exact facets, pages past the end, and the
creator and organisation columns it counts from kept in step with the creators."""

import dataclasses
import itertools
import random

import pytest

from outputs import selectors, services
from outputs.enums import Access, OutputKind, OutputStatus
from outputs.models import Creator, Output
from tests.network.factories import OrganisationFactory

from .factories import OutputFactory

pytestmark = pytest.mark.django_db

KINDS = [OutputKind.PUBLICATION, OutputKind.DATASET, OutputKind.SOFTWARE]
AREAS = ["trustworthy-ai", "content-centred-ai", "new-paradigms"]
USE_CASES = ["news", "archives", "games", "disinformation"]


@pytest.fixture
def corpus():
    """Thirty outputs with mixed facets, some sharing dates (ties broken by key), a draft
    and a tombstone that nothing may count."""
    rng = random.Random(951911)
    organisations = [OrganisationFactory(name=f"Lab {k}", slug=f"lab-{k}") for k in range(4)]
    people = [("Papadopoulou", "Maria"), ("Müller", "Jörg"), ("Rossi", "Luca"), ("Doe", "Jane")]
    for n in range(30):
        output = OutputFactory(
            title=f"{rng.choice(['Deepfake', 'Archive', 'Music'])} study {n}",
            abstract=rng.choice(["Detecting deepfakes.", "Searching archives.", "Composing."]),
            kind=KINDS[n % 3],
            date_year=2020 + n % 4,
            date_month=(month := rng.choice([None, 1, 6])),
            date_day=None if month is None else rng.choice([None, 5, 20]),
            research_areas=rng.sample(AREAS, rng.randint(1, 2)),
            use_cases=rng.sample(USE_CASES, rng.randint(1, 3)),
            access=rng.choice([Access.OPEN, Access.RESTRICTED]),
            licence=rng.choice(["CC-BY-4.0", "MIT", "CC0-1.0"]),
            creators=rng.sample(people, rng.randint(1, 3)),
        )
        for creator in output.creators.all():
            creator.affiliations.add(*rng.sample(organisations, rng.randint(0, 2)))
    OutputFactory(title="Deepfake draft", status=OutputStatus.DRAFT)
    OutputFactory(title="Deepfake tombstone", status=OutputStatus.DELETED)


def _expected_facets(outputs: list[Output]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}

    def add(name, value):
        counts.setdefault(name, {})
        counts[name][str(value)] = counts[name].get(str(value), 0) + 1

    for output in outputs:
        add("kind", output.kind)
        add("year", output.date_year)
        add("access", output.access)
        add("licence", output.licence)
        for area in output.research_areas:
            add("area", area)
        for use_case in output.use_cases:
            add("use_case", use_case)
        creators = list(output.creators.all())
        for name in {creator.name for creator in creators}:
            add("creator", name)
        for slug in {o.slug for creator in creators for o in creator.affiliations.all()}:
            add("organisation", slug)
    return counts


FILTER_CASES = [
    selectors.Filters(),
    selectors.Filters(search="deepfake"),
    selectors.Filters(search="archives", sort="title"),
    selectors.Filters(search="papadopoulou", sort="oldest"),
    selectors.Filters(kind=OutputKind.DATASET, sort="newest"),
    selectors.Filters(area="content-centred-ai", use_case="news"),
    selectors.Filters(organisation="lab-1", search="study"),
    selectors.Filters(creator="Jörg Müller", access=Access.OPEN),
    selectors.Filters(search="nothing matches this"),
]


@pytest.mark.parametrize("filters", FILTER_CASES, ids=lambda f: repr(f.as_params()))
def test_the_pass_agrees_with_the_catalogue_queryset(corpus, filters):
    expected = list(selectors.catalogue(filters))
    keys = []
    for offset in itertools.count(0, 7):
        result = selectors.catalogue_pass(filters, offset=offset, limit=7)
        assert result.count == len(expected)
        if not result.keys:
            break
        keys += result.keys
    assert keys == [output.pk for output in expected]
    facets = {
        name: {value.value: value.count for value in values}
        for name, values in result.facets.items()
    }
    for name in selectors.FACET_FILTERS:
        # A chosen facet counts what choosing another of its values would give.
        if getattr(filters, name):
            others = dataclasses.replace(filters, **{name: None if name == "year" else ""})
            counted = list(selectors.catalogue(others))
        else:
            counted = expected
        assert facets[name] == _expected_facets(counted).get(name, {}), name


@pytest.mark.parametrize(
    "query",
    ["creator=Luca+Rossi", "organisation=lab-1", "area=trustworthy-ai", "year=2021&q=study"],
)
def test_each_facet_link_leads_to_as_many_results_as_it_says(client, corpus, query):
    response = client.get(f"/outputs/?{query}")
    shown = response.context["page"].paginator.count
    for name, values in response.context["facets"].items():
        for value in values:
            if value["selected"]:  # its count is what the page shows; its link lifts it
                assert value["count"] == shown, (name, value)
                continue
            followed = client.get(f"/outputs/?{value['query']}")
            assert followed.context["page"].paginator.count == value["count"], (name, value)


def test_facets_name_the_twenty_most_frequent_creators_only():
    for n in range(25):
        OutputFactory(creators=[(f"Author{n:02d}", "A")] + [("Common", "Carla")] * (n % 2))
    creators = selectors.catalogue_pass(selectors.Filters()).facets["creator"]
    assert len(creators) == selectors.FACET_TOP
    assert (creators[0].label, creators[0].count) == ("Carla Common", 12)


@pytest.mark.parametrize(
    ("query", "facet", "value", "label"),
    [
        # Beyond the twenty most frequent creators, and matching nothing with a search.
        ("creator=Author00", "creator", "Author00", "Author00"),
        ("creator=Author00&q=nothing+matches", "creator", "Author00", "Author00"),
        ("creator=Nobody+Known", "creator", "Nobody Known", "Nobody Known"),
        ("organisation=lab-99", "organisation", "lab-99", "Lab 99"),
        ("organisation=no-such-lab", "organisation", "no-such-lab", "no-such-lab"),
        ("kind=software", "kind", "software", "Software"),
        ("year=1999", "year", "1999", "1999"),
        ("area=human-society-centred-ai", "area", "human-society-centred-ai", None),
        ("use_case=games", "use_case", "games", None),
        ("access=embargoed", "access", "embargoed", "Embargoed"),
        ("licence=GPL-3.0-only", "licence", "GPL-3.0-only", "GPL-3.0-only"),
    ],
)
def test_a_chosen_value_is_always_listed_and_can_be_lifted(client, query, facet, value, label):
    lab = OrganisationFactory(name="Lab 99", slug="lab-99")
    for n in range(25):
        OutputFactory(
            kind=OutputKind.PUBLICATION,
            date_year=2024,
            creators=[("Common", "Carla"), *[(f"Other{n:02d}", "O")] * (n < 21)],
            research_areas=["trustworthy-ai"],
            use_cases=["news"],
            access=Access.OPEN,
            licence="CC-BY-4.0",
        )
    OutputFactory(title="Alone", creators=[("Author00", "")], research_areas=["trustworthy-ai"])
    Output.objects.get(title="Alone").creators.get().affiliations.add(lab)
    response = client.get(f"/outputs/?{query}")
    shown = response.context["page"].paginator.count
    chosen = [v for v in response.context["facets"][facet] if v["selected"]]
    assert len(chosen) == 1, response.context["facets"][facet]
    assert chosen[0]["count"] == shown
    if label is not None:
        assert chosen[0]["label"] == label
    # Its link lifts it: the other filters stay, this one goes.
    params = dict(item.split("=", 1) for item in chosen[0]["query"].split("&") if item)
    assert facet not in params
    assert ("q" in params) == ("q=" in query)


def test_catalogue_pages(client, corpus):
    def listed(query):
        response = client.get(f"/outputs/?{query}")
        assert response.status_code == 200
        page = response.context["page"]
        return page.number, [output.pk for output in page.object_list]

    everything = [output.pk for output in selectors.catalogue(selectors.Filters())]
    assert listed("page=2") == (2, everything[25:])
    # A bad number is the first page; past the end, or absurdly far, the last.
    assert listed("page=abc") == (1, everything[:25])
    assert listed("page=-3") == (1, everything[:25])
    assert listed("page=9") == (2, everything[25:])
    assert listed("page=99999999999999999999999") == (2, everything[25:])
    response = client.get("/outputs/?q=nothing+matches")
    assert response.context["page"].number == 1
    assert list(response.context["page"].object_list) == []


def test_a_result_shows_its_creators_in_order(client):
    OutputFactory(title="Ordered", creators=[("Zeta", "Zoe"), ("Alpha", "Ann"), ("Zeta", "Zoe")])
    html = client.get("/outputs/").content.decode()
    assert "Zoe Zeta; Ann Alpha" in html


def test_the_services_keep_the_columns(organisation, contact):
    other = OrganisationFactory()
    output = services.output_create(
        actor=contact.user,
        organisation=organisation,
        data={"kind": OutputKind.PUBLICATION, "title": "Kept", "date_year": 2024},
        creators=[
            services.CreatorData(name="Jane Doe", affiliations=[organisation, other]),
            services.CreatorData(name="Rita Roe", affiliations=[organisation]),
        ],
    )
    output.refresh_from_db()
    assert output.creator_names == ["Jane Doe", "Rita Roe"]
    assert output.affiliation_ids == [organisation.pk, other.pk]
    output = services.output_update(
        output=output,
        actor=contact.user,
        data={},
        creators=[services.CreatorData(name="Rita Roe")],
    )
    output.refresh_from_db()
    assert (output.creator_names, output.affiliation_ids) == (["Rita Roe"], [])


def test_creators_written_outside_the_services_keep_the_columns():
    output = OutputFactory(creators=[("Doe", "Jane")])
    lab, institute = OrganisationFactory(), OrganisationFactory()
    creator = output.creators.get()

    def columns():
        output.refresh_from_db()
        return output.creator_names, sorted(output.affiliation_ids)

    creator.affiliations.add(lab, institute)
    assert columns() == (["Jane Doe"], sorted([lab.pk, institute.pk]))
    creator.affiliations.remove(lab)
    assert columns() == (["Jane Doe"], [institute.pk])
    lab.affiliated_creators.add(creator)
    assert columns() == (["Jane Doe"], sorted([lab.pk, institute.pk]))
    institute.affiliated_creators.clear()
    assert columns() == (["Jane Doe"], [lab.pk])
    creator.affiliations.clear()
    assert columns() == (["Jane Doe"], [])
    Creator.objects.create(output=output, position=1, name="Rita Roe")
    assert columns() == (["Jane Doe", "Rita Roe"], [])
    creator.delete()
    assert columns() == (["Rita Roe"], [])


def test_bulk_writers_refresh_the_columns_without_moving_the_datestamp():
    output = OutputFactory(creators=[("Doe", "Jane")])
    stamp = Output.objects.get(pk=output.pk).updated_at
    Output.objects.filter(pk=output.pk).update(
        creator_names=[], affiliation_ids=[], search_names="Somebody Else"
    )
    services.catalogue_columns_refresh([output.pk])
    output.refresh_from_db()
    assert (output.creator_names, output.search_names) == (["Jane Doe"], "Jane Doe")
    assert output.updated_at == stamp


def test_a_creator_renamed_outside_the_services_is_found_by_the_new_name():
    output = OutputFactory(creators=[("Doe", "Jane")])
    creator = output.creators.get()
    creator.name = "Jane Roe-Doe"
    creator.save()

    def found(text):
        return list(selectors.filtered(selectors.Filters(search=text)).values_list("pk", flat=True))

    assert found("Roe") == [output.pk]
    assert found("Jane Roe-Doe") == [output.pk]


def test_newest_and_oldest_go_by_the_day_too(client):
    undated = OutputFactory(title="May", date_year=2024, date_month=5, date_day=None)
    late = OutputFactory(title="20 May", date_year=2024, date_month=5, date_day=20)
    early = OutputFactory(title="3 May", date_year=2024, date_month=5, date_day=3)

    def listed(query):
        page = client.get(f"/outputs/?{query}").context["page"]
        return [output.pk for output in page.object_list]

    assert listed("") == [late.pk, early.pk, undated.pk]
    assert listed("sort=oldest") == [undated.pk, early.pk, late.pk]
    assert [o.pk for o in selectors.catalogue(selectors.Filters(sort="newest"))] == listed("")
    assert listed("sort=newest") == listed("")


def test_the_results_can_be_sorted_from_the_page(client, corpus):
    html = client.get("/outputs/?q=study&kind=dataset").content.decode()
    form = html[html.index('aria-label="Order of the results"') :]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="q" value="study">' in form
    assert '<input type="hidden" name="kind" value="dataset">' in form
    assert '<option value="title">Title</option>' in form
    response = client.get("/outputs/?q=study&kind=dataset&sort=title")
    titles = [output.title for output in response.context["page"].object_list]
    assert titles == sorted(titles)
    assert '<option value="title" selected>' in response.content.decode()
