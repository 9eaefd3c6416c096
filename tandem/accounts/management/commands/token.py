from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.accounts.models import User
from tandem.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Manage personal API tokens. `token create --email E` prints only the new token."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token and print it (shown once).")
        create.add_argument("--email", required=True)
        create.add_argument("--name", default="Command line")

    def handle(self, *args: object, **options: object) -> None:
        email = str(options["email"]).strip().lower()
        user = User.objects.filter(email=email, is_active=True).first()
        if user is None:
            raise CommandError(f"--email: no active user with the email {email!r}")
        _, raw = api_token_create(user=user, name=str(options["name"]))
        self.stdout.write(raw)
