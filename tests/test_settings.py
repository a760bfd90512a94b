"""Settings come from the environment, fail loudly on bad values, and are deploy-clean."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tracker.settings import env_bool, env_int, env_list, env_str

PRODUCTION_ENV = {
    "PATH": os.environ.get("PATH", ""),
    "SECRET_KEY": "x7!prod-like-secret-" + "k" * 40,
    "ALLOWED_HOSTS": "counterpoint.example",
    "SITE_URL": "https://counterpoint.example",
    "DJANGO_SETTINGS_MODULE": "tracker.settings",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_a_malformed_boolean_is_refused_with_its_name(monkeypatch):
    monkeypatch.setenv("DEBUG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env_bool("DEBUG", False)


def test_a_malformed_integer_is_refused_with_its_name(monkeypatch):
    monkeypatch.setenv("SOURCE_UPLOAD_MAX_BYTES", "2MB")
    with pytest.raises(ImproperlyConfigured, match="SOURCE_UPLOAD_MAX_BYTES must be an integer"):
        env_int("SOURCE_UPLOAD_MAX_BYTES", 1)


def test_lists_and_defaults_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example,")
    assert env_list("ALLOWED_HOSTS", "") == ["a.example", "b.example"]
    monkeypatch.delenv("UNSET_FOR_TEST", raising=False)
    assert env_str("UNSET_FOR_TEST", "fallback") == "fallback"


def test_database_url_switches_the_database_engine():
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite3"
    )
    assert settings.DATABASES["default"]["ENGINE"].endswith(expected)


def test_production_refuses_to_start_without_a_site_url():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SITE_URL"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set the SITE_URL environment variable" in result.stderr


@pytest.mark.parametrize(
    "site_url",
    [
        "http://localhost:8000",
        "http://127.0.0.1:8000",
        "https://127.8.9.10",
        "http://[::1]:8000",
        "http://0.0.0.0:8000",
    ],
)
def test_production_refuses_a_loopback_site_url(site_url):
    result = run_manage("check", env={**PRODUCTION_ENV, "SITE_URL": site_url})
    assert result.returncode != 0
    assert "SITE_URL must be the public address readers use" in result.stderr


@pytest.mark.parametrize("site_url", ["counterpoint.example", "ftp://counterpoint.example", ""])
def test_production_refuses_a_site_url_that_is_not_http(site_url):
    result = run_manage("check", env={**PRODUCTION_ENV, "SITE_URL": site_url})
    assert result.returncode != 0
    assert "SITE_URL must be an http:// or https:// URL" in result.stderr


def print_site_url(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = "from django.conf import settings; print(settings.SITE_URL)"
    return run_manage("shell", "--no-imports", "-c", code, env=env)


def test_production_accepts_a_public_https_site_url_without_its_trailing_slash():
    result = print_site_url({**PRODUCTION_ENV, "SITE_URL": "https://counterpoint.example/"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://counterpoint.example"


def test_with_debug_on_the_site_url_defaults_to_the_development_server():
    env = {"PATH": PRODUCTION_ENV["PATH"], "DEBUG": "true"}
    result = print_site_url(env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:8000"


def production_settings(*names: str, **env: str) -> dict:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run_manage("shell", "-c", code, env={**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_for_a_year_with_subdomains_and_secure_cookies():
    values = production_settings(
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY",
        "X_FRAME_OPTIONS",
    )
    assert values == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
    }


def test_hsts_preload_can_be_turned_off_and_the_deploy_check_still_passes():
    env = {**PRODUCTION_ENV, "SECURE_HSTS_PRELOAD": "false"}
    assert production_settings("SECURE_HSTS_PRELOAD", SECURE_HSTS_PRELOAD="false") == {
        "SECURE_HSTS_PRELOAD": False
    }
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_behind_the_tls_proxy_https_and_client_addresses_come_from_the_proxy():
    values = production_settings(
        "SECURE_PROXY_SSL_HEADER", "AXES_CLIENT_IP_CALLABLE", BEHIND_TLS_PROXY="true"
    )
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["AXES_CLIENT_IP_CALLABLE"] == "tracker.security.client_ip_address"
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION_ENV, "BEHIND_TLS_PROXY": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_login_cool_off_and_database_timeouts_come_from_the_environment():
    values = production_settings(
        "AXES_COOLOFF_TIME",
        "AXES_FAILURE_LIMIT",
        "AXES_LOCKOUT_PARAMETERS",
        "DATABASES",
        AXES_COOLOFF_MINUTES="5",
        DATABASE_URL="postgres://u@db.example:5432/counterpoint",
        DATABASE_CONNECT_TIMEOUT="4",
        DATABASE_STATEMENT_TIMEOUT_MS="15000",
    )
    assert values["AXES_COOLOFF_TIME"] == "0:05:00"
    assert values["AXES_FAILURE_LIMIT"] == 5
    assert values["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"]]
    options = values["DATABASES"]["default"]["OPTIONS"]
    assert options == {"connect_timeout": 4, "options": "-c statement_timeout=15000 -c jit=off"}
    assert values["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True


def test_passwords_must_be_at_least_twelve_characters():
    (length,) = (
        v["OPTIONS"]["min_length"]
        for v in settings.AUTH_PASSWORD_VALIDATORS
        if v["NAME"].endswith("MinimumLengthValidator")
    )
    assert length == 12
