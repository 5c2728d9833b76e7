"""The network's pages through the test client: forms and their bad inputs, the directory,
the manager's queue and export, the numbers, and the whole journey of an applicant."""

import csv
import io
import re
import uuid
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from network.enums import ApplicationStatus, NetworkRole, OrganisationType
from network.models import MembershipApplication, Organisation
from tests.factories import UserFactory
from tests.utils import assert_constant_queries

from .conftest import png_upload
from .factories import ApplicationFactory, ContactFactory, OrganisationFactory, topic

pytestmark = pytest.mark.django_db

S = ApplicationStatus


def form_data(**changes):
    data = {
        "form_token": str(uuid.uuid4()),
        "org_name": "Lumina Media Labs",
        "org_short_name": "Lumina",
        "org_legal_name": "",
        "org_type": "sme",
        "org_country": "BE",
        "org_city": "Ghent",
        "org_website": "https://luminalabs.example.be",
        "org_ror_id": "",
        "org_description": "Tools for newsrooms.",
        "org_contact_email": "hello@luminalabs.example.be",
        "contact_name": "Anna Applicant",
        "contact_position": "Chief executive",
        "motivation": "We want to test early demonstrators.",
        "areas_of_interest": [topic("generative-ai").pk, topic("computer-vision").pk],
        "benefits": ["early-demonstrators", "visibility"],
        "accept_terms": "on",
        "submit": "1",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- Applying: bad input -----------------------------------------------------------------------


BAD_INPUTS = [
    ("org_country", "XX", "Choose a country from the list."),
    (
        "org_ror_id",
        "https://ror.org/04dkp9464",
        "The check digits of this ROR ID do not match: please copy it again from ror.org.",
    ),
    (
        "org_ror_id",
        "12345",
        "A ROR ID has nine characters: a 0, six letters or digits and two check digits, "
        "e.g. 04dkp9463 or https://ror.org/04dkp9463.",
    ),
    ("org_website", "not a website", "Enter a valid URL."),
    ("org_contact_email", "hello@", "Enter a valid email address."),
    ("benefits", [], "Choose at least one benefit."),
    (
        "accept_terms",
        "",
        "Accept the terms of associate membership and the privacy notice to apply.",
    ),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUTS)
def test_apply_bad_input_error_beside_field_and_input_kept(
    client, applicant, field, value, message
):
    client.force_login(applicant)
    response = client.post("/network/apply/", form_data(**{field: value}))
    assert response.status_code == 422
    assert response.context["form"].errors == {field: [message]}
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    # The refusal opens with the summary, its line a link to the field.
    assert html.index("data-error-summary") < html.index(f'id="id_{field}_error"')
    assert f'<a href="#id_{field}">' in html
    # Everything else typed is still there.
    assert 'value="Lumina Media Labs"' in html
    assert "We want to test early demonstrators.</textarea>" in html
    assert 'value="hello@luminalabs.example.be"' in html or field == "org_contact_email"
    assert re.search(r'<option value="sme" selected>', html)
    assert MembershipApplication.objects.count() == 0


def test_apply_logo_that_is_not_an_image_is_refused_by_content(client, applicant):
    client.force_login(applicant)
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client.post("/network/apply/", form_data(org_logo=fake))
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "org_logo": ["This file is not an image we can read. Upload a PNG, JPEG or WebP file."]
    }
    assert 'value="Lumina Media Labs"' in response.content.decode()
    assert MembershipApplication.objects.count() == 0


def test_apply_logo_too_large_is_refused(client, applicant):
    client.force_login(applicant)
    big = png_upload(size=(700, 700), noise=True)
    assert big.size > 1024 * 1024
    response = client.post("/network/apply/", form_data(org_logo=big))
    assert response.status_code == 422
    (error,) = response.context["form"].errors["org_logo"]
    assert error.startswith("The file is 1.")
    assert error.endswith("the limit is 1.0\xa0MB.")


def test_apply_with_a_logo_and_a_ror_url_stores_both(client, applicant):
    client.force_login(applicant)
    response = client.post(
        "/network/apply/",
        form_data(org_logo=png_upload(), org_ror_id="https://ror.org/04dkp9463"),
    )
    application = MembershipApplication.objects.get()
    assert response.status_code == 302
    assert application.org_ror_id == "04dkp9463"
    assert application.org_logo.name.startswith("network/application-logos/")


def test_apply_needs_sign_in(client):
    response = client.get("/network/apply/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_apply_double_submit_creates_one_application_and_one_receipt(
    client, applicant, manager, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    data = form_data()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/network/apply/", data)
        second = client.post("/network/apply/", data)
    application = MembershipApplication.objects.get()
    assert first["Location"] == second["Location"] == f"/network/applications/{application.pk}/"
    assert application.status == S.SUBMITTED
    assert application.history.count() == 2  # created, submitted
    assert sorted(m.to[0] for m in mail.outbox) == sorted([applicant.email, manager.email])


def test_apply_save_draft_then_submit(client, applicant):
    client.force_login(applicant)
    client.post("/network/apply/", form_data(submit=None, save="1"))
    application = MembershipApplication.objects.get()
    assert application.status == S.DRAFT
    page = client.get(f"/network/applications/{application.pk}/").content.decode()
    assert "This is a draft" in page
    client.post(f"/network/applications/{application.pk}/submit/")
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_apply_for_a_listed_organisation(client, applicant):
    listed = OrganisationFactory(name="Radio Baltica", slug="radio-baltica", country="LV")
    client.force_login(applicant)
    page = client.get("/network/apply/?organisation=radio-baltica")
    assert page.context["form"].initial["org_country"] == listed.country
    response = client.post(
        "/network/apply/",
        form_data(organisation="radio-baltica", org_name="Tampered", org_country="LV"),
    )
    assert response.status_code == 302
    application = MembershipApplication.objects.get()
    assert (application.organisation, application.org_name) == (listed, "Radio Baltica")


def test_apply_shows_listed_duplicates_to_the_applicant(client, applicant):
    OrganisationFactory(name="Lumina Media Labs", slug="lumina", website="https://www.lumina.be")
    client.force_login(applicant)
    response = client.get(
        "/network/apply/check/", {"org_name": "Lumina Media Labs", "org_website": "lumina.be"}
    )
    html = response.content.decode()
    assert "Is your organisation already listed?" in html
    assert "same website domain, similar name" in html
    assert 'href="/network/apply/?organisation=lumina"' in html
    client.post("/network/apply/", form_data(org_website="http://lumina.be", submit=None))
    application = MembershipApplication.objects.get()
    page = client.get(f"/network/applications/{application.pk}/").content.decode()
    assert "Is your organisation already listed?" in page


# --- Seeing only one's own ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("get", "edit/"),
        ("post", "edit/"),
        ("post", "submit/"),
        ("post", "resubmit/"),
        ("post", "withdraw/"),
        ("post", "start-review/"),
        ("post", "request-information/"),
        ("post", "approve/"),
        ("post", "reject/"),
    ],
)
def test_guessed_application_id_is_not_found(client, method, path):
    theirs = ApplicationFactory(status=S.SUBMITTED)
    client.force_login(UserFactory())
    response = getattr(client, method)(f"/network/applications/{theirs.pk}/{path}")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == S.SUBMITTED


def test_nonexistent_application_is_not_found_either(client, applicant):
    client.force_login(applicant)
    assert client.get("/network/applications/999999/").status_code == 404


def test_managers_do_not_see_drafts(client, manager):
    draft = ApplicationFactory()
    client.force_login(manager)
    assert client.get(f"/network/applications/{draft.pk}/").status_code == 404


# --- The manager's page ------------------------------------------------------------------------


def test_manager_sees_duplicates_and_decision_forms(client, manager):
    listed = OrganisationFactory(name="Synthetica AI GmbH", website="https://synthetica.ai")
    application = ApplicationFactory(
        org_name="Synthetica AI", org_website="https://www.synthetica.ai", status=S.UNDER_REVIEW
    )
    application.possible_duplicates.set([listed])
    client.force_login(manager)
    response = client.get(f"/network/applications/{application.pk}/")
    html = response.content.decode()
    assert "Possible duplicates" in html
    assert "same website domain, similar name" in html
    assert f'<option value="{listed.pk}">Synthetica AI GmbH</option>' in html
    assert f'action="/network/applications/{application.pk}/approve/"' in html


def test_reject_without_a_message_shows_the_error_beside_the_field(client, manager):
    application = ApplicationFactory(status=S.UNDER_REVIEW)
    client.force_login(manager)
    response = client.post(
        f"/network/applications/{application.pk}/reject/", {"reject-message": ""}
    )
    assert response.status_code == 422
    assert response.context["reject_form"].errors == {"message": ["This field is required."]}
    assert 'id="id_reject-message_error"' in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_decided_application_shows_the_refusal(client, manager):
    application = ApplicationFactory(status=S.APPROVED)
    client.force_login(manager)
    response = client.post(
        f"/network/applications/{application.pk}/reject/", {"reject-message": "Too late"}
    )
    assert response.status_code == 422
    assert response.context["reject_form"].errors == {
        "__all__": ["This application has already been decided: it was approved."]
    }


def test_applicant_cannot_decide_their_own_application(client, applicant):
    application = ApplicationFactory(applicant=applicant, status=S.UNDER_REVIEW)
    client.force_login(applicant)
    response = client.post(f"/network/applications/{application.pk}/approve/", {})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def _queue_item(counter=[0]):  # noqa: B006 - a counter shared by the calls of one test
    counter[0] += 1
    application = ApplicationFactory(
        status=S.SUBMITTED, org_name=f"Queued {counter[0]}", topics=[topic(), topic("ai-act")]
    )
    application.possible_duplicates.set([OrganisationFactory()])
    return application


def test_queue_constant_queries(client, manager):
    client.force_login(manager)
    assert_constant_queries(client, "/network/manage/applications/", _queue_item)


def test_queue_filters_and_sorts(client, manager):
    ApplicationFactory(org_name="Beta", org_country="DE", status=S.SUBMITTED)
    ApplicationFactory(org_name="Alpha", org_country="FR", status=S.UNDER_REVIEW)
    ApplicationFactory(org_name="Gamma", org_country="FR", status=S.APPROVED)
    ApplicationFactory(org_name="Draft", org_country="FR")
    client.force_login(manager)

    def names(query):
        response = client.get("/network/manage/applications/?" + query)
        return [a.org_name for a in response.context["page"].object_list]

    assert names("sort=name") == ["Alpha", "Beta", "Gamma"]
    assert names("sort=-name") == ["Gamma", "Beta", "Alpha"]
    assert names("country=FR&sort=name") == ["Alpha", "Gamma"]
    assert names("status=waiting&sort=name") == ["Alpha", "Beta"]
    assert names("status=approved") == ["Gamma"]
    assert names("q=alp") == ["Alpha"]
    assert names("type=university") == []


def test_queue_flags_possible_duplicates(client, manager):
    _queue_item()
    client.force_login(manager)
    html = client.get("/network/manage/applications/").content.decode()
    assert "possible duplicate" in html


def test_queue_export_csv_content(client, manager):
    first = ApplicationFactory(
        org_name="=cmd|' /C calc'!A0",
        org_country="FR",
        status=S.SUBMITTED,
        topics=[topic("ai-act")],
        benefits=["visibility"],
    )
    ApplicationFactory(org_name="Germany Org", org_country="DE", status=S.SUBMITTED)
    client.force_login(manager)
    response = client.get("/network/manage/applications/export/?country=FR&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["id", "status", "submitted", "organisation"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["id"] == str(first.pk)
    assert row["status"] == "Submitted"
    assert row["organisation"] == "'=cmd|' /C calc'!A0"  # formula injection defused
    assert row["country"] == "FR"
    assert row["applicant"] == first.applicant.email
    assert row["areas of interest"] == "AI Act"
    assert row["benefits sought"] == "Visibility through the network's channels"
    assert row["possible duplicates"] == "0"


def test_queue_export_xlsx(client, manager):
    ApplicationFactory(status=S.SUBMITTED)
    client.force_login(manager)
    response = client.get("/network/manage/applications/export/?format=xlsx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


# --- Directory ---------------------------------------------------------------------------------


def _names(client, query=""):
    response = client.get("/network/" + ("?" + query if query else ""))
    assert response.status_code == 200
    return [organisation.name for organisation in response.context["page"].object_list]


@pytest.fixture
def directory(db):
    OrganisationFactory(
        name="Università di Valdadige",
        type=OrganisationType.UNIVERSITY,
        country="IT",
        city="Trento",
        role=NetworkRole.CONSORTIUM_PARTNER,
        role__since=date(2020, 9, 1),
        topics=[topic("computer-vision")],
    )
    OrganisationFactory(
        name="Helix Vision Ltd",
        short_name="Helix",
        type=OrganisationType.SME,
        country="GB",
        description="Deepfake detection for broadcasters.",
        role__since=date(2023, 4, 1),
        topics=[topic("synthetic-media-and-deepfake-detection")],
    )
    OrganisationFactory(
        name="Radio Baltica",
        type=OrganisationType.MEDIA,
        country="LV",
        role=NetworkRole.OPEN_CALL_BENEFICIARY,
        role__since=date(2024, 2, 1),
    )
    OrganisationFactory(name="Not A Member Yet", role=False)


def test_directory_lists_members_only_by_name(client, directory):
    assert _names(client) == ["Helix Vision Ltd", "Radio Baltica", "Università di Valdadige"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=valdadige", ["Università di Valdadige"]),
        ("q=universita", ["Università di Valdadige"]),  # without the accent
        ("q=Univ+Vald", ["Università di Valdadige"]),  # prefixes of every word
        ("q=helix", ["Helix Vision Ltd"]),
        ("q=deepfake", ["Helix Vision Ltd"]),  # the description
        ("q=detecting", ["Helix Vision Ltd"]),  # stemmed like the description
        ("q=trento", ["Università di Valdadige"]),  # the city
        ("q=nothing+like+this", []),
        (
            "q=%28%29%21%3A%2A%26%7C%27",
            ["Helix Vision Ltd", "Radio Baltica", "Università di Valdadige"],
        ),
        ("country=LV", ["Radio Baltica"]),
        ("type=university", ["Università di Valdadige"]),
        ("role=open-call-beneficiary", ["Radio Baltica"]),
        ("role=consortium-partner", ["Università di Valdadige"]),
        ("topic=computer-vision", ["Università di Valdadige"]),
        ("topic=computer-vision&country=GB", []),
        ("sort=-name", ["Università di Valdadige", "Radio Baltica", "Helix Vision Ltd"]),
        ("sort=country", ["Helix Vision Ltd", "Università di Valdadige", "Radio Baltica"]),
        ("sort=newest", ["Radio Baltica", "Helix Vision Ltd", "Università di Valdadige"]),
        ("country=ZZ", ["Helix Vision Ltd", "Radio Baltica", "Università di Valdadige"]),
    ],
)
def test_directory_search_filters_and_sorting(client, directory, query, expected):
    assert _names(client, query) == expected


def test_directory_search_ranks_names_before_descriptions(client, directory):
    OrganisationFactory(name="Other Lab", description="We do vision research.")
    OrganisationFactory(name="Vision Archive", description="Archives.")
    names = _names(client, "q=vision")
    assert sorted(names[:2]) == ["Helix Vision Ltd", "Vision Archive"]
    assert names[2:] == ["Other Lab"]


def test_directory_paginates_by_24_with_canonical_urls(client, db):
    for n in range(30):
        OrganisationFactory(name=f"Member {n:02d}", country="FR")
    response = client.get("/network/?country=FR&page=2")
    assert len(response.context["page"].object_list) == 6
    html = response.content.decode()
    assert '<link rel="canonical" href="/network/?country=FR&amp;page=2">' in html
    assert 'href="?country=FR&amp;page=1" rel="prev"' in html


def test_directory_constant_queries(client, db):
    assert_constant_queries(
        client,
        "/network/?q=member",
        lambda: OrganisationFactory(name="Member organisation", topics=[topic(), topic("ai-act")]),
    )


def test_directory_has_the_call_to_action_and_the_numbers_link(client, db):
    html = client.get("/network/").content.decode()
    assert 'href="/network/apply/"' in html
    assert 'href="/network/numbers/"' in html


def test_organisation_page_shows_the_profile(client, directory):
    organisation = Organisation.objects.get(name="Helix Vision Ltd")
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert '<h1 class="mb-1">Helix Vision Ltd' in html
    assert "Deepfake detection for broadcasters." in html
    assert "Associate member" in html
    assert "Edit profile" not in html


def test_organisation_page_unknown_slug_404(client, db):
    assert client.get("/network/organisations/nobody/").status_code == 404


def test_organisation_page_shows_sections_from_other_pillars(client, directory, monkeypatch):
    from network import sections

    class Outputs:
        @staticmethod
        def sections(organisation):
            return [sections.Section("Publications", "network/terms.html", {"n": 1})]

    monkeypatch.setattr(sections, "pillar_modules", lambda name: [("outputs", Outputs)])
    organisation = Organisation.objects.get(name="Radio Baltica")
    response = client.get(organisation.get_absolute_url())
    assert [s.title for s in response.context["sections"]] == ["Publications"]


# --- Editing an organisation -------------------------------------------------------------------


def test_contact_edits_profile_bad_input_kept(client):
    contact = ContactFactory(organisation__name="Helix Vision Ltd")
    client.force_login(contact.user)
    url = f"/network/organisations/{contact.organisation.slug}/edit/"
    data = {
        "name": "Helix Vision Limited",
        "type": "sme",
        "country": "GB",
        "website": "https://helix.example",
        "ror_id": "bad",
        "description": "Our new description.",
        "contact_email": "",
        "areas_of_interest": [topic().pk],
    }
    response = client.post(url, data)
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["ror_id"]
    assert "Our new description.</textarea>" in response.content.decode()
    data["ror_id"] = "04dkp9463"
    data["logo"] = png_upload()
    response = client.post(url, data)
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=contact.organisation.pk)
    assert (organisation.name, organisation.ror_id) == ("Helix Vision Limited", "04dkp9463")
    assert organisation.logo.name.startswith("network/logos/")


def test_stranger_cannot_edit_an_organisation(client, db):
    organisation = OrganisationFactory()
    client.force_login(UserFactory())
    assert client.get(f"/network/organisations/{organisation.slug}/edit/").status_code == 403


# --- Network in numbers ------------------------------------------------------------------------


def test_numbers_count_members_by_country_type_year_and_role(client, db):
    OrganisationFactory(country="IT", type="university", role__since=date(2020, 9, 1))
    OrganisationFactory(country="IT", type="sme", role__since=date(2022, 3, 1))
    OrganisationFactory(country="FR", type="sme", role__since=date(2022, 5, 1))
    OrganisationFactory(role=False)  # not a member: not counted
    response = client.get("/network/numbers/")
    charts = {
        chart.id: [(bar.label, bar.value) for bar in chart.bars]
        for chart in response.context["charts"]
    }
    assert charts["by-country"] == [("Italy", 2), ("France", 1)]
    assert charts["by-type"] == [("SME", 2), ("University", 1)]
    assert charts["by-year"] == [("2020", 1), ("2021", 0), ("2022", 2)]
    assert charts["by-role"] == [("Associate member", 3)]
    assert response.context["total"] == 3
    html = response.content.decode()
    assert html.count("<svg") == 4
    assert "<caption>Members by country</caption>" in html
    assert '<th scope="row">Italy</th><td class="text-end">2</td>' in html


# --- Dashboard ---------------------------------------------------------------------------------


def test_dashboard_panels(client, manager):
    contact = ContactFactory(organisation__name="Helix Vision Ltd")
    ApplicationFactory(applicant=contact.user, org_name="My Other Org", status=S.SUBMITTED)
    client.force_login(contact.user)
    html = client.get("/me/").content.decode()
    assert "Your organisations" in html
    assert f'href="/network/organisations/{contact.organisation.slug}/edit/"' in html
    assert "Your membership applications" in html
    assert "My Other Org" in html
    # The applicant sees each application's history there, with the managers' questions.
    application = ApplicationFactory(applicant=contact.user, status=S.UNDER_REVIEW)
    application.history.create(
        from_status=S.UNDER_REVIEW, to_status=S.INFORMATION_REQUESTED, message="Which projects?"
    )
    html = client.get("/me/").content.decode()
    assert "More information requested: <q>Which projects?</q>" in html
    client.force_login(manager)
    html = client.get("/me/").content.decode()
    assert "2 applications are waiting for a network manager." in html


# --- The whole journey -------------------------------------------------------------------------


def test_journey_apply_information_resubmit_approve_listed_and_editable(
    client, applicant, manager, django_capture_on_commit_callbacks
):
    # The applicant applies.
    client.force_login(applicant)
    token = client.get("/network/apply/").context["form"].initial["form_token"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/network/apply/", form_data(form_token=str(token)))
    application = MembershipApplication.objects.get()
    assert response["Location"] == f"/network/applications/{application.pk}/"
    assert client.get(response["Location"]).context["application"].status == S.SUBMITTED

    # The manager finds it in the queue, reviews and asks for more information.
    client.force_login(manager)
    assert "Lumina Media Labs" in client.get("/network/manage/applications/").content.decode()
    client.post(f"/network/applications/{application.pk}/start-review/")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/network/applications/{application.pk}/request-information/",
            {"request-message": "Which newsrooms use your tools?"},
        )
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    assert "Which newsrooms use your tools?" in mail.outbox[0].body

    # The applicant sees the question, edits and sends it back.
    client.force_login(applicant)
    edit = client.get(f"/network/applications/{application.pk}/edit/")
    assert "Which newsrooms use your tools?" in edit.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/network/applications/{application.pk}/edit/",
            form_data(motivation="Three newsrooms in Flanders use our tools."),
        )
    application.refresh_from_db()
    assert application.status == S.RESUBMITTED
    assert application.motivation == "Three newsrooms in Flanders use our tools."
    assert mail.outbox[-1].to == [manager.email]

    # The manager approves.
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/network/applications/{application.pk}/approve/",
            {"approve-message": "Welcome aboard!"},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.APPROVED
    assert (
        mail.outbox[-1].subject == "[AI4Media] Welcome to the AI4Media network, Lumina Media Labs"
    )

    # The applicant's dashboard shows the history.
    client.force_login(applicant)
    page = client.get(f"/network/applications/{application.pk}/").content.decode()
    for label in ["Draft", "Submitted", "Under review", "More information requested",
                  "Resubmitted", "Approved"]:  # fmt: skip
        assert label in page
    assert "Welcome aboard!" in page

    # Anybody finds the organisation in the directory.
    client.logout()
    assert _names(client, "q=lumina") == ["Lumina Media Labs"]
    organisation = Organisation.objects.get()
    assert client.get(organisation.get_absolute_url()).status_code == 200

    # Its new contact edits its public profile.
    client.force_login(applicant)
    url = f"/network/organisations/{organisation.slug}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Lumina Media Labs",
            "short_name": "Lumina",
            "type": "sme",
            "country": "BE",
            "city": "Ghent",
            "website": "https://luminalabs.example.be",
            "description": "Now with a better description.",
            "areas_of_interest": [topic("generative-ai").pk],
        },
    )
    assert response.status_code == 302
    assert (
        "Now with a better description."
        in client.get(organisation.get_absolute_url()).content.decode()
    )
