# One image for web, worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv PATH="/opt/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=khuyencong.settings.production

# WeasyPrint needs Pango; official documents need a Times-compatible serif with Vietnamese glyphs.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fontconfig fonts-liberation gettext curl postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN pip install --no-cache-dir uv==0.13.8 && uv sync --frozen --no-dev --inexact
COPY . .
# Production settings refuse to load without these; the build needs none of them to be real (nothing connects).
ARG BUILD_ENV="CELERY_BROKER_URL=redis://build-only:6379/0 CACHE_URL=redis://build-only:6379/1 EMAIL_URL=smtp://build-only:25"
RUN env $BUILD_ENV SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64) python manage.py collectstatic --noinput \
    && env $BUILD_ENV SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64) \
       python manage.py compilemessages --ignore=/opt/venv -v 0

RUN useradd --create-home app && mkdir -p /app/media /app/backups && chown app /app/media /app/backups
USER app
EXPOSE 8000
CMD ["gunicorn", "khuyencong.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
