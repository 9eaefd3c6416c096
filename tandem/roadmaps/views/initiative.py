"""The initiative page (edit, Markdown description, contributions, dependencies, evidence)
and the forms that create roadmaps and initiatives and link them to key results."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.accounts.models import Role
from tandem.activity.models import ChangeEvent
from tandem.conflicts.badges import conflict_badges
from tandem.core.forms import add_service_errors, stale, warn_similar
from tandem.core.tenancy import get_in_workspace_or_404
from tandem.core.versioning import StaleVersion
from tandem.domain.prioritisation import Rice
from tandem.roadmaps import selectors, services
from tandem.roadmaps.forms import ContributionForm, InitiativeForm, RoadmapForm
from tandem.roadmaps.models import Contribution, Dependency, Initiative, Insight, Roadmap
from tandem.strategy.models import Team

FIRST_ROADMAP = "Roadmap"

FIELDS = [
    "title", "roadmap", "status", "horizon", "team", "start_date", "end_date", "effort",
    "reach", "impact", "confidence", "description",
]  # fmt: skip


def _back(request: TandemRequest, default: str) -> str:
    back = request.POST.get("next") or request.GET.get("next") or ""
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return default


def _initiative(request: TandemRequest, initiative_id: int) -> Initiative:
    workspace = request.workspace
    return get_in_workspace_or_404(
        Initiative.objects.select_related("team", "roadmap", "owner__user"),
        workspace,
        pk=initiative_id,
    )


@require_http_methods(["GET", "POST"])
@workspace_view
def roadmap_create(request: TandemRequest) -> HttpResponse:
    workspace, member = request.workspace, request.member
    form = RoadmapForm(request.POST or None, teams=Team.objects.in_workspace(workspace))
    if request.method == "POST" and form.is_valid():
        try:
            roadmap = services.roadmap_create(by=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Roadmap “{roadmap.name}” created.")
            url = reverse("roadmap_board", kwargs={"workspace": workspace.slug})
            return redirect(f"{url}?roadmap={roadmap.pk}")
    return render(request, "roadmaps/roadmap_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@workspace_view
def initiative_create(request: TandemRequest) -> HttpResponse:
    """A new initiative; ?insight=<id> starts it from an insight (title and text prefilled),
    which becomes its evidence once it is created."""
    workspace, member = request.workspace, request.member
    roadmaps = Roadmap.objects.in_workspace(workspace)
    initial = {"roadmap": request.GET.get("roadmap"), "horizon": "later", "status": "idea"}
    insight = _insight(request)
    if insight is not None:
        initial.update(title=insight.title, description=_from_insight(insight))
    form = InitiativeForm(
        request.POST or None,
        initial=initial,
        roadmaps=roadmaps,
        teams=Team.objects.in_workspace(workspace),
    )
    if not roadmaps.exists():
        # A new workspace has no roadmap yet: the first initiative starts one.
        roadmap_field: Any = form.fields["roadmap"]
        roadmap_field.required = False
        roadmap_field.empty_label = f"A new roadmap, “{FIRST_ROADMAP}”"
        roadmap_field.help_text = "This workspace has no roadmap yet; one is created with it."
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"reason", "version"}}
        data["owner"] = member
        try:
            with transaction.atomic():
                if data["roadmap"] is None:
                    data["roadmap"] = services.roadmap_create(name=FIRST_ROADMAP, by=member)
                if insight is None:
                    initiative = services.initiative_create(by=member, **data)
                else:
                    initiative = services.initiative_create_from_insight(
                        insight=insight, by=member, **data
                    )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            evidence = f", with “{insight.title}” as its evidence" if insight else ""
            messages.success(request, f"Initiative “{initiative.title}” created{evidence}.")
            warn_similar(
                request,
                "initiative",
                selectors.similar_initiatives(workspace, initiative.title, exclude=initiative.pk),
            )
            return redirect(
                "initiative_detail", workspace=workspace.slug, initiative_id=initiative.pk
            )
    context = {"form": form, "insight": insight}
    return render(request, "roadmaps/initiative_form.html", context)


def _insight(request: TandemRequest) -> Insight | None:
    wanted = request.POST.get("insight") or request.GET.get("insight")
    if not wanted or not wanted.isdigit():
        return None
    return get_in_workspace_or_404(Insight.objects, request.workspace, pk=wanted)


def _from_insight(insight: Insight) -> str:
    said = " · ".join(part for part in (insight.customer, insight.source) if part)
    origin = f"From the insight “{insight.title}”" + (f" ({said})" if said else "") + "."
    return f"{insight.text.strip()}\n\n{origin}" if insight.text.strip() else origin


@require_http_methods(["GET", "POST"])
@workspace_view
def initiative_detail(request: TandemRequest, initiative_id: int) -> HttpResponse:
    member = request.member
    initiative = _initiative(request, initiative_id)
    form = _edit_form(request, initiative, request.POST or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        changes.pop("reason", None)
        changes.pop("version", None)
        try:
            services.initiative_update(
                initiative=initiative,
                by=member,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                **changes,
            )
        except StaleVersion as error:
            refused = stale(form, error)
            # The form sits low on the page: say it at the top too.
            messages.error(request, "Not saved: someone else changed it meanwhile. See Edit.")
            initiative = _initiative(request, initiative_id)
            form = _edit_form(request, initiative, None)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved." if changes else "Nothing changed.")
            return redirect(request.path)
    context = _detail_context(request, initiative)
    context.update(form=form, stale=refused)
    return render(
        request, "roadmaps/initiative_detail.html", context, status=409 if refused else 200
    )


def _edit_form(request: TandemRequest, initiative: Initiative, data: Any) -> InitiativeForm:
    workspace = request.workspace
    initial = {name: getattr(initiative, name) for name in FIELDS}
    initial["version"] = initiative.version
    return InitiativeForm(
        data,
        initial=initial,
        roadmaps=Roadmap.objects.in_workspace(workspace),
        teams=Team.objects.in_workspace(workspace),
    )


def _detail_context(request: TandemRequest, initiative: Initiative) -> dict[str, Any]:
    workspace = request.workspace
    evidence = selectors.evidence_by_initiative(workspace).get(initiative.pk)
    dependencies = Dependency.objects.in_workspace(workspace).filter(initiative=initiative)
    return {
        "initiative": initiative,
        "rice": Rice(
            initiative.reach,
            float(initiative.impact),
            initiative.confidence,
            float(initiative.effort),
        ),
        "contributions": Contribution.objects.in_workspace(workspace)
        .filter(initiative=initiative)
        .select_related("key_result__objective__cycle"),
        "contribution_form": ContributionForm(
            key_results=selectors.linkable_key_results(workspace).exclude(
                contributions__initiative=initiative
            )
        ),
        "depends_on": dependencies.select_related("depends_on__team"),
        "dependents": Dependency.objects.in_workspace(workspace)
        .filter(depends_on=initiative)
        .select_related("initiative__team"),
        "candidates": Initiative.objects.in_workspace(workspace)
        .exclude(pk=initiative.pk)
        .exclude(status__in=["done", "dropped"])
        .order_by("title")
        .only("id", "title"),
        "insights": initiative.insights.exclude(status="archived").order_by("-importance"),
        "evidence": evidence,
        "badges": conflict_badges(workspace),
        "history": ChangeEvent.objects.in_workspace(workspace)
        .filter(content_type__model="initiative", object_id=str(initiative.pk))
        .select_related("actor", "content_type")
        .order_by("-id")[:15],
        "can_edit": request.member.has_role(Role.EDITOR),
    }


@require_http_methods(["GET", "POST"])
@workspace_view
def contribution_create(request: TandemRequest, initiative_id: int) -> HttpResponse:
    """Link an initiative to a key result. From a card, htmx fetches just the form."""
    workspace, member = request.workspace, request.member
    initiative = _initiative(request, initiative_id)
    detail = reverse(
        "initiative_detail", kwargs={"workspace": workspace.slug, "initiative_id": initiative.pk}
    )
    back = _back(request, detail)
    key_results = selectors.linkable_key_results(workspace).exclude(
        contributions__initiative=initiative
    )
    form = ContributionForm(request.POST or None, key_results=key_results)
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_create(initiative=initiative, by=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            title = form.cleaned_data["key_result"].title
            messages.success(request, f"“{initiative.title}” now serves “{title}”.")
            return redirect(back)
    template = "roadmaps/contribution_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, {"form": form, "initiative": initiative, "back": back})


@require_POST
@workspace_view
def contribution_delete(
    request: TandemRequest, initiative_id: int, contribution_id: int
) -> HttpResponse:
    workspace, member = request.workspace, request.member
    initiative = _initiative(request, initiative_id)
    contribution = get_in_workspace_or_404(
        Contribution.objects.select_related("key_result"),
        workspace,
        pk=contribution_id,
        initiative=initiative,
    )
    services.contribution_delete(contribution=contribution, by=member)
    messages.success(request, f"No longer counted towards “{contribution.key_result.title}”.")
    return redirect("initiative_detail", workspace=workspace.slug, initiative_id=initiative.pk)


@require_POST
@workspace_view
def dependency_create(request: TandemRequest, initiative_id: int) -> HttpResponse:
    workspace, member = request.workspace, request.member
    initiative = _initiative(request, initiative_id)
    depends_on = get_in_workspace_or_404(
        Initiative.objects, workspace, pk=request.POST.get("depends_on") or 0
    )
    try:
        services.dependency_create(initiative=initiative, depends_on=depends_on, by=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{initiative.title}” now depends on “{depends_on.title}”.")
    return redirect("initiative_detail", workspace=workspace.slug, initiative_id=initiative.pk)


@require_POST
@workspace_view
def dependency_delete(
    request: TandemRequest, initiative_id: int, dependency_id: int
) -> HttpResponse:
    workspace, member = request.workspace, request.member
    initiative = _initiative(request, initiative_id)
    dependency = get_in_workspace_or_404(
        Dependency.objects, workspace, pk=dependency_id, initiative=initiative
    )
    services.dependency_delete(dependency=dependency, by=member)
    messages.success(request, "Dependency removed.")
    return redirect("initiative_detail", workspace=workspace.slug, initiative_id=initiative.pk)
