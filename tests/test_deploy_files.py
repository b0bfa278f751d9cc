"""The deployment files (deploy/, compose.yaml, bin/cluster) name commands, options and settings that exist,
and the nginx configuration routes as it says. Docker does not run here, so compose.yaml is read, not run."""

import http.server
import importlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands, load_command_class

from tests.ports import free_port, wait_until_listening

BASE_DIR = Path(__file__).resolve().parent.parent
SETTINGS_SOURCE = "\n".join(path.read_text() for path in (BASE_DIR / "reelvision" / "settings").glob("*.py"))
# Read by libraries rather than by our settings' own code: Django, dj-database-url and boto3.
READ_ELSEWHERE = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
APP_SERVICES = ("web", "chat", "worker", "transcoder", "scheduler")


def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "compose.yaml").read_text())


def check_command(words: list[str]) -> None:
    """A command line of ours: gunicorn with our config file, one of our scripts, or manage.py with real options."""
    program = Path(words[0]).name
    if program == "gunicorn":
        assert (BASE_DIR / words[words.index("-c") + 1]).is_file()
    elif program == "daphne":
        from daphne.cli import CommandLineInterface

        # Parsing the options as daphne would (an unknown flag exits), and importing the application.
        arguments = CommandLineInterface().parser.parse_args(words[1:])
        module, name = arguments.application.split(":")
        assert hasattr(importlib.import_module(module), name)
    elif program.startswith("python") and words[1] == "manage.py":
        name, options = words[2], words[3:]
        assert name in get_commands(), f"no management command {name}"
        # Parsing the options as the command would: an unknown flag exits.
        load_command_class(get_commands()[name], name).create_parser("manage.py", name).parse_args(options)
    elif program.startswith("python"):
        assert (BASE_DIR / words[1]).is_file()
    else:
        raise AssertionError(f"unexpected program {words[0]}")


def test_every_compose_service_runs_a_real_command():
    """Each app service's command is gunicorn with deploy/gunicorn.conf.py, daphne, or manage.py commands
    whose options exist."""
    services = compose()["services"]
    assert set(APP_SERVICES) | {"nginx", "postgres", "redis", "minio"} <= services.keys()
    for name in APP_SERVICES:
        command = services[name]["command"]
        if command[:2] == ["sh", "-c"]:
            for line in command[2].split("&&"):
                check_command(shlex.split(line))
        else:
            check_command(command)


def test_every_variable_compose_and_the_cluster_set_is_read_by_the_settings():
    """No variable in compose.yaml or bin/cluster's environment is a typo that the settings never read."""
    services = compose()["services"]
    names = set()
    for name in APP_SERVICES:
        names |= set(services[name]["environment"])
    cluster = (BASE_DIR / "bin" / "cluster").read_text()
    cluster_env = cluster.split('cat > "$WORK/cluster.env" <<EOF', 1)[1].split("\nEOF\n", 1)[0]
    names |= {line.split("=", 1)[0] for line in cluster_env.splitlines() if "=" in line and not line.startswith("#")}
    names -= {"CLUSTER_URL", "CLUSTER_DIR"}  # for bench/bench_cluster.py
    unread = sorted(name for name in names - READ_ELSEWHERE if f'"{name}"' not in SETTINGS_SOURCE)
    assert unread == []


def test_every_systemd_unit_runs_a_real_command():
    """ExecStart lines of the units name gunicorn's config file or management commands with real options."""
    units = sorted((BASE_DIR / "deploy" / "systemd").glob("*.service"))
    assert {unit.name for unit in units} >= {
        "reelvision-web@.service",
        "reelvision-worker@.service",
        "reelvision-schedule.service",
    }
    for unit in units:
        lines = [line for line in unit.read_text().splitlines() if line.startswith("ExecStart=")]
        assert lines, unit.name
        for line in lines:
            words = shlex.split(line.removeprefix("ExecStart="))
            assert words[0].startswith("/srv/reelvision/.venv/bin/")
            check_command(words)
    schedule = (BASE_DIR / "deploy" / "systemd" / "reelvision-schedule.service").read_text()
    scheduled = set(re.findall(r"manage\.py (\w+) --schedule", schedule))
    assert scheduled == {
        "video_housekeeping",
        "reconcile_payments",
        "recompute_recommendations",
        "roll_up_analytics",
        "notifications_sweep",
    }


def test_with_redis_sessions_live_in_a_cache_of_their_own():
    """Production with REDIS_URL keeps sessions in Redis under their own alias and prefix; without it, the database."""
    program = (
        "import django, json; django.setup(); from django.conf import settings; "
        "alias = getattr(settings, 'SESSION_CACHE_ALIAS', None); "
        "print(json.dumps([settings.SESSION_ENGINE, settings.CACHES.get(alias, {}).get('KEY_PREFIX')]))"
    )
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "reelvision.settings.production",
        "SECRET_KEY": "deploy-files-test",
        "ALLOWED_HOSTS": "example.org",
        "FIELD_ENCRYPTION_KEYS": "a2V5LWZvci10ZXN0cy1vbmx5LTMyLWJ5dGVzLWxvbmc=",
        "DATABASE_URL": "sqlite:///:memory:",
    }

    def session_settings(**extra) -> list:
        found = subprocess.run(
            [sys.executable, "-c", program],
            cwd=BASE_DIR,
            env={**environment, **extra},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert found.returncode == 0, found.stderr
        return json.loads(found.stdout.strip().splitlines()[-1])

    with_redis = session_settings(REDIS_URL="redis://127.0.0.1:6379/1")
    assert with_redis == ["django.contrib.sessions.backends.cache", "reelvision-sessions"]
    assert session_settings()[0] == "django.contrib.sessions.backends.db"


# --- nginx in front of stand-in app servers -----------------------------------------------------


class EchoHandler(http.server.BaseHTTPRequestHandler):
    """An app server stand-in: answers with the headers nginx passed on."""

    def do_GET(self):
        body = json.dumps({name.lower(): value for name, value in self.headers.items()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def get(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read()


@pytest.fixture
def nginx_site(tmp_path):
    """nginx on a free port, rendered from deploy/nginx, before one live stand-in app server and one that is down."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        pytest.skip("nginx is not installed (bin/cluster installs it from Debian's packages when run as root)")
    sys.path.insert(0, str(BASE_DIR / "deploy"))
    try:
        import render_nginx
    finally:
        sys.path.pop(0)
    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    # nginx's worker runs as "nobody" under root: the static folder must be readable by anyone,
    # which pytest's private tmp_path is not.
    static = Path(tempfile.mkdtemp(prefix="reelvision-static-"))
    static.chmod(0o755)
    (static / "css").mkdir()
    (static / "css" / "site.0123456789ab.css").write_text("body{}")
    port, down = free_port(), free_port()
    config = render_nginx.write(
        tmp_path / "nginx",
        app_servers=[f"127.0.0.1:{down}", f"127.0.0.1:{app.server_port}"],
        listen=f"127.0.0.1:{port}",
        server_name="localhost",
        static_root=static,
        standalone=True,
    )
    server = subprocess.Popen(
        [nginx, "-p", str(config.parent), "-c", str(config), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wait_until_listening(port, server, "nginx")
    yield f"http://localhost:{port}"
    server.terminate()
    server.wait(timeout=20)
    app.shutdown()
    shutil.rmtree(static)


def test_nginx_passes_the_visitor_on_and_routes_around_an_app_server_that_is_down(nginx_site):
    """Every request reaches the live app server with Host, X-Forwarded-For and -Proto; the dead one is skipped."""
    for _ in range(4):
        status, _, body = get(nginx_site + "/films/?page=2")
        passed = json.loads(body)
        assert status == 200
        assert passed["host"] == nginx_site.removeprefix("http://")
        assert passed["x-forwarded-for"] == "127.0.0.1"
        assert passed["x-forwarded-proto"] == "http"
    # A forged header stays on the left; the address nginx saw is the last entry (TRUSTED_PROXY_COUNT=1).
    _, _, body = get(nginx_site + "/", **{"X-Forwarded-For": "203.0.113.9"})
    assert json.loads(body)["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"


def test_nginx_serves_hashed_static_files_as_immutable(nginx_site):
    """Static files come from STATIC_ROOT without reaching Django; hashed names may be kept for good."""
    status, headers, body = get(nginx_site + "/static/css/site.0123456789ab.css")
    assert (status, body) == (200, b"body{}")
    assert "immutable" in ", ".join(headers.get_all("Cache-Control"))
    assert "x-forwarded-for" not in body.decode()
