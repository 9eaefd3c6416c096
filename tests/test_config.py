"""Configuration comes from TANDEM_* variables; a bad value stops start-up with one line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tandem import config
from tandem.config import ConfigError

TANDEM = str(Path(sys.executable).with_name("tandem"))


def run_tandem(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
    clean["TANDEM_DATA_DIR"] = str(tmp_path / "data")
    clean.update(env)
    return subprocess.run([TANDEM, *args], env=clean, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("TANDEM_DEBUG", "maybe", "TANDEM_DEBUG must be true or false, got 'maybe'"),
        ("TANDEM_HTTPS", "2", "TANDEM_HTTPS must be true or false"),
        ("TANDEM_SECRET_KEY", "short", "TANDEM_SECRET_KEY must be at least 50 characters"),
        ("TANDEM_DATABASE_URL", "mysql://x@y/z", "TANDEM_DATABASE_URL must be a postgres://"),
        ("TANDEM_DATABASE_URL", "not a url", "TANDEM_DATABASE_URL is not a database URL"),
        ("TANDEM_TIME_ZONE", "Mars/Olympus", "TANDEM_TIME_ZONE must be an IANA time zone"),
        ("TANDEM_HSTS_SECONDS", "soon", "TANDEM_HSTS_SECONDS must be a whole number"),
        ("TANDEM_EGRESS_ALLOW", "hooks.internal,10.0.0.1/8", "TANDEM_EGRESS_ALLOW: '10.0.0.1/8'"),
        ("TANDEM_OIDC_SERVER_URL", "https://id.example.com", "TANDEM_OIDC_CLIENT_ID is needed"),
        ("TANDEM_OIDC_JOIN_DOMAIN", "acme.test", "TANDEM_OIDC_JOIN_WORKSPACE is needed"),
        ("TANDEM_EMAIL_URL", "mail.example.com", "TANDEM_EMAIL_URL must be smtp://"),
    ],
)
def test_a_bad_value_stops_start_up_with_one_line_naming_it(tmp_path, variable, value, expected):
    env = {variable: value}
    if variable == "TANDEM_HSTS_SECONDS":
        env["TANDEM_HTTPS"] = "true"
    result = run_tandem("check", env=env, tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert expected in result.stderr


def test_an_unwritable_data_dir_is_named(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = run_tandem("check", env={"TANDEM_DATA_DIR": str(blocker / "data")}, tmp_path=tmp_path)
    assert result.returncode == 2
    assert "TANDEM_DATA_DIR" in result.stderr


def test_production_configuration_passes_the_deploy_check(tmp_path):
    env = {
        "TANDEM_SECRET_KEY": "k" * 30 + "-production-secret-key-of-enough-length",
        "TANDEM_HTTPS": "true",
        "TANDEM_ALLOWED_HOSTS": "tandem.example.com",
    }
    result = run_tandem("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_a_secret_key_one_is_generated_once_and_kept(tmp_path):
    first = config.secret_key(tmp_path, env={})
    second = config.secret_key(tmp_path, env={})
    assert first == second
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_debug_is_off_unless_asked_for():
    assert config.env_bool("TANDEM_DEBUG", False, env={}) is False
    assert config.env_bool("TANDEM_DEBUG", False, env={"TANDEM_DEBUG": "yes"}) is True


def test_sqlite_lives_in_the_data_dir_with_wal_and_a_busy_timeout(tmp_path):
    database = config.database(tmp_path, env={})
    assert database["NAME"] == tmp_path / "tandem.sqlite3"
    assert database["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_postgres_url_is_parsed():
    database = config.database(Path("/tmp"), env={"TANDEM_DATABASE_URL": "postgres://u@db:5432/t"})
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["USER"]) == ("db", "t", "u")


def test_lists_ignore_blanks():
    assert config.env_list("X", [], env={"X": "a.example, ,b.example"}) == [
        "a.example",
        "b.example",
    ]


def test_numbers_below_the_minimum_are_refused():
    with pytest.raises(ConfigError, match="TANDEM_WORKERS must be at least 1"):
        config.env_int("TANDEM_WORKERS", 2, minimum=1, env={"TANDEM_WORKERS": "0"})


def test_the_embedded_database_runs_in_wal_mode(tmp_path):
    probe = (
        "from django.db import connection; cursor = connection.cursor(); "
        "cursor.execute('PRAGMA journal_mode'); print(cursor.fetchone()[0])"
    )
    result = run_tandem("shell", "--verbosity", "0", "-c", probe, env={}, tmp_path=tmp_path)
    assert result.stdout.strip() == "wal", result.stderr


def test_incomplete_single_sign_on_settings_name_the_missing_variable():
    env = {"TANDEM_OIDC_SERVER_URL": "https://id.example.com", "TANDEM_OIDC_CLIENT_ID": "t"}
    with pytest.raises(ConfigError, match=r"^TANDEM_OIDC_SECRET is needed"):
        config.oidc_providers(env)
    with pytest.raises(ConfigError, match=r"^TANDEM_OIDC_SERVER_URL must be an http"):
        config.oidc_providers({**env, "TANDEM_OIDC_SECRET": "s", "TANDEM_OIDC_SERVER_URL": "id"})
    assert config.oidc_providers({}) == {}
    with pytest.raises(ConfigError, match=r"^TANDEM_OIDC_JOIN_WORKSPACE is needed"):
        config.oidc_join({"TANDEM_OIDC_JOIN_DOMAIN": "acme.test"})
    with pytest.raises(ConfigError, match=r"^TANDEM_OIDC_JOIN_ROLE must be"):
        config.oidc_join(
            {
                "TANDEM_OIDC_SERVER_URL": "https://id.example.com",
                "TANDEM_OIDC_JOIN_DOMAIN": "acme.test",
                "TANDEM_OIDC_JOIN_WORKSPACE": "acme",
                "TANDEM_OIDC_JOIN_ROLE": "owner",
            }
        )


def test_email_url_sets_smtp_and_refuses_nonsense():
    assert config.email({})["EMAIL_BACKEND"].endswith("console.EmailBackend")
    smtp = config.email({"TANDEM_EMAIL_URL": "smtp://me%40x.com:p%2Fw@mail.example.com:2525"})
    assert (smtp["EMAIL_HOST"], smtp["EMAIL_PORT"], smtp["EMAIL_HOST_USER"]) == (
        "mail.example.com",
        2525,
        "me@x.com",
    )
    assert (smtp["EMAIL_HOST_PASSWORD"], smtp["EMAIL_USE_TLS"]) == ("p/w", True)
    with pytest.raises(ConfigError, match=r"^TANDEM_EMAIL_URL must be"):
        config.email({"TANDEM_EMAIL_URL": "http://mail.example.com"})
