# The image of the API and the worker (see docker-compose.yml): python:3.11-slim, runs as a non-root user.
# The console (web/) is built in a first stage and served by the API from web/dist: no CDN, no Node at run time.
FROM node:20-slim AS console
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 assistflow \
 && useradd --system --uid 10001 --gid assistflow --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin assistflow

WORKDIR /app
COPY pyproject.toml alembic.ini ./
COPY migrations ./migrations
COPY vocabulary ./vocabulary
COPY policy ./policy
COPY models ./models
COPY workflows ./workflows
COPY infra ./infra
COPY activities ./activities
COPY api ./api
COPY devstack ./devstack
COPY admin ./admin
COPY worker.py ./
COPY --from=console /web/dist ./web/dist

# Installed in place (-e) rather than into site-packages: infra.migrate and Alembic find alembic.ini and
# migrations/ next to the package source (models/settings.py PROJECT_ROOT), which `pip install .` leaves out.
# Without the `stack` extra: the image talks to a Temporal cluster and a PostgreSQL server, so it carries no
# Temporal dev/test server binaries and no embedded PostgreSQL. `assistflow` (the admin CLI) is on PATH.
RUN pip install -e .

USER assistflow:assistflow
EXPOSE 8000
CMD ["python", "-m", "uvicorn", "--factory", "api.main:app", "--host", "0.0.0.0", "--port", "8000"]
