"""Writes to accounts."""

from django.db import transaction

from accounts.models import User


@transaction.atomic
def user_update_profile(
    *, user: User, full_name: str, preferred_language: str, digests_enabled: bool | None = None
) -> User:
    """Change the user's name, language and (when given) whether they take the daily
    scorecard digest; validation runs before anything is saved."""
    user.full_name = full_name
    user.preferred_language = preferred_language
    fields = ["full_name", "preferred_language"]
    if digests_enabled is not None:
        user.digests_enabled = digests_enabled
        fields.append("digests_enabled")
    user.full_clean(exclude=["password"])
    user.save(update_fields=fields)
    return user
