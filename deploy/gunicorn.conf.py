"""gunicorn's settings for every app server (systemd, compose, bin/cluster): `gunicorn -c deploy/gunicorn.conf.py`.

The address comes from the command line (`--bind 127.0.0.1:8001` or a Unix socket), so one file
serves any number of app servers. nginx sits in front and buffers both ways, so sync workers never
wait on a slow client: each worker handles one request at a time, and the pages that matter most
come from the page cache in Redis in a millisecond or two.
"""

import os

wsgi_app = "reelvision.wsgi:application"
# Worker processes per app server; two per core is a good start on a machine of its own.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
# A request running longer than this is killed (its worker restarted); nginx waits a little longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM or SIGHUP the workers finish the requests they hold for up to this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Queued connections while every worker is busy; nginx's retries cover the rest.
backlog = 2048
# Restart a worker now and then so that slow growth in memory never adds up; the jitter keeps the
# workers of one server from restarting together.
max_requests = 2000
max_requests_jitter = 200
# nginx passes X-Forwarded-For/Proto; Django reads them itself (TRUSTED_PROXY_COUNT,
# SECURE_PROXY_SSL_HEADER), so gunicorn trusts only a proxy on this machine.
forwarded_allow_ips = "127.0.0.1,::1"
# No control socket (~/.gunicorn): several app servers on one machine would fight over its path,
# and systemd or bin/cluster already manage the processes.
control_socket_disable = True
# nginx logs every request; gunicorn logs errors only.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
