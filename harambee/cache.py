"""Django's Redis cache backend, with one redis-py client per connection pool.

Django's ``RedisCacheClient`` makes a new ``redis.Redis`` for every cache operation, and
redis-py builds a table of some 170 response callbacks for each one it makes: about 750
Python calls per get or set, more than the request for /healthz makes in all. A page
reads the page cache, the public version and its site-wide figures, so that was most of
the cost of a cached page. A ``redis.Redis`` is safe to share between threads (it takes a
connection from its pool for each command), so one per pool is kept and reused.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class RedisCache(django_redis.RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with the client above."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
