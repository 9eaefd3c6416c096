"""Every page of the web interface. Workspace pages take the workspace slug as `workspace`
and objects as `<entity>_id`; the tenancy test walks these patterns by those names."""

from allauth.account import views as allauth_views
from allauth.urls import build_provider_urlpatterns
from django.urls import include, path

from tandem.web.views import access_log, executive, home, members, tokens

urlpatterns = [
    path("", home.home, name="home"),
    # allauth's sign-in under the name the templates and `next` links have always used.
    path("login/", allauth_views.login, name="login"),
    path("logout/", home.Logout.as_view(), name="logout"),
    # allauth: sign-up, password reset and change, two-factor, single sign-on, sessions
    # (its own URL list less the redirects it keeps for old social/ addresses).
    path("", include("allauth.account.urls")),
    path("2fa/", include("allauth.mfa.urls")),
    path("3rdparty/", include("allauth.socialaccount.urls")),
    path("", include(build_provider_urlpatterns())),
    path("sessions/", include("allauth.usersessions.urls")),
    path("workspaces/new/", home.workspace_new, name="workspace_create"),
    path("settings/tokens/", tokens.token_list, name="token_list"),
    path("settings/tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("workspaces/demo/", home.demo_copy, name="demo_copy"),
    path("workspaces/demo/<slug:workspace>/", home.demo_copy_wait, name="demo_copy_wait"),
    path("invitations/<str:token>/", members.invitation_accept, name="invitation_accept"),
    path("w/<slug:workspace>/", home.dashboard, name="dashboard"),
    path("w/<slug:workspace>/executive/", executive.executive, name="executive_overview"),
    path("w/<slug:workspace>/", include("tandem.web.settings_urls")),
    path("w/<slug:workspace>/access-log/", access_log.access_log, name="access_log"),
    path(
        "w/<slug:workspace>/two-factor/",
        access_log.workspace_two_factor,
        name="workspace_two_factor",
    ),
    path("w/<slug:workspace>/okrs/", include("tandem.okrs.urls")),
    path("w/<slug:workspace>/okrs/key-results/", include("tandem.sources.urls")),
    path("w/<slug:workspace>/roadmap/", include("tandem.roadmaps.urls")),
    path("w/<slug:workspace>/strategy/", include("tandem.strategy.urls")),
    path("w/<slug:workspace>/conflicts/", include("tandem.conflicts.urls")),
    path("w/<slug:workspace>/scenarios/", include("tandem.scenarios.urls")),
    path("w/<slug:workspace>/reviews/", include("tandem.reviews.urls")),
    path("w/<slug:workspace>/import/", include("tandem.plans.urls")),
    path("w/<slug:workspace>/search/", include("tandem.search.urls")),
    path("w/<slug:workspace>/plan/", include("tandem.plans.plan_urls")),
    path("", include("tandem.activity.urls")),
    path("", include("tandem.integrations.urls")),
    path("calendar/", include("tandem.reviews.calendar_urls")),
]
