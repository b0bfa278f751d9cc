# ReelVision's image: the site, its task workers and (target "nginx") nginx with the static files.
#   docker compose up --build        (compose.yaml)
# Front-end packages (video player, upload widget, charts) come from package-lock.json.
FROM node:20-bookworm-slim AS frontend
WORKDIR /srv/reelvision
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.12-slim-bookworm AS app
# ffmpeg transcodes; the CJK fonts draw Korean titles on generated posters and demo clips.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --create-home --home-dir /srv/reelvision reelvision
WORKDIR /srv/reelvision
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/srv/reelvision/.venv \
    PATH=/srv/reelvision/.venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=reelvision.settings.production \
    STATIC_ROOT=/srv/reelvision/static
COPY requirements.txt requirements-nodeps.txt ./
RUN python -m venv .venv && .venv/bin/pip install --no-cache-dir -r requirements.txt \
    && .venv/bin/pip install --no-cache-dir --no-deps -r requirements-nodeps.txt
COPY --from=frontend /srv/reelvision/node_modules ./node_modules
COPY . .
# Static files are gathered at build time (hashed names, compressed copies). Production settings
# refuse to load without their secrets, so this one step gets throwaway values that stay in it.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
    FIELD_ENCRYPTION_KEYS=Y29sbGVjdHN0YXRpYy1vbmx5LW5vdC1hLXNlY3JldC4= \
    python manage.py collectstatic --no-input -v0 \
    && python deploy/render_nginx.py --out /srv/nginx --listen 80 --static-root /srv/reelvision/static \
       --app-server web:8000 --chat-server chat:8001
USER reelvision
EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind", "0.0.0.0:8000"]

# nginx with the static files and the rendered site configuration; the app servers are the
# replicas of compose's "web" service (Docker's DNS gives nginx every one of them).
FROM nginx:1.27-bookworm AS nginx
COPY --from=app /srv/reelvision/static /srv/reelvision/static
COPY --from=app /srv/nginx /srv/nginx
RUN ln -sf /srv/nginx/reelvision.conf /etc/nginx/conf.d/default.conf
