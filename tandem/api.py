"""The REST API: one NinjaAPI at /api/, each app's router mounted under /api/v1/.

OpenAPI at /api/openapi.json, interactive docs at /api/docs (Swagger UI from ninja's
bundled static files, nothing from a CDN).
"""

from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Swagger

from tandem.accounts.api import router as accounts_router
from tandem.accounts.api_access import router as access_router
from tandem.activity.api import router as activity_router
from tandem.conflicts.api import router as conflicts_router
from tandem.core import preconditions
from tandem.core.api import BearerToken, BrowserSession, JsonBody, install_error_handlers
from tandem.core.ratelimit import PerUserRateLimit
from tandem.integrations.api import router as integrations_router
from tandem.okrs.api import router as okrs_router
from tandem.plans.api import PlanRefused, invalid_plan
from tandem.plans.api import router as plans_router
from tandem.plans.import_api import router as imports_router
from tandem.reviews.api import router as reviews_router
from tandem.roadmaps.api import router as roadmaps_router
from tandem.scenarios.api import router as scenarios_router
from tandem.search.api import router as search_router
from tandem.sources.api import router as sources_router
from tandem.strategy.api import router as strategy_router
from tandem.web.middleware import POLICY

# Swagger UI styles its widgets with inline style attributes; only this page gets them.
DOCS_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def _docs_policy(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        # The CSP middleware only sets the header when the response has none.
        response["Content-Security-Policy"] = DOCS_POLICY
        return response

    return wrapper


api = preconditions.TandemAPI(
    title="Tandem API",
    version="1",
    description=(
        "OKRs and roadmap, in tandem. Authenticate with a personal API token "
        "(`Authorization: Bearer tdm_...`, made with `tandem token create` or in settings) "
        "or, from the browser, with your session and its CSRF token."
    ),
    urls_namespace="api",
    # Swagger UI would otherwise send our schema's URL to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
    auth=[BearerToken(), BrowserSession()],
    throttle=[PerUserRateLimit()],
    docs_decorator=_docs_policy,
    parser=JsonBody(),
)
install_error_handlers(api)
preconditions.install(api)

api.add_router("/v1/", accounts_router)
api.add_router("/v1/", access_router)
api.add_router("/v1/", strategy_router)
api.add_router("/v1/", roadmaps_router)
api.add_router("/v1/", okrs_router)
api.add_router("/v1/", conflicts_router)
api.add_router("/v1/", scenarios_router)
api.add_router("/v1/", reviews_router)
api.add_router("/v1/", activity_router)
api.add_router("/v1/", plans_router)
api.add_router("/v1/", sources_router)
api.add_router("/v1/", integrations_router)
api.add_router("/v1/", imports_router)
api.add_router("/v1/", search_router)
api.add_exception_handler(PlanRefused, partial(invalid_plan, api=api))
