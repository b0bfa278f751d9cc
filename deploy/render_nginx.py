"""Render deploy/nginx/reelvision.conf for one installation, and a whole nginx.conf around it.

    python deploy/render_nginx.py --out DIR --listen 127.0.0.1:8080 --static-root STATIC_ROOT \\
        --app-server 127.0.0.1:8101 --app-server 127.0.0.1:8102 [--chat-server 127.0.0.1:8201 …] [--standalone]

writes DIR/reelvision.conf (the site, for /etc/nginx/conf.d/) and DIR/reelvision-proxy.conf;
`--standalone` also writes DIR/nginx.conf, a complete configuration that keeps its pid file, logs
and temporary files under DIR, so an unprivileged nginx runs it beside any other
(`nginx -p DIR -c DIR/nginx.conf`; bin/cluster does).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parent / "nginx"
SITE_TEMPLATE = TEMPLATE_DIR / "reelvision.conf"
PROXY_SNIPPET = TEMPLATE_DIR / "reelvision-proxy.conf"
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
# Connections per nginx worker: every visitor holds one, and one more to an app server meanwhile.
WORKER_CONNECTIONS = 4096
MIME_TYPES = Path("/etc/nginx/mime.types")


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with every ``@NAME@`` replaced; a placeholder without a value is an error."""
    missing = sorted(set(PLACEHOLDER.findall(template)) - values.keys())
    if missing:
        raise KeyError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def site_config(
    *,
    app_servers: list[str],
    listen: str,
    server_name: str,
    static_root: Path,
    proxy_conf: Path,
    chat_servers: list[str] | None = None,
) -> str:
    """The site's configuration: nginx in front of ``app_servers`` ("host:port" or "unix:/path"), and of
    ``chat_servers`` (daphne) for the chat's WebSockets. Without chat servers, /ws/ goes to the app
    servers, which is right only when they are ASGI servers themselves (daphne)."""
    if not app_servers:
        raise ValueError("at least one app server is needed")
    upstream = "\n    ".join(f"server {address} max_fails=1 fail_timeout=5s;" for address in app_servers)
    chat_upstream = "\n    ".join(f"server {address};" for address in chat_servers or app_servers)
    return fill(
        SITE_TEMPLATE.read_text(),
        {
            "APP_SERVERS": upstream,
            "CHAT_SERVERS": chat_upstream,
            "LISTEN": f"listen {listen};",
            "SERVER_NAME": server_name,
            "STATIC_ROOT": str(static_root).rstrip("/"),
            "PROXY_CONF": str(proxy_conf),
        },
    )


def standalone_config(work_dir: Path, site_conf: Path) -> str:
    """A whole nginx.conf that keeps everything it writes under ``work_dir`` and includes the site."""
    return f"""# Written by deploy/render_nginx.py: nginx -p {work_dir} -c {work_dir}/nginx.conf
worker_processes 1;
pid {work_dir}/nginx.pid;
error_log {work_dir}/logs/error.log warn;

events {{
    worker_connections {WORKER_CONNECTIONS};
}}

http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 30s;
    access_log {work_dir}/logs/access.log;
    client_body_temp_path {work_dir}/temp/client_body;
    proxy_temp_path {work_dir}/temp/proxy;
    fastcgi_temp_path {work_dir}/temp/fastcgi;
    uwsgi_temp_path {work_dir}/temp/uwsgi;
    scgi_temp_path {work_dir}/temp/scgi;

    include {site_conf};
}}
"""


def write(
    out: Path,
    *,
    app_servers: list[str],
    listen: str,
    server_name: str,
    static_root: Path,
    standalone: bool,
    chat_servers: list[str] | None = None,
) -> Path:
    """Write the configuration files into ``out``; returns the file to hand nginx (-c)."""
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    proxy_conf = out / PROXY_SNIPPET.name
    proxy_conf.write_text(PROXY_SNIPPET.read_text())
    site_conf = out / SITE_TEMPLATE.name
    site_conf.write_text(
        site_config(
            app_servers=app_servers,
            listen=listen,
            server_name=server_name,
            static_root=static_root,
            proxy_conf=proxy_conf,
            chat_servers=chat_servers,
        )
    )
    if not standalone:
        return site_conf
    for folder in ("logs", "temp"):
        (out / folder).mkdir(exist_ok=True)
    main_conf = out / "nginx.conf"
    main_conf.write_text(standalone_config(out, site_conf))
    return main_conf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="folder to write the files into")
    parser.add_argument("--app-server", action="append", required=True, help="host:port or unix:/path; repeat")
    parser.add_argument(
        "--chat-server", action="append", help="a chat server (daphne) for /ws/; repeat (default: the app servers)"
    )
    parser.add_argument("--listen", default="80", help='what follows "listen", e.g. 127.0.0.1:8080')
    parser.add_argument("--server-name", default="_", help="server_name (default: any)")
    parser.add_argument("--static-root", type=Path, required=True, help="STATIC_ROOT")
    parser.add_argument("--standalone", action="store_true", help="also write a whole nginx.conf")
    args = parser.parse_args()
    written = write(
        args.out,
        app_servers=args.app_server,
        listen=args.listen,
        server_name=args.server_name,
        static_root=args.static_root,
        standalone=args.standalone,
        chat_servers=args.chat_server,
    )
    sys.stdout.write(f"{written}\n")


if __name__ == "__main__":
    main()
