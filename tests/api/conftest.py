import pytest

from api.services import client_create
from tests.conftest import AREA_A
from tests.factories import unit


@pytest.fixture
def province_client(admin_user):
    return client_create(actor=admin_user, name="Cơ sở dữ liệu khuyến công quốc gia")


@pytest.fixture
def area_client(admin_user):
    return client_create(actor=admin_user, name="Phòng Kinh tế Thủy Nguyên", unit=unit(AREA_A))


@pytest.fixture
def api(client):
    """api(token).get(url, params) — the test client with the token header."""

    class Caller:
        def __init__(self, token):
            self.token = token

        def get(self, url, params=None):
            headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
            return client.get(url, params or {}, headers=headers)

    return Caller
