"""The provider's endpoints (django-oauth-toolkit's, under /o/) and a test-only sign-in."""

from django.contrib.auth import get_user_model, login
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import include, path
from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """The claims a company directory would give: the address, and whether it is verified
    (people put in the group "unverified" are not)."""

    oidc_claim_scope = None

    def get_additional_claims(self, request):  # type: ignore[no-untyped-def]
        user = request.user
        return {
            "email": user.email,
            "email_verified": not user.groups.filter(name="unverified").exists(),
            "name": user.first_name,
        }


def sign_in_as(request: HttpRequest) -> HttpResponse:
    """Stands in for the provider's own login form: signs in the person named in the
    query (creating them) and goes on to `next`."""
    email = request.GET["email"]
    user, _ = get_user_model().objects.get_or_create(
        username=email, defaults={"email": email, "first_name": request.GET.get("name", "")}
    )
    unverified = Group.objects.get_or_create(name="unverified")[0]
    if request.GET.get("verified") == "no":
        user.groups.add(unverified)
    else:
        user.groups.remove(unverified)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponseRedirect(request.GET["next"])


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("sign-in-as/", sign_in_as),
]
