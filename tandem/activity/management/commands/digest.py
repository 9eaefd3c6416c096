from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tandem.accounts.models import Member
from tandem.activity import digest
from tandem.activity.models import Digest


class Command(BaseCommand):
    help = (
        "Email digests. `digest send [--period daily|weekly] [--now]` queues the digest of "
        "every member whose digest is due (for `tandem worker` to send), or sends them now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        send = actions.add_parser("send", help="Queue (or send) the digests that are due.")
        send.add_argument(
            "--period",
            choices=[Digest.DAILY, Digest.WEEKLY],
            help="Only this period's digests; both when absent.",
        )
        send.add_argument(
            "--now", action="store_true", help="Send in this process instead of queuing."
        )

    def handle(self, *args: object, **options: object) -> None:
        periods = [options["period"]] if options["period"] else [Digest.DAILY, Digest.WEEKLY]
        now = timezone.now()
        for period in periods:
            member_ids = digest.digests_due(period=str(period), now=now)
            if not options["now"]:
                for member_id in member_ids:
                    digest.send_digest.enqueue(member_id, str(period))
                self.stdout.write(f"{period}: {len(member_ids)} digests queued")
                continue
            members = Member.objects.select_related("user", "workspace").filter(pk__in=member_ids)
            sent = sum(digest.digest_send(member=m, period=str(period), now=now) for m in members)
            self.stdout.write(f"{period}: {sent} sent, {len(member_ids) - sent} with nothing new")
