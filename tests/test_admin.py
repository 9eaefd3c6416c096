from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory

from tests import factories

TANDEM_APPS = {
    "accounts",
    "activity",
    "strategy",
    "okrs",
    "roadmaps",
    "conflicts",
    "reviews",
    "plans",
}


def test_every_model_is_in_the_admin():
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in TANDEM_APPS and model not in admin.site._registry
    ]
    assert missing == []


def test_every_admin_page_opens_for_staff(admin_client, owner):
    for model in admin.site._registry:
        if model._meta.app_label not in TANDEM_APPS:
            continue
        opts = model._meta
        response = admin_client.get(f"/admin/{opts.app_label}/{opts.model_name}/")
        assert response.status_code == 200, opts.label


PLAN_APPS = {"strategy", "okrs", "roadmaps", "conflicts", "reviews"}


def test_plan_models_are_read_only_even_for_superusers(admin_client, owner):
    """The plan is written through its services (rules, roles, ChangeEvents, detection):
    the admin shows it and changes nothing."""
    objective = factories.make_objective(owner, title="Grow")
    page = admin_client.get(f"/admin/okrs/objective/{objective.pk}/change/")
    assert b"View objective" in page.content and b'name="_save"' not in page.content
    refused = admin_client.post(f"/admin/okrs/objective/{objective.pk}/change/", {"title": "X"})
    assert refused.status_code == 403
    objective.refresh_from_db()
    assert objective.title == "Grow"
    request = RequestFactory().get("/admin/")
    request.user = owner.user
    owner.user.is_superuser = owner.user.is_staff = True
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PLAN_APPS:
            continue
        allowed = [
            model_admin.has_add_permission(request),
            model_admin.has_change_permission(request),
            model_admin.has_delete_permission(request),
        ]
        assert allowed == [False, False, False], model._meta.label
