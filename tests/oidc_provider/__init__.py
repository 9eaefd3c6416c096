"""A real OpenID Connect provider for the single sign-on tests: a small Django project of
its own (django-oauth-toolkit), served from a subprocess on 127.0.0.1 with its own
settings and SQLite file. Nothing of Tandem is imported here."""
