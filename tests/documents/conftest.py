import copy
import io
from pathlib import Path

import pytest
from pypdf import PdfReader


def pdf_text(job) -> str:
    """The PDF's text with runs of white space (line breaks inside table cells) folded to one space."""
    return " ".join(" ".join(page.extract_text() for page in pdf_reader(job).pages).split())


def pdf_reader(job) -> PdfReader:
    with job.file.open("rb") as fh:
        return PdfReader(io.BytesIO(fh.read()))


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Eager Celery: requests render in-process; this runs what services deferred to after commit."""

    def _run():
        return django_capture_on_commit_callbacks(execute=True)

    return _run


@pytest.fixture
def money_kind(settings):
    """A kind with an amount, registered for one test: exercises the "Bằng chữ" block of the layout."""
    from django.core.exceptions import ValidationError

    from core.money import parse_dong
    from documents.kinds import DocumentKind, register, unregister

    class MoneyKind(DocumentKind):
        code = "test_money"
        title = "Báo cáo thử"
        template = "documents/pdf/test_money.html"

        def clean_params(self, raw):
            try:
                return {"amount": parse_dong(raw.get("amount"))}
            except ValueError as exc:
                raise ValidationError(str(exc))

        def target(self, user, params):
            return None

        def collect(self, params):
            return {"amount": params["amount"]}

    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates
    register(MoneyKind)
    yield MoneyKind()
    unregister(MoneyKind.code)
