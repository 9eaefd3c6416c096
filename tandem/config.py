"""Reading TANDEM_* environment variables, failing loudly on a bad value.

Kept free of Django imports: settings.py calls these before Django is configured.
"""

import ipaddress
import os
import re
import secrets
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


class ConfigError(Exception):
    """A configuration value is unusable; the message names the variable."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool, env: Mapping[str, str] = os.environ) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def env_int(
    name: str, default: int, *, minimum: int = 0, env: Mapping[str, str] = os.environ
) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str], env: Mapping[str, str] = os.environ) -> list[str]:
    raw = env.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class EgressAllow:
    """Receivers an admin lets outbound requests reach although their address is not public."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = field(default=())


_LABEL = r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?"
_HOST_NAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*$")


def env_egress_allow(name: str, env: Mapping[str, str] = os.environ) -> EgressAllow:
    """Comma-separated host names (matched exactly) and networks (an address or a CIDR)."""
    hosts: set[str] = set()
    networks = []
    for item in env_list(name, [], env):
        try:
            networks.append(ipaddress.ip_network(item.strip("[]")))
            continue
        except ValueError as exc:
            if "/" in item or ":" in item or item.replace(".", "").isdigit():
                raise ConfigError(f"{name}: {item!r} is not a network: {exc}") from None
        host = item.lower().rstrip(".")
        if not _HOST_NAME.match(host):
            raise ConfigError(
                f"{name}: {item!r} is neither a host name nor a network such as 10.0.0.0/8"
            )
        hosts.add(host)
    return EgressAllow(hosts=frozenset(hosts), networks=tuple(networks))


_SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


def env_sql_sources(name: str, env: Mapping[str, str] = os.environ) -> dict[str, str]:
    """`warehouse=postgres://reader:pw@db:5432/wh,crm=postgres://...`: the PostgreSQL
    databases key-result data sources may query, by the name editors choose them by."""
    found: dict[str, str] = {}
    for item in env_list(name, [], env):
        label, sep, dsn = item.partition("=")
        label = label.strip()
        if not sep or not _SOURCE_NAME.match(label):
            raise ConfigError(f"{name}: {item.split('=')[0]!r} is not name=postgres://... ")
        if not dsn.strip().startswith(("postgres://", "postgresql://")):
            raise ConfigError(f"{name}: {label}'s address must start with postgres://")
        found[label] = dsn.strip()
    return found


def env_time_zone(name: str, default: str, env: Mapping[str, str] = os.environ) -> str:
    value = env.get(name) or default
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{name} must be an IANA time zone such as Europe/Paris, got {value!r}"
        ) from None
    return value


RATE_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def env_rate(
    name: str, default: str, env: Mapping[str, str] = os.environ
) -> tuple[int, int] | None:
    """`600/minute` as (600, 60); `off` as None."""
    raw = env.get(name)
    value = (default if raw is None or not raw.strip() else raw).strip().lower()
    if value == "off":
        return None
    count, _, period = value.partition("/")
    if count.isdigit() and int(count) > 0 and period in RATE_PERIODS:
        return int(count), RATE_PERIODS[period]
    raise ConfigError(
        f"{name} must be a number of requests per second, minute, hour or day "
        f"(e.g. 600/minute) or off, got {raw!r}"
    )


def data_dir(env: Mapping[str, str] = os.environ) -> Path:
    path = Path(env.get("TANDEM_DATA_DIR") or "data").expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"TANDEM_DATA_DIR {str(path)!r} cannot be created: {exc.strerror}"
        ) from None
    if not os.access(path, os.W_OK):
        raise ConfigError(f"TANDEM_DATA_DIR {str(path)!r} is not writable")
    return path


def secret_key(directory: Path, env: Mapping[str, str] = os.environ) -> str:
    """The key from TANDEM_SECRET_KEY, or one generated once and kept in the data dir."""
    configured = env.get("TANDEM_SECRET_KEY")
    if configured is not None:
        if len(configured) < 50:
            raise ConfigError("TANDEM_SECRET_KEY must be at least 50 characters long")
        return configured
    key_file = directory / "secret_key"
    if not key_file.exists():
        # O_EXCL: two processes starting together must not each write their own key.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


def database(directory: Path, env: Mapping[str, str] = os.environ) -> dict[str, object]:
    url = env.get("TANDEM_DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": directory / "tandem.sqlite3",
            # Each worker keeps its connection: opening one (and its PRAGMAs) and closing
            # it (a WAL checkpoint when it was the last) cost more than most requests.
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    import dj_database_url

    try:
        config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    except Exception:
        raise ConfigError(
            f"TANDEM_DATABASE_URL is not a database URL we can use: {url!r}"
        ) from None
    if config.get("ENGINE") not in {
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    }:
        raise ConfigError("TANDEM_DATABASE_URL must be a postgres:// or sqlite:// URL")
    return config


def email(env: Mapping[str, str] = os.environ) -> dict[str, object]:
    """Django's email settings: the console by default, SMTP from TANDEM_EMAIL_URL
    (smtp://user:password@host:587 with STARTTLS, smtps://... for TLS from the start)."""
    url = env.get("TANDEM_EMAIL_URL", "").strip()
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    from urllib.parse import unquote, urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ConfigError("TANDEM_EMAIL_URL is not a URL: expected smtp://host:587") from None
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ConfigError("TANDEM_EMAIL_URL must be smtp://user:password@host:port or smtps://...")
    secure = parts.scheme == "smtps"
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if secure else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": secure,
        # STARTTLS unless the URL says ?tls=false (a relay on localhost, say).
        "EMAIL_USE_TLS": not secure and "tls=false" not in parts.query,
        "EMAIL_TIMEOUT": 20,
    }


_OIDC_REQUIRED = ("TANDEM_OIDC_SERVER_URL", "TANDEM_OIDC_CLIENT_ID", "TANDEM_OIDC_SECRET")
ROLES = ("owner", "admin", "editor", "viewer")


def oidc_providers(env: Mapping[str, str] = os.environ) -> dict[str, object]:
    """allauth's openid_connect provider from TANDEM_OIDC_*; nothing when none is set.

    The server URL is the administrator's choice, never a user's input, so allauth's
    server-to-server calls to it do not go through the egress guard."""
    given = {name: env.get(name, "").strip() for name in _OIDC_REQUIRED}
    if not any(given.values()):
        return {}
    for name, value in given.items():
        if not value:
            raise ConfigError(f"{name} is needed for single sign-on (TANDEM_OIDC_* is set)")
    server_url = given["TANDEM_OIDC_SERVER_URL"]
    if not server_url.startswith(("https://", "http://")):
        raise ConfigError(f"TANDEM_OIDC_SERVER_URL must be an http(s) URL, got {server_url!r}")
    app = {
        "provider_id": "oidc",
        "name": env.get("TANDEM_OIDC_NAME", "").strip() or "single sign-on",
        "client_id": given["TANDEM_OIDC_CLIENT_ID"],
        "secret": given["TANDEM_OIDC_SECRET"],
        "settings": {"server_url": server_url},
    }
    return {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": [app]}}


def oidc_join(env: Mapping[str, str] = os.environ) -> dict[str, str] | None:
    """Who signs in with single sign-on from TANDEM_OIDC_JOIN_DOMAIN joins
    TANDEM_OIDC_JOIN_WORKSPACE (a slug) with TANDEM_OIDC_JOIN_ROLE (viewer by default)."""
    domain = env.get("TANDEM_OIDC_JOIN_DOMAIN", "").strip().lower().lstrip("@")
    workspace = env.get("TANDEM_OIDC_JOIN_WORKSPACE", "").strip()
    role = env.get("TANDEM_OIDC_JOIN_ROLE", "").strip().lower() or "viewer"
    if not domain and not workspace:
        return None
    if not domain:
        raise ConfigError("TANDEM_OIDC_JOIN_DOMAIN is needed with TANDEM_OIDC_JOIN_WORKSPACE")
    if not workspace:
        raise ConfigError("TANDEM_OIDC_JOIN_WORKSPACE is needed with TANDEM_OIDC_JOIN_DOMAIN")
    if role not in ROLES or role == "owner":
        raise ConfigError(f"TANDEM_OIDC_JOIN_ROLE must be admin, editor or viewer, got {role!r}")
    if not env.get("TANDEM_OIDC_SERVER_URL", "").strip():
        raise ConfigError("TANDEM_OIDC_SERVER_URL is needed with TANDEM_OIDC_JOIN_DOMAIN")
    return {"domain": domain, "workspace": workspace, "role": role}
