"""Getting in and out, and where a person lands."""

from django.urls import reverse

from tandem.accounts.models import AccessEvent, AccessKind, Member, Role, Workspace
from tandem.accounts.services import user_create
from tests.conftest import PASSWORD


def test_login_by_email_lands_on_the_first_workspace(owner, client):
    response = client.post(
        reverse("login"), {"login": "Olivia@Acme.test", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/w/acme-test/"
    assert "Olivia Owner" in response.content.decode()


def test_login_page_has_labelled_email_and_password(db, client):
    html = client.get(reverse("login")).content.decode()
    assert '<label for="id_login">Email</label>' in html
    assert 'type="email"' in html
    assert '<label for="id_password">Password</label>' in html
    assert "csrfmiddlewaretoken" in html


def test_bad_credentials_say_so_and_log_nobody_in(owner, client):
    response = client.post(reverse("login"), {"login": owner.user.email, "password": "nope"})
    assert response.status_code == 200
    assert "That email and password do not match an account." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_is_csrf_protected(owner):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"login": owner.user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "nothing was changed" in response.content.decode()


def test_login_honours_next(owner, client):
    target = reverse("okr_list", kwargs={"workspace": "acme-test"})
    response = client.post(
        f"{reverse('login')}?next={target}",
        {"login": owner.user.email, "password": PASSWORD, "next": target},
    )
    assert response["Location"] == target


def test_logout_is_a_post_and_ends_the_session(owner, client_as):
    client = client_as(owner)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You are logged out." in response.content.decode()
    assert AccessEvent.objects.filter(kind=AccessKind.SIGN_OUT, actor=owner.user).exists()
    assert client.get(reverse("dashboard", kwargs={"workspace": "acme-test"})).status_code == 302


def test_user_without_workspace_is_offered_to_create_one(db, client):
    user = user_create(email="new@example.test", password=PASSWORD, name="Nina New")
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Create your workspace" in html
    assert '<label for="id_name">Name</label>' in html


def test_creating_a_workspace_makes_the_user_its_owner(db, client):
    user = user_create(email="new@example.test", password=PASSWORD, name="Nina New")
    client.force_login(user)
    response = client.post(
        reverse("workspace_create"), {"name": "Initech", "slug": ""}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/w/initech/"
    assert "Workspace “Initech” is ready." in response.content.decode()
    assert Member.objects.get(workspace__slug="initech").role == Role.OWNER


def test_workspace_form_names_the_bad_field_and_writes_nothing(owner, client_as):
    client = client_as(owner)
    before = Workspace.objects.count()
    html = client.post(reverse("workspace_create"), {"name": "", "slug": ""}).content.decode()
    assert 'id="id_name_error"' in html
    assert "This field is required." in html
    html = client.post(
        reverse("workspace_create"), {"name": "Acme again", "slug": "acme-test"}
    ).content.decode()
    assert 'id="id_slug_error"' in html
    assert "This web address is not available; choose another one." in html
    html = client.post(
        reverse("workspace_create"), {"name": "X", "slug": "no spaces"}
    ).content.decode()
    assert 'id="id_slug_error"' in html
    assert Workspace.objects.count() == before
