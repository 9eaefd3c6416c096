"""python -m tests.oidc_provider PORT CLIENT_ID SECRET REDIRECT_URI: migrate, register the
client, serve until stopped."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")


def main() -> None:
    port, client_id, secret, redirect_uri = sys.argv[1:5]
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from oauth2_provider.models import Application

    Application.objects.update_or_create(
        client_id=client_id,
        defaults={
            "name": "Tandem",
            "client_secret": secret,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": redirect_uri,
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": True,
        },
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)


if __name__ == "__main__":
    main()
