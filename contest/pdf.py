"""PDF rendering for certificates and the scoring summary: plain data in, PDF bytes out.

Nothing here reads the database, so the same functions can run in a request today and in a document job
(Celery + WeasyPrint) later. The data builders live in `contest.documents`.
"""

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML


def render_pdf(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_certificate_pdf(data: dict) -> bytes:
    """One A4 landscape certificate; `data` comes from contest.documents.certificate_data."""
    return render_pdf("contest/pdf/certificate.html", {"c": data})


def render_summary_pdf(data: dict) -> bytes:
    """The scoring summary table for the council's minutes; `data` from contest.documents.summary_data."""
    return render_pdf("contest/pdf/summary.html", {"s": data})
