"""Thin task interface: ids in, one service call, quiet when the work is already done."""

from celery import shared_task


@shared_task(acks_late=True, time_limit=15 * 60, soft_time_limit=14 * 60)
def analyse_import(batch_id: int) -> None:
    from beneficiaries.services import import_batch_analyse

    import_batch_analyse(batch_id=batch_id)


@shared_task(acks_late=True, time_limit=15 * 60, soft_time_limit=14 * 60)
def write_import(batch_id: int) -> None:
    from beneficiaries.services import import_batch_write

    import_batch_write(batch_id=batch_id)
