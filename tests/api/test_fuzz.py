"""A property-based run of schemathesis against the OpenAPI schema: whatever the parameters, no 5xx.

Bounded so that it belongs in `make test`: a few examples per operation, no deadline per example, and the
whole run stops after the time in FUZZ_SECONDS."""

import time

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.factories import BeneficiaryFactory, ProjectFactory

pytestmark = pytest.mark.django_db

EXAMPLES = 4
FUZZ_SECONDS = 60
_clock: dict[str, float] = {}  # started at the first example, not at import (database set-up takes a while)


@pytest.fixture
def api_schema():
    # Called as a plain WSGI app, each request would end by closing the database connection (Django's test client
    # switches that off; so do we), and on PostgreSQL the test's own transaction would go with it.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def fuzz_token(db, province_client):
    ProjectFactory(code="FZ-1", beneficiaries=[BeneficiaryFactory()])
    return province_client[1]


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error_whatever_the_parameters(case, fuzz_token):
    started = _clock.setdefault("started", time.monotonic())
    if time.monotonic() - started > FUZZ_SECONDS:
        pytest.skip("hết thời gian dành cho schemathesis")
    response = case.call(headers={"Authorization": f"Bearer {fuzz_token}"})
    assert response.status_code < 500, (case.path, case.query, response.text[:500])
