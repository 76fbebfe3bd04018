"""Production mode: no default secret, and Django's deployment checks pass."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HARAMBEE_"))
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_in_production_mode_reports_nothing():
    result = manage(
        "check",
        "--deploy",
        HARAMBEE_PRODUCTION="true",
        SECRET_KEY="k7#J2q9-Lx!vR4mZp8Wd3fT6yH1nB5sC0gE2aQ7uI9oP4lK6jM",
        ALLOWED_HOSTS="harambee.example.org",
        SITE_URL="https://harambee.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = manage(
        "check",
        HARAMBEE_PRODUCTION="true",
        ALLOWED_HOSTS="harambee.example.org",
        SITE_URL="https://harambee.example.org",
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_malformed_boolean_fails_loudly():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr
