from django.apps import apps
from django.contrib import admin

TANDEM_APPS = {
    "accounts",
    "activity",
    "strategy",
    "okrs",
    "roadmaps",
    "conflicts",
    "reviews",
    "sources",
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
