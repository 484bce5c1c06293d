"""Personas used across the suite: a staff member, a leader, an officer of area A (Thủy Nguyên),
an officer of area B (Cát Hải), an admin and a juror."""

import os

import pytest

from accounts.roles import Role
from tests.factories import BeneficiaryFactory, UserFactory, first_commune, unit

AREA_A = "/31/d311/"  # huyện Thủy Nguyên (before 7/2025)
AREA_B = "/31/d317/"  # huyện Cát Hải (before 7/2025)


def login_form(username: str, password: str) -> dict:
    """The first step of the sign-in wizard (django-two-factor-auth), as a browser posts it."""
    return {"login_view-current_step": "auth", "auth-username": username, "auth-password": password}


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def transactional_db(transactional_db):
    """pytest-django's fixture, plus the reference data a previous flush removed (tests/snapshots.py)."""
    from tests.snapshots import reference_data

    reference_data()
    return transactional_db


@pytest.fixture
def eager(monkeypatch):
    """Celery tasks run in-process even when CELERY_BROKER_URL is set (CI): for tests that are not about the worker.

    The app reads Django settings under the CELERY_ namespace, so the namespaced key is the one that takes effect."""
    from khuyencong.celery import app

    monkeypatch.setitem(app.conf, "CELERY_TASK_ALWAYS_EAGER", True)


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", role=Role.STAFF)


@pytest.fixture
def leader(db):
    return UserFactory(username="leader", role=Role.LEADER)


@pytest.fixture
def officer_a(db):
    return UserFactory(username="officer_a", role=Role.AREA_OFFICER, areas=[unit(AREA_A)])


@pytest.fixture
def officer_b(db):
    return UserFactory(username="officer_b", role=Role.AREA_OFFICER, areas=[unit(AREA_B)])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=Role.ADMIN, is_staff=True)


@pytest.fixture
def juror(db):
    return UserFactory(username="juror", role=Role.JUROR)


@pytest.fixture
def beneficiary_a(db):
    return BeneficiaryFactory(name="Cơ khí Thủy Nguyên", unit=first_commune(AREA_A))


@pytest.fixture
def beneficiary_b(db):
    return BeneficiaryFactory(name="Nước mắm Cát Hải", unit=first_commune(AREA_B))


@pytest.fixture
def login(client):
    """login(user) → a client signed in as that user."""

    def _do(user):
        return _login(client, user)

    return _do


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _vietnamese():
    """A request in English leaves English active in the thread; every test starts in Vietnamese."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.activate("vi")


def pytest_collection_modifyitems(config, items):
    # Browser tests drive a sync Playwright loop in the test thread, which Django would refuse.
    if any("browser" in item.keywords for item in items):
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


from tests.snapshots import demo  # noqa: E402,F401  (fixture)
from tests.worker import celery_worker  # noqa: E402,F401  (fixture)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits count in the cache; each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
