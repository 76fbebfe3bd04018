"""Set-based inserts for imports and benchmarks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import connections, router
from django.db.models import Model
from django.utils import timezone


def bulk_insert(model: type[Model], rows: Sequence[Mapping], *, batch_size: int = 2000) -> int:
    """Insert rows (dicts of field name to value) in batches, without building model instances.

    Building 10,000 instances of a model registered with modeltranslation costs seconds;
    this prepares each value with its field's own ``get_db_prep_save``. Fields missing from
    the rows get their default, ``auto_now``/``auto_now_add`` fields the current time.
    Callers validate first: no model ``clean()`` runs here. Returns the number of rows.
    """
    if not rows:
        return 0
    using = router.db_for_write(model)
    connection = connections[using]
    given = list(rows[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.name in given]
    now = timezone.now()
    constant = {}
    for field in fields:
        if field.name in given or field.attname in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constant[field.attname] = field.get_db_prep_save(now, connection)
        else:
            constant[field.attname] = field.get_db_prep_save(field.get_default(), connection)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from _meta
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            cursor.executemany(sql, [_values(fields, row, constant, connection) for row in batch])
    return len(rows)


def _values(fields, row: Mapping, constant: dict, connection) -> list:
    values = []
    for field in fields:
        if field.attname in constant:
            values.append(constant[field.attname])
        else:
            value = row[field.name] if field.name in row else row[field.attname]
            values.append(field.get_db_prep_save(value, connection))
    return values
