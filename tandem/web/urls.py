"""Every page of the web interface. Workspace pages take the workspace slug as `workspace`
and objects as `<entity>_id`; the tenancy test walks these patterns by those names."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from tandem.strategy import views as strategy
from tandem.web import members, tokens, views
from tandem.web.forms import EmailLoginForm

login = auth_views.LoginView.as_view(
    template_name="web/login.html",
    authentication_form=EmailLoginForm,
    redirect_authenticated_user=True,
)

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", login, name="login"),
    path("logout/", views.Logout.as_view(), name="logout"),
    path("workspaces/new/", views.workspace_new, name="workspace_create"),
    path("settings/tokens/", tokens.token_list, name="token_list"),
    path("settings/tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("invitations/<str:token>/", members.invitation_accept, name="invitation_accept"),
    path("w/<slug:workspace>/", views.dashboard, name="dashboard"),
    path("w/<slug:workspace>/", include("tandem.web.settings_urls")),
    path("w/<slug:workspace>/okrs/", include("tandem.okrs.urls")),
    path("w/<slug:workspace>/roadmap/", include("tandem.roadmaps.urls")),
    path("w/<slug:workspace>/strategy/", strategy.strategy_overview, name="strategy"),
    path("w/<slug:workspace>/conflicts/", include("tandem.conflicts.urls")),
    path("w/<slug:workspace>/reviews/", include("tandem.reviews.urls")),
    path("", include("tandem.activity.urls")),
    path("calendar/", include("tandem.reviews.calendar_urls")),
]
