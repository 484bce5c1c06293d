"""An S3 endpoint for tests: moto's server mode in this process, on a port the OS picks, one bucket per test.

Works under pytest-xdist: every worker process starts its own server on its own free port, and bucket names are
random. `s3_media` switches Django's default storage to that bucket for one test (the settings fixture restores it).
"""

import uuid
from dataclasses import dataclass

import pytest

from tests.core.test_backup import empty_target  # noqa: F401  (the restore test's fresh database)

ACCESS_KEY = "kc-test"
SECRET_KEY = "kc-test-secret"
REGION = "us-east-1"


@pytest.fixture(scope="session")
def moto_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass
class Bucket:
    name: str
    endpoint: str
    client: object

    def options(self) -> dict:
        """The STORAGES OPTIONS the app would build from S3_* variables, pointed at this bucket."""
        from django.conf import settings

        return {
            **settings.S3_OPTIONS,
            "bucket_name": self.name,
            "endpoint_url": self.endpoint,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "region_name": REGION,
        }

    def storage(self):
        from storages.backends.s3 import S3Storage

        return S3Storage(**self.options())

    def objects(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def env(self) -> dict[str, str]:
        """What a separate process needs to use this bucket as its media storage."""
        return {
            "MEDIA_STORAGE": "s3",
            "S3_BUCKET": self.name,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_REGION": REGION,
        }


@pytest.fixture
def new_bucket(moto_endpoint):
    """new_bucket() → an empty, private Bucket; emptied and removed after the test."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )
    made = []

    def _make() -> Bucket:
        bucket = Bucket(f"kc-{uuid.uuid4().hex[:20]}", moto_endpoint, client)
        client.create_bucket(Bucket=bucket.name)
        made.append(bucket)
        return bucket

    yield _make
    for bucket in made:
        for key in bucket.objects():
            client.delete_object(Bucket=bucket.name, Key=key)
        client.delete_bucket(Bucket=bucket.name)


@pytest.fixture
def s3_media(settings, new_bucket):
    """Django's default storage is a fresh moto bucket for this test; MEDIA_ROOT must stay empty."""
    bucket = new_bucket()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": bucket.options()},
    }
    from django.core.files.storage import default_storage

    assert default_storage.bucket_name == bucket.name  # the lazy default storage was reset by the setting change
    yield bucket
