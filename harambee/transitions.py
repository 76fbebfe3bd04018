"""State changes that cannot race: lock the row, recheck the state, then change it.

Every transition of every app goes through ``transition`` (assessment submit and
validate now; readings, reviews and recommendations later), and every write that hangs
off a guarded row starts with ``lock``. Without the lock, two requests that both read
"submitted" would both validate, and an import that started before a validation would
land after it. On PostgreSQL the lock is ``SELECT ... FOR UPDATE``; SQLite ignores it,
but it serialises writers anyway, so the recheck inside the transaction still holds.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from harambee.services import auto_now_fields, save_changes

M = TypeVar("M", bound=Model)

# django-simple-history keeps a change reason in a 100-character column.
CHANGE_REASON_MAX_LENGTH = 100


def lock(instance: M) -> M:
    """The row as stored now, locked until the surrounding transaction ends.

    Call it inside ``transaction.atomic``. The caller decides from the returned copy, never
    from ``instance``: a page may have loaded ``instance`` before someone else changed it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock() only holds inside transaction.atomic.")
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


@transaction.atomic
def transition(
    instance: M,
    *,
    allowed_from: Collection[Any],
    to: Any,
    refusal: str,
    code: str = "invalid_state",
    field: str = "status",
    check: Callable[[M], None] | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> M:
    """Move ``instance`` from one of ``allowed_from`` to ``to``, or refuse with ``refusal``.

    The state is read from the locked row, so of several concurrent requests exactly one
    succeeds and the others get ``refusal``. ``check`` raises ``ValidationError`` for any
    other precondition (it sees the locked row); ``changes`` are saved with the new state;
    ``reason`` is kept as the change reason in the row's history. The caller's
    ``instance`` is updated to match what was saved.
    """
    if len(reason) > CHANGE_REASON_MAX_LENGTH:
        raise ValidationError(
            _("Keep the reason to %(max)s characters.") % {"max": CHANGE_REASON_MAX_LENGTH},
            code="reason_too_long",
        )
    locked = lock(instance)
    if getattr(locked, field) not in allowed_from:
        raise ValidationError(refusal, code=code)
    if check is not None:
        check(locked)
    if reason:
        locked._change_reason = reason  # read by django-simple-history when it saves
    fields = {field: to, **(changes or {})}
    save_changes(locked, fields)
    for name in (*fields, *auto_now_fields(locked)):
        setattr(instance, name, getattr(locked, name))
    return locked
