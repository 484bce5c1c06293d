from celery import shared_task

from areas.models import AdministrativeUnit


@shared_task(ignore_result=False, acks_late=True, time_limit=30)
def count_units() -> int:
    """Reads the database from the worker: proves the worker and the web share one database."""
    return AdministrativeUnit.objects.count()
