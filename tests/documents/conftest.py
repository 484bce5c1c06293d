import pytest
from pypdf import PdfReader


def pdf_text(job) -> str:
    with job.file.open("rb") as fh:
        reader = PdfReader(fh)
        return "\n".join(page.extract_text() for page in reader.pages)


def pdf_reader(job) -> PdfReader:
    with job.file.open("rb") as fh:
        return PdfReader(fh)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Eager Celery: requests render in-process; this runs what services deferred to after commit."""

    def _run():
        return django_capture_on_commit_callbacks(execute=True)

    return _run
