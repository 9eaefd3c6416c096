"""Review pages: the list, one review with its live agenda and minutes, exports, feeds."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.conflicts.models import Conflict, ConflictStatus
from tandem.core.forms import Stale, add_service_errors, stale
from tandem.core.tenancy import get_in_workspace_or_404
from tandem.core.versioning import StaleVersion
from tandem.okrs.models import KeyResult
from tandem.reviews import export, services
from tandem.reviews.forms import ActionItemForm, DecisionForm, NotesForm, ReviewForm
from tandem.reviews.models import ActionItem, FeedScope, Review
from tandem.roadmaps.models import LIVE_STATUSES, Initiative

CHANGES_SHOWN = 10
SUBJECT_MODELS: dict[str, Any] = {
    "key_result": KeyResult,
    "initiative": Initiative,
    "conflict": Conflict,
}


def _review(request: TandemRequest, review_id: int) -> Review:
    return get_in_workspace_or_404(
        Review.objects.select_related("cycle"),
        request.workspace,
        pk=review_id,
    )


@workspace_view
def review_list(request: TandemRequest) -> HttpResponse:
    workspace = request.workspace
    form = ReviewForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_schedule(**form.cleaned_data, by=request.member)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{review.title}” is scheduled.")
            return redirect("review_detail", workspace=workspace.slug, review_id=review.pk)
    reviews = Review.objects.in_workspace(workspace).prefetch_related("attendees__user")
    now = timezone.now()
    context = {
        "form": form,
        "upcoming": [r for r in reviews if not r.closed_at and r.scheduled_at >= now][::-1],
        "in_progress": [r for r in reviews if not r.closed_at and r.scheduled_at < now],
        "past": [r for r in reviews if r.closed_at][:20],
    }
    status = 422 if form.errors else 200
    return render(request, "reviews/review_list.html", context, status=status)


def _subjects(review: Review) -> list[tuple[str, str]]:
    workspace = review.workspace_id
    choices = []
    krs = KeyResult.objects.in_workspace(workspace).active()
    if review.cycle_id:
        krs = krs.filter(objective__cycle_id=review.cycle_id)
    else:
        krs = krs.filter(objective__cycle__state="active")
    choices += [(f"key_result:{kr.pk}", f"Key result: {kr.title}") for kr in krs]
    initiatives = Initiative.objects.in_workspace(workspace).filter(status__in=LIVE_STATUSES)
    choices += [(f"initiative:{i.pk}", f"Initiative: {i.title}") for i in initiatives]
    conflicts = Conflict.objects.in_workspace(workspace).filter(
        status__in=[ConflictStatus.OPEN, ConflictStatus.ACKNOWLEDGED]
    )
    choices += [(f"conflict:{c.pk}", f"Conflict: {c.sentence[:90]}") for c in conflicts]
    return choices


def _detail(
    request: TandemRequest, review: Review, stale: Stale | None = None, **forms: Any
) -> HttpResponse:
    workspace = request.workspace
    agenda = review.agenda or {}
    changes = agenda.get("roadmap_changes", [])
    context = {
        "review": review,
        "agenda": agenda,
        "built_at": datetime.datetime.fromisoformat(agenda["built_at"]) if agenda else None,
        # A long list drowns the meeting: the first few here, the rest in the minutes.
        "changes_shown": changes[:CHANGES_SHOWN],
        "changes_more": max(len(changes) - CHANGES_SHOWN, 0),
        "notes_form": forms.get("notes_form")
        or NotesForm(initial={"notes": review.notes, "version": review.version}),
        "stale": stale,
        "decision_form": forms.get("decision_form") or DecisionForm(subjects=_subjects(review)),
        "action_form": forms.get("action_form") or ActionItemForm(workspace=workspace),
        "decisions": review.decisions.select_related("decided_by__user"),
        "action_items": review.action_items.select_related("owner__user"),
        "attendees": review.attendees.select_related("user"),
        "teams": review.teams.all(),
    }
    status = 409 if stale else 422 if any(f.errors for f in forms.values()) else 200
    return render(request, "reviews/review_detail.html", context, status=status)


@require_GET
@workspace_view
def review_detail(request: TandemRequest, review_id: int) -> HttpResponse:
    return _detail(request, _review(request, review_id))


def _refused(request: TandemRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
@workspace_view
def review_open(request: TandemRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    try:
        services.review_open(review=review, by=request.member)
    except ValidationError as error:
        _refused(request, error)
    return redirect("review_detail", workspace=review.workspace.slug, review_id=review.pk)


@require_POST
@workspace_view
def review_close(request: TandemRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    try:
        services.review_close(review=review, by=request.member)
        messages.success(request, "The review is finished; its minutes are final.")
    except ValidationError as error:
        _refused(request, error)
    return redirect("review_detail", workspace=review.workspace.slug, review_id=review.pk)


@require_POST
@workspace_view
def review_notes(request: TandemRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    form = NotesForm(request.POST, initial={"notes": review.notes, "version": review.version})
    if form.is_valid():
        try:
            services.review_update_notes(
                review=review,
                notes=form.cleaned_data["notes"],
                by=request.member,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as error:
            # The notes sit low on the page: say it at the top too.
            messages.error(request, "Notes not saved: someone else saved them meanwhile.")
            return _detail(request, _review(request, review_id), stale=stale(form, error))
        messages.success(request, "Notes saved.")
        return redirect("review_detail", workspace=review.workspace.slug, review_id=review.pk)
    return _detail(request, review, notes_form=form)


@require_POST
@workspace_view
def decision_create(request: TandemRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    form = DecisionForm(request.POST, subjects=_subjects(review))
    if form.is_valid():
        subject = None
        if form.cleaned_data["subject"]:
            kind, _, pk = form.cleaned_data["subject"].partition(":")
            subject = get_in_workspace_or_404(
                SUBJECT_MODELS[kind].objects,
                request.workspace,
                pk=pk,
            )
        try:
            services.decision_record(
                review=review,
                text=form.cleaned_data["text"],
                subject=subject,
                by=request.member,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Decision recorded.")
            return redirect("review_detail", workspace=review.workspace.slug, review_id=review.pk)
    return _detail(request, review, decision_form=form)


@require_POST
@workspace_view
def action_item_create(request: TandemRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    form = ActionItemForm(request.POST, workspace=request.workspace)
    if form.is_valid():
        try:
            services.action_item_create(review=review, **form.cleaned_data, by=request.member)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action item added.")
            return redirect("review_detail", workspace=review.workspace.slug, review_id=review.pk)
    return _detail(request, review, action_form=form)


@require_POST
@workspace_view
def action_item_toggle(request: TandemRequest, action_item_id: int) -> HttpResponse:
    item = get_in_workspace_or_404(
        ActionItem.objects.select_related("review"),
        request.workspace,
        pk=action_item_id,
    )
    services.action_item_set_done(
        item=item,
        done=request.POST.get("done") == "1",
        by=request.member,
    )
    return redirect("review_detail", workspace=item.workspace.slug, review_id=item.review_id)


@require_GET
@workspace_view
def review_markdown(request: TandemRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    response = HttpResponse(export.review_markdown(review), content_type="text/markdown")
    response["Content-Disposition"] = f'attachment; filename="review-{review.pk}.md"'
    return response


@workspace_view
def calendar_feeds(request: TandemRequest) -> HttpResponse:
    new_url = None
    if request.method == "POST":
        scope = request.POST.get("scope", FeedScope.PERSONAL)
        if scope not in FeedScope.values:
            scope = FeedScope.PERSONAL
        _, token = export.calendar_feed_create(member=request.member, scope=scope)
        new_url = request.build_absolute_uri(f"/calendar/{token}.ics")
    feeds = request.member.calendar_feeds.all()
    return render(request, "reviews/calendar.html", {"feeds": feeds, "new_url": new_url})


@require_GET
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """No session: calendar apps fetch this. The secret token is the only credential."""
    feed = export.calendar_feed_for(token)
    if feed is None:
        raise Http404("No calendar here.")
    return HttpResponse(export.calendar_ics(feed), content_type="text/calendar; charset=utf-8")
