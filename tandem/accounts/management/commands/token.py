import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date

from tandem.accounts.models import Member, User
from tandem.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Manage personal API tokens. `token create --email E` prints only the new token."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token and print it (shown once).")
        create.add_argument("--email", required=True)
        create.add_argument("--name", default="Command line")
        create.add_argument("--scope", choices=["read", "write"], default="write")
        create.add_argument("--workspace", help="A workspace slug: the only one it reaches.")
        create.add_argument("--expires", help="A date (YYYY-MM-DD) it stops working on.")

    def handle(self, *args: object, **options: object) -> None:
        email = str(options["email"]).strip().lower()
        user = User.objects.filter(email=email, is_active=True).first()
        if user is None:
            raise CommandError(f"--email: no active user with the email {email!r}")
        workspace = None
        if options["workspace"]:
            found = Member.objects.of_user(user).filter(workspace__slug=options["workspace"])
            member = found.select_related("workspace").first()
            if member is None:
                raise CommandError(
                    f"--workspace: {email} is not a member of {options['workspace']!r}"
                )
            workspace = member.workspace
        expires_at = None
        if options["expires"]:
            day = parse_date(str(options["expires"]))
            if day is None:
                raise CommandError("--expires: give a date as YYYY-MM-DD")
            expires_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        try:
            _, raw = api_token_create(
                user=user,
                name=str(options["name"]),
                scope=str(options["scope"]),
                workspace=workspace,
                expires_at=expires_at,
            )
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise CommandError(f"--{field.split('_')[0]}: {' '.join(messages)}") from None
        self.stdout.write(raw)
