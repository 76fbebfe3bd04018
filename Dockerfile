# The image docker-compose.yml runs as web, worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# collectstatic with DEBUG off (as the containers run): hashed names, gzip and Brotli files,
# served by WhiteNoise with a year-long lifetime.
RUN python manage.py compilemessages --ignore "*/site-packages/*" -v 0 \
    && DEBUG=false HARAMBEE_PRODUCTION=true SECRET_KEY=build-only ALLOWED_HOSTS=build SITE_URL=https://build \
       python manage.py collectstatic --no-input -v 0 \
    && useradd --create-home harambee && mkdir -p /app/var && chown -R harambee /app/var
USER harambee
EXPOSE 8000
CMD ["gunicorn", "harambee.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
