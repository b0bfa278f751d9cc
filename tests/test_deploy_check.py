"""Production settings pass Django's deployment checklist (`manage.py check --deploy`) cleanly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    """With the environment production needs, `check --deploy` reports no issues at all, warnings included.

    Runs in a fresh process because settings are read once per process; the
    database is an empty SQLite file, as on a server before `migrate`.
    (`--fail-level WARNING` makes any warning a failure.)
    """
    # Only what a server would set: nothing inherited from the test process, where other modules
    # may have put development values (e.g. SECURE_SSL_REDIRECT=false) into os.environ.
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": "reelvision.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "example.org",
        "FIELD_ENCRYPTION_KEYS": "a2V5LWZvci10ZXN0cy1vbmx5LTMyLWJ5dGVzLWxvbmc=",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "VIDEO_ROOT": str(tmp_path / "video-files"),
        "EMAIL_HOST": "smtp.example.org",  # production sends real e-mail; the console backend is an error
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
