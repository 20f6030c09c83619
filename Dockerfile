# The portal's image: one image for web (gunicorn), worker and beat (celery); see docker-compose.yml.

# --- front-end packages ---------------------------------------------------------------------------
# package.json's packages are copied into static/vendor/ here, so the final image carries no Node.
FROM python:3.11-slim-bookworm AS vendor
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts ./scripts
RUN node scripts/vendor.mjs

# --- the application ------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

# PYTHONPATH: import the project from /app, not from the copy `pip install .` puts in
# site-packages, because the settings find templates/ and static/ next to the package (BASE_DIR).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

# WeasyPrint's system libraries (Pango, HarfBuzz subsetting) and a fallback font for the PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --user-group --uid 10001 --home-dir /app --no-create-home sundhed

WORKDIR /app

# Dependencies and packages first: this layer is rebuilt only when the code or pyproject changes.
COPY pyproject.toml ./
COPY sundhed ./sundhed
COPY organisation ./organisation
COPY aftaler ./aftaler
COPY indikatorer ./indikatorer
RUN pip install .

COPY manage.py ./
COPY templates ./templates
COPY static ./static
RUN rm -rf static/vendor
COPY --from=vendor /app/static/vendor ./static/vendor

# Collected with DEBUG=0, so the hashed manifest that production (whitenoise) needs is written.
# The key exists only for this command; the containers get their own SECRET_KEY.
RUN DEBUG=0 SECRET_KEY=kun-til-collectstatic python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown sundhed:sundhed /app/media

USER sundhed

EXPOSE 8000

CMD ["gunicorn", "sundhed.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
