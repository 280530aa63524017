"""Settings are read once at import, so each case runs manage.py in a fresh process."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HTTPS_ONLY_WARNINGS = {
    "security.W004",
    "security.W008",
    "security.W012",
    "security.W016",
}


def manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7" * 30 + "-production-like-secret-for-tests",
    "DJANGO_ALLOWED_HOSTS": "patients.example.org",
}


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_plain_http_mode_only_raises_the_https_warnings():
    result = manage("check", "--deploy", **PRODUCTION, DJANGO_HTTPS="0")
    raised = set(re.findall(r"\((security\.W\d+)\)", result.stdout + result.stderr))
    assert raised == HTTPS_ONLY_WARNINGS


@pytest.mark.parametrize("debug", ["0", "false", "off"])
def test_production_refuses_to_start_without_a_secret_key(debug):
    result = manage("check", DJANGO_DEBUG=debug)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
