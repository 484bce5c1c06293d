from django.db import transaction

from accounts.models import User


def user_set_language(*, actor: User, language: str) -> User:
    with transaction.atomic():
        actor.language = language
        actor.full_clean(validate_unique=False)
        actor.save(update_fields=["language"])
    return actor
