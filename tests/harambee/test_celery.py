"""A task travels through the real broker to a real worker: the file-system broker
by default, Redis when REDIS_URL is set (as in CI)."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache
from kombu import pools

from harambee.celery import app
from harambee.tasks import heartbeat


@pytest.fixture
def broker(tmp_path, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    if not settings.REDIS_URL:
        folders = {name: tmp_path / name for name in ("queue", "processed", "control")}
        for folder in folders.values():
            folder.mkdir()
        app.conf.broker_url = "filesystem://"
        app.conf.broker_transport_options = {
            "data_folder_in": str(folders["queue"]),
            "data_folder_out": str(folders["queue"]),
            "processed_folder": str(folders["processed"]),
            "control_folder": str(folders["control"]),
        }
    _fresh_connections()
    yield app
    _fresh_connections()
    app.conf.task_always_eager = True


def _fresh_connections() -> None:
    """Drop pooled broker connections, which keep the options they were opened with."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def test_a_task_sent_through_the_broker_is_run_by_a_worker(broker):
    token = uuid.uuid4().hex
    with start_worker(broker, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        heartbeat.delay(token)
        deadline = time.monotonic() + 20
        while cache.get(f"harambee:heartbeat:{token}") is None and time.monotonic() < deadline:
            time.sleep(0.1)
    assert cache.get(f"harambee:heartbeat:{token}") == "alive"
    assert settings.CELERY_BROKER_URL.startswith(
        "redis://" if settings.REDIS_URL else "filesystem://"
    )
