import pytest


@pytest.fixture
def eager_tasks():
    """Runs Celery tasks in-process even when a broker is configured (the PostgreSQL + Redis run).

    The app reads its configuration from Django settings with the CELERY_ namespace, so the namespaced key is the
    one that takes effect."""
    from khuyencong.celery import app

    previous = app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = previous
