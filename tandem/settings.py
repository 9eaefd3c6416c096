"""The one settings module. Every knob is a TANDEM_* environment variable (see README)."""

import os
from pathlib import Path

import django_stubs_ext

from tandem import config

# Django's generic classes (ModelAdmin[Team], ModelChoiceField[Member]) subscriptable at run
# time as they are for mypy; the package already comes with django-tasks.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = config.data_dir()

SECRET_KEY = config.secret_key(DATA_DIR)
DEBUG = config.env_bool("TANDEM_DEBUG", False)
ALLOWED_HOSTS = config.env_list("TANDEM_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = config.env_list("TANDEM_CSRF_TRUSTED_ORIGINS", [])

# Behind a TLS-terminating load balancer: trust its X-Forwarded-Proto and lock cookies down.
HTTPS = config.env_bool("TANDEM_HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # load balancers probe over plain http
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = config.env_int("TANDEM_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
    "tandem.core",
    "tandem.accounts",
    "tandem.activity",
    "tandem.strategy",
    "tandem.okrs",
    "tandem.roadmaps",
    "tandem.conflicts",
    "tandem.scenarios",
    "tandem.reviews",
    "tandem.plans",
    "tandem.sources",
    "tandem.integrations",
    "tandem.search",
    "tandem.web",
    "tandem.demo",
    "tandem.backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # An API call with a bearer token and no session cookie leaves the chain here for its
    # view, with the headers every answer gets (tandem.web.middleware.TokenCalls).
    "tandem.web.middleware.TokenCalls",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tandem.web.middleware.ContentSecurityPolicyMiddleware",
    "tandem.web.middleware.BadParameterMiddleware",
    "tandem.web.display.DisplayPreferences",
]

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tandem.web.context_processors.navigation",
                "tandem.web.context_processors.display",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {"default": config.database(DATA_DIR)}
# Sign-in limits must hold across processes and servers, so they count in the database
# (the table is made by a migration of tandem.accounts).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tandem_cache",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# ModelBackend stays first: sessions from before allauth name it, and keep working.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# Accounts (django-allauth): people sign in with their email; see docs/accounts.md.
TANDEM_OPEN_SIGNUP = config.env_bool("TANDEM_OPEN_SIGNUP", False)
ACCOUNT_ADAPTER = "tandem.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "tandem.accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Accounts made by an admin, the CLI or an invitation have a proven address; someone
# signing up on an open instance must prove theirs before single sign-on may match it.
ACCOUNT_EMAIL_VERIFICATION = "mandatory" if TANDEM_OPEN_SIGNUP else "none"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = True
# After 5 failed attempts for one email within 15 minutes, even the right password is
# refused until the window passes; 20 a minute from one address.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip,5/15m/key"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Tandem] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tandem"
USERSESSIONS_TRACK_ACTIVITY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = config.oidc_providers()
TANDEM_OIDC_JOIN = config.oidc_join()

LANGUAGE_CODE = "en"
TIME_ZONE = config.env_time_zone("TANDEM_TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing root before collectstatic
# Our own CSS and JS live beside the shared templates, outside any app.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "tandem.web.storage.StaticStorage"},
}
# Serve straight from the apps when collectstatic has not run (tests, a fresh checkout).
WHITENOISE_USE_FINDERS = True

# Console by default (mails are printed); TANDEM_EMAIL_URL=smtp://user:pass@host:587 sends.
globals().update(config.email(os.environ))
DEFAULT_FROM_EMAIL = os.environ.get("TANDEM_FROM_EMAIL", "tandem@localhost")

# Background work (webhook delivery) goes through the database; `tandem worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# API calls per user (token or session) and window, counted in the database: shared by
# every app server. None: unlimited.
TANDEM_API_RATE_LIMIT = config.env_rate("TANDEM_API_RATE_LIMIT", "600/minute")
# The address people reach Tandem at, for links in webhooks, emails and calendar feeds.
TANDEM_BASE_URL = os.environ.get("TANDEM_BASE_URL", "http://127.0.0.1:8000")
# Internal receivers outbound requests may reach on purpose (tandem.core.egress).
TANDEM_EGRESS_ALLOW = config.env_egress_allow("TANDEM_EGRESS_ALLOW")
TANDEM_SQL_SOURCES = config.env_sql_sources("TANDEM_SQL_SOURCES")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
