# Finsam production image: gunicorn for the web, the same image for Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_ENV=production

# Pango and HarfBuzz for WeasyPrint, DejaVu fonts for the PDF/A reports, pg_dump for backups.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 finsam
WORKDIR /app

COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY --chown=finsam:finsam . .
# collectstatic needs settings that start; the real secret comes from the environment at run time.
RUN DJANGO_SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && mkdir -p /data/media && chown finsam:finsam /data/media

USER finsam
ENV MEDIA_ROOT=/data/media
EXPOSE 8000
CMD ["gunicorn", "finsam.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--timeout", "60"]
