"""Site-wide tasks."""

from celery import shared_task
from django.core.cache import cache


@shared_task(name="harambee.heartbeat")
def heartbeat(token: str) -> str:
    """Leave a mark in the cache; monitoring (and the tests) use it to see a worker is alive."""
    cache.set(f"harambee:heartbeat:{token}", "alive", timeout=300)
    return token
