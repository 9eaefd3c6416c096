from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]  # whitenoise ships no types
    # Before collectstatic has run (tests, a fresh checkout) fall back to plain names,
    # which whitenoise then serves from the apps' static folders.
    manifest_strict = False

    def stored_name(self, name: str) -> str:
        # A manifest from an earlier collectstatic may predate a file added since (a
        # developer's data dir); the plain name, served by the finders, beats a crash.
        try:
            return str(super().stored_name(name))
        except ValueError:
            return name
