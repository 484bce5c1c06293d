"""Content Security Policy (django-csp): every response carries it, and no template needs 'unsafe-inline'."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

# PDF templates are rendered by WeasyPrint on the server and e-mails are text: neither reaches a browser.
TEMPLATES = [
    path
    for top in Path(settings.BASE_DIR).iterdir()
    if top.is_dir() and not top.name.startswith(".") and (top / "templates").is_dir()
    for path in (top / "templates").glob("**/*.html")
    if "pdf" not in path.parts
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=[\"']|\son[a-z]+=[\"']", re.I)


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def test_the_templates_hold_no_inline_script_style_or_handler():
    assert len(TEMPLATES) > 50
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for path in TEMPLATES
        for pattern in (INLINE_SCRIPT, INLINE_STYLE)
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize("name", ["login", "password_reset", "healthz"])
def test_anonymous_pages_carry_the_policy(client, name):
    policy = _policy(client.get(reverse(name)))
    assert policy["default-src"] == "default-src 'self'"
    assert "unsafe-inline" not in str(policy) and "unsafe-eval" not in str(policy)
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"


def test_a_signed_in_page_a_file_and_an_error_carry_the_policy(login, staff):
    client = login(staff)
    for response in (client.get(reverse("home")), client.get("/khong-co-trang-nay/")):
        assert _policy(response)["script-src"] == "script-src 'self'"
        assert _policy(response)["style-src"] == "style-src 'self'"
