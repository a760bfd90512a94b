"""Settings come from the environment, fail loudly on bad values, and are deploy-clean."""

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
