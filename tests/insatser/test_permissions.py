"""Every URL of the applications app × every role, with the expected status code.

Roles: the kansli, a board member (ordförande), staff of the lead party, staff of the
co-applying party, staff of an unrelated party, an auditor and an anonymous visitor.
"302" is a successful redirect after a POST; "login" is the redirect to the login page.
Applications another role may not read answer 404, so their existence is not revealed.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forbund.models import RoleAssignment
from insatser import permissions, services
from insatser.models import Application
from tests.factories.forbund import BoardSeatFactory, PartyFactory, RoleAssignmentFactory
from tests.factories.insatser import ApplicationFactory, lead_staff, office_user, staff_of

ROLES = ["office", "board", "lead", "co", "other", "auditor", "anon"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(db, with_mfa):
    kumla = PartyFactory(name="Kumla kommun")
    af = PartyFactory(af=True)
    users = {
        "office": with_mfa(office_user()),
        "board": with_mfa(
            BoardSeatFactory(party=PartyFactory(name="Hallsbergs kommun"), office="chair").user
        ),
        "lead": staff_of(kumla),
        "co": staff_of(af),
        "other": staff_of(PartyFactory(name="Laxå kommun")),
        "auditor": with_mfa(
            RoleAssignmentFactory(
                role=RoleAssignment.Role.AUDITOR, party=PartyFactory(region=True)
            ).user
        ),
        "anon": None,
    }

    def make(state):
        application = ApplicationFactory(lead_party=kumla)
        services.attachment_add(
            application=application,
            upload=SimpleUploadedFile("underlag.pdf", PDF),
            by=users["lead"],
        )
        co = services.co_applicant_invite(application=application, party=af, by=users["lead"])
        if state == "draft":
            return application
        services.co_applicant_respond(co_applicant=co, confirm=True, comment="", by=users["co"])
        services.application_submit(application=application, by=users["lead"])
        if state == "submitted":
            return application
        services.application_start_preparation(application=application, by=users["office"])
        if state == "in_preparation":
            return application
        services.application_propose(
            application=application,
            recommendation="bevilja",
            reasoning="Bra.",
            conditions="",
            amounts={2027: 1000},
            by=users["office"],
        )
        if state == "on_agenda":
            from datetime import timedelta

            from django.utils import timezone

            from insatser import services_meetings

            meeting = services_meetings.meeting_create(
                held_on=timezone.localdate() + timedelta(days=14), place="Kumla", by=users["office"]
            )
            services_meetings.agenda_add_proposal(
                meeting=meeting, application=application, by=users["office"]
            )
            services_meetings.meeting_send_notice(meeting=meeting, by=users["office"])
        return application

    return {"users": users, "make": make}


def _row(office, board, lead, co, other, auditor, anon="login"):
    return dict(zip(ROLES, [office, board, lead, co, other, auditor, anon], strict=True))


# (url name, application state or None, method, expected codes per role)
MATRIX = [
    ("list", None, "get", _row(200, 200, 200, 200, 200, 200)),
    ("create", None, "get", _row(403, 403, 200, 200, 200, 403)),
    ("detail", "draft", "get", _row(404, 404, 200, 200, 404, 404)),
    ("detail", "submitted", "get", _row(200, 404, 200, 200, 404, 200)),
    # The board reads a proposal once it is on the agenda of a meeting it has been called to.
    ("detail", "proposed", "get", _row(200, 404, 200, 200, 404, 200)),
    ("detail", "on_agenda", "get", _row(200, 200, 200, 200, 404, 200)),
    ("edit", "draft", "get", _row(404, 404, 200, 200, 404, 404)),
    ("edit", "submitted", "get", _row(403, 404, 403, 403, 404, 403)),
    ("budget", "draft", "get", _row(404, 404, 200, 200, 404, 404)),
    ("budget", "in_preparation", "get", _row(403, 404, 403, 403, 404, 403)),
    ("co_funding", "draft", "get", _row(404, 404, 200, 200, 404, 404)),
    ("co_funding", "submitted", "get", _row(403, 404, 403, 403, 404, 403)),
    ("parties", "draft", "get", _row(404, 404, 200, 200, 404, 404)),
    ("parties", "submitted", "get", _row(403, 404, 403, 403, 404, 403)),
    ("party_remove", "draft", "post", _row(404, 404, 302, 403, 404, 404)),
    ("respond", "draft", "get", _row(404, 404, 403, 200, 404, 404)),
    ("respond", "submitted", "get", _row(403, 404, 403, 403, 404, 403)),
    ("attachments", "draft", "get", _row(404, 404, 200, 200, 404, 404)),
    ("attachments", "submitted", "get", _row(200, 404, 200, 200, 404, 200)),
    ("attachment", "draft", "get", _row(404, 404, 200, 200, 404, 404)),
    ("attachment", "proposed", "get", _row(200, 404, 200, 200, 404, 200)),
    ("attachment", "on_agenda", "get", _row(200, 200, 200, 200, 404, 200)),
    ("attachment_remove", "draft", "post", _row(404, 404, 302, 302, 404, 404)),
    ("attachment_remove", "submitted", "post", _row(403, 404, 403, 403, 404, 403)),
    ("submit", "draft", "get", _row(404, 404, 200, 403, 404, 404)),
    ("submit", "submitted", "get", _row(403, 404, 403, 403, 404, 403)),
    ("withdraw", "submitted", "get", _row(403, 404, 200, 403, 404, 403)),
    ("withdraw", "proposed", "get", _row(403, 404, 200, 403, 404, 403)),
    ("comment", "submitted", "post", _row(302, 404, 302, 302, 404, 403)),
    ("start_preparation", "submitted", "post", _row(302, 404, 403, 403, 404, 403)),
    ("request_completion", "submitted", "get", _row(200, 404, 403, 403, 404, 403)),
    ("propose", "in_preparation", "get", _row(200, 404, 403, 403, 404, 403)),
    ("reopen", "proposed", "post", _row(302, 404, 403, 403, 404, 403)),
    ("version", "submitted", "get", _row(200, 404, 200, 200, 404, 200)),
]


def _url(name, application):
    if application is None:
        return reverse(f"insatser:{name}")
    kwargs = {"pk": application.pk}
    if name in {"party_remove", "respond"}:
        kwargs["co_pk"] = application.co_applicants.get().pk
    if name in {"attachment", "attachment_remove"}:
        kwargs["attachment_pk"] = application.attachments.get().pk
    if name == "version":
        kwargs["number"] = 1
    return reverse(f"insatser:{name}", kwargs=kwargs)


POST_DATA = {"comment": {"text": "En fråga."}}


@pytest.mark.parametrize(
    ("name", "state", "method", "role", "expected"),
    [
        pytest.param(name, state, method, role, codes[role], id=f"{name}-{state}-{role}")
        for name, state, method, codes in MATRIX
        for role in ROLES
    ],
)
def test_permission_matrix(client, world, name, state, method, role, expected):
    application = world["make"](state) if state else None
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = _url(name, application)
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, POST_DATA.get(name, {}))
    if expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, (name, state, role)
        if expected == 302:
            assert not response.url.startswith(reverse("account_login"))


def test_every_url_of_the_app_is_in_the_matrix():
    """A new URL must be added to the matrix before it can ship."""
    from insatser.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {name for name, *_ in MATRIX}


@pytest.mark.django_db
def test_co_applicant_sees_a_draft_only_once_invited():
    application = ApplicationFactory()
    af = PartyFactory(af=True)
    af_staff = staff_of(af)
    assert not permissions.can_view_application(af_staff, application)
    assert application not in permissions.visible_applications(af_staff)
    services.co_applicant_invite(application=application, party=af, by=lead_staff(application))
    application = Application.objects.prefetch_related("co_applicants").get(pk=application.pk)
    assert permissions.can_view_application(af_staff, application)
    assert application in permissions.visible_applications(af_staff)


@pytest.mark.django_db
def test_office_and_auditors_never_see_drafts_in_lists(with_mfa):
    draft = ApplicationFactory()
    submitted = ApplicationFactory(submitted=True)
    office = office_user()
    auditor = RoleAssignmentFactory(role="auditor", party=PartyFactory(region=True)).user
    for user in (office, auditor):
        visible = set(permissions.visible_applications(user))
        assert submitted in visible and draft not in visible


@pytest.mark.django_db
def test_attachment_is_served_with_its_type_and_not_cached(client):
    application = ApplicationFactory()
    staff = lead_staff(application)
    attachment = services.attachment_add(
        application=application, upload=SimpleUploadedFile("budget.pdf", PDF), by=staff
    )
    client.force_login(staff)
    response = client.get(
        reverse(
            "insatser:attachment", kwargs={"pk": application.pk, "attachment_pk": attachment.pk}
        )
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF
    assert not attachment.file.name.startswith(("static", "/"))
    assert "budget" not in attachment.file.name
