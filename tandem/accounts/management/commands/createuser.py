import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.accounts.services import user_create


class Command(BaseCommand):
    help = "Create a user who logs in by email. Prompts for the password unless --password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="")
        parser.add_argument("--password", help="Prefer the prompt: shell history keeps this.")
        parser.add_argument("--staff", action="store_true", help="May use the Django admin.")

    def handle(self, *args: object, **options: object) -> None:
        password = options["password"] or getpass.getpass("Password: ")
        try:
            user = user_create(
                email=str(options["email"]),
                password=str(password),
                name=str(options["name"]),
                validate_password=True,
            )
        except ValidationError as error:
            raise CommandError(_one_line(error)) from None
        if options["staff"]:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        self.stdout.write(f"Created {user.email}")


def _one_line(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)
