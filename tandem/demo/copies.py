"""A personal copy of the demo: the Acme workspace, built by the same builder, owned by
whoever asks, under a slug of their own. Building takes tens of seconds, so the worker
does it; the page that asked polls until the workspace is there."""

from django.db import transaction
from django_tasks import task

from tandem.accounts.models import User, Workspace
from tandem.accounts.zones import local_today
from tandem.demo.builder import build_demo

COPY_NAME = "Acme (demo)"


def demo_copy_slug(user: User) -> str:
    """A free slug for the user's next copy: acme-demo-<user>, then -2, -3..."""
    base = f"acme-demo-{user.pk}"
    slug, number = base, 2
    while Workspace.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def demo_copy_request(*, user: User) -> str:
    """Queue the build of a copy for `user`; returns the slug it will have."""
    slug = demo_copy_slug(user)
    build_demo_copy.enqueue(user.pk, slug)
    return slug


@task()
def build_demo_copy(user_id: int, slug: str) -> str:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return "no such user"
    with transaction.atomic():
        # Asked twice (a double click): the first build wins, the second does nothing.
        if Workspace.objects.filter(slug=slug).exists():
            return "already there"
        build_demo(owner=user, today=local_today(None), name=COPY_NAME, slug=slug)
    return f"built {slug}"
