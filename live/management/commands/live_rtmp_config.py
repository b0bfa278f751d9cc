"""Write the ingest server's nginx configuration (deploy/nginx/rtmp.conf filled in) and print its path.

    manage.py live_rtmp_config --work-dir /tmp/reelvision-rtmp [--host 0.0.0.0]
    nginx -p WORK_DIR -e WORK_DIR/nginx-rtmp-error.log -c WORK_DIR/nginx-rtmp.conf

Exits with status 1 when nginx or its RTMP module is not installed (bin/run then runs without live
ingest).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from live.nginx_rtmp import rtmp_available, write_config


class Command(BaseCommand):
    help = "Write nginx's RTMP configuration for live premieres and print its path."

    def add_arguments(self, parser):
        parser.add_argument("--work-dir", required=True, type=Path, help="Where the config, pid file and log go.")
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Address to listen on (default: %(default)s); the port is LIVE_RTMP_PORT.",
        )

    def handle(self, *args, work_dir: Path, host: str, **options):
        if not rtmp_available():
            raise CommandError("nginx with its RTMP module is not installed (apt-get install nginx libnginx-mod-rtmp).")
        self.stdout.write(str(write_config(work_dir.resolve(), listen=f"{host}:{settings.LIVE_RTMP_PORT}")))
