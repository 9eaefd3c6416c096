"""How dense the pages are drawn, a view setting of this browser (not data): `?density=`
compact or comfortable on any page switches it and a cookie remembers it; and which
objectives of the OKR list are folded (a cookie that okrs.js keeps as they are toggled, so
the page is drawn folded from the start)."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse

DENSITY_COOKIE = "tandem_density"
DENSITIES = ("comfortable", "compact")
FOLDED_COOKIE = "tandem_folded"
YEAR = 365 * 24 * 3600


def density_of(request: HttpRequest) -> str:
    chosen = request.GET.get("density")
    if chosen in DENSITIES:
        return chosen
    remembered = request.COOKIES.get(DENSITY_COOKIE)
    return remembered if remembered in DENSITIES else "comfortable"


def density_toggle_url(request: HttpRequest) -> str:
    """This page in the other density, its other parameters kept."""
    other = "comfortable" if density_of(request) == "compact" else "compact"
    query = [(k, v) for k, v in request.GET.items() if k != "density"]
    return f"{request.path}?{urlencode([*query, ('density', other)])}"


def folded_objectives(request: HttpRequest) -> frozenset[int]:
    """Ids of the objectives folded on the OKR list ("12.40.41"); anything else ignored."""
    raw = request.COOKIES.get(FOLDED_COOKIE, "")
    return frozenset(
        int(part) for part in raw.split(".")[:500] if part.isdigit() and len(part) < 10
    )


class DisplayPreferences:
    """Remembers a density chosen with `?density=` for the pages that follow."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        chosen = request.GET.get("density")
        if chosen in DENSITIES and request.COOKIES.get(DENSITY_COOKIE) != chosen:
            response.set_cookie(
                DENSITY_COOKIE,
                chosen,
                max_age=YEAR,
                samesite="Lax",
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
