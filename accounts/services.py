"""Writes to accounts."""

from django.db import transaction

from accounts.models import User


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, preferred_language: str) -> User:
    """Change the user's name and language; validation runs before anything is saved."""
    user.full_name = full_name
    user.preferred_language = preferred_language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "preferred_language"])
    return user
