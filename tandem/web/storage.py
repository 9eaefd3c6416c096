from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    # Before collectstatic has run (tests, a fresh checkout) fall back to plain names,
    # which whitenoise then serves from the apps' static folders.
    manifest_strict = False
