"""The ingest server's configuration: deploy/nginx/rtmp.conf filled in for one installation.

nginx with Debian's RTMP module (libnginx-mod-rtmp) receives OBS's stream, writes the live HLS and
the recording under LIVE_DIR and calls the hooks in `live.ingest_views`. bin/run writes the file
with `manage.py live_rtmp_config` and starts nginx on it; a streaming server of its own runs the
same file.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "rtmp.conf"
# Where Debian's libnginx-mod-rtmp puts the module (`dpkg -L libnginx-mod-rtmp`).
MODULE_PATH = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
# The application accepted streams are pushed to (deploy/nginx/rtmp.conf); only loopback publishes there.
INTERNAL_APPLICATION = "premieres"


@dataclass(frozen=True)
class IngestFolders:
    hls: Path
    recordings: Path


def folders(live_dir: Path | None = None) -> IngestFolders:
    """The folders nginx writes and the site reads: live HLS (one folder per stream) and recordings."""
    root = Path(live_dir or settings.LIVE_DIR)
    return IngestFolders(hls=root / "hls", recordings=root / "recordings")


def find_nginx() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)


def rtmp_available() -> bool:
    """True when nginx and Debian's RTMP module are installed (what the ingest needs)."""
    return find_nginx() is not None and MODULE_PATH.exists()


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with every ``@NAME@`` replaced; a placeholder without a value is an error."""
    missing = sorted(set(PLACEHOLDER.findall(template)) - values.keys())
    if missing:
        raise KeyError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def render(
    *,
    work_dir: Path,
    listen: str,
    hook_base_url: str,
    hook_secret: str,
    live_dir: Path | None = None,
    module_path: Path | None = MODULE_PATH,
) -> str:
    """The whole nginx.conf. ``module_path`` None leaves out `load_module` (a module built in)."""
    where = folders(live_dir)
    # Started as root, nginx runs its workers as "nobody", who may not write our folders.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    return fill(
        TEMPLATE.read_text(),
        {
            "LOAD_MODULE": f"load_module {module_path};" if module_path else "",
            "USER": user,
            "WORK_DIR": str(work_dir),
            "LISTEN": listen,
            "HLS_DIR": str(where.hls),
            "RECORD_DIR": str(where.recordings),
            "HOOK_BASE": hook_base_url.rstrip("/"),
            "HOOK_QUERY": ("?" + urlencode({"secret": hook_secret})) if hook_secret else "",
        },
    )


def write_config(work_dir: Path, *, listen: str | None = None, live_dir: Path | None = None, **options) -> Path:
    """Write ``work_dir``/nginx-rtmp.conf and create the folders nginx writes to. Returns its path."""
    work_dir.mkdir(parents=True, exist_ok=True)
    where = folders(live_dir)
    where.hls.mkdir(parents=True, exist_ok=True)
    where.recordings.mkdir(parents=True, exist_ok=True)
    options.setdefault("hook_base_url", settings.LIVE_RTMP_HOOK_BASE_URL)
    options.setdefault("hook_secret", settings.LIVE_RTMP_HOOK_SECRET)
    text = render(
        work_dir=work_dir, listen=listen or f"127.0.0.1:{settings.LIVE_RTMP_PORT}", live_dir=live_dir, **options
    )
    path = work_dir / "nginx-rtmp.conf"
    path.write_text(text)
    return path


def nginx_command(config: Path, work_dir: Path) -> list[str]:
    """How to start nginx on ``config`` in the foreground (its config says `daemon off`)."""
    nginx = find_nginx() or "nginx"
    return [nginx, "-p", str(work_dir), "-e", str(work_dir / "nginx-rtmp-error.log"), "-c", str(config)]


def push_target(name: str) -> str:
    """Where the publish hook sends an accepted stream: the internal application, under ``name``.

    nginx pushes it there itself (a redirect to an rtmp:// address), so its HLS and recording
    carry ``name``, not the key the publisher typed.
    """
    return f"rtmp://127.0.0.1:{settings.LIVE_RTMP_PORT}/{INTERNAL_APPLICATION}/{name}"
