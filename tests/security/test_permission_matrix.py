"""Every URL pattern of the project × every demo persona and anonymous, with object ids from both areas.

Fails on any 5xx, on an object of the other area answered 200 to an area officer, on a department-only page
reached (200) by an officer or a juror, on a non-public page answered 200 to anonymous, and on a response
without the Content Security Policy. The Django admin (its own permission system) is left out.
"""

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from accounts.scope import in_scope

pytestmark = pytest.mark.django_db

PERSONAS = ["quantri", "chuyenvien", "lanhdao", "kcv.thuynguyen", "kcv.cathai", "giamkhao"]
OFFICERS = {"kcv.thuynguyen": "A", "kcv.cathai": "B"}

# Answered 200 to anonymous on purpose.
PUBLIC = {
    "healthz",
    "login",
    "two_factor:login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "contest:public_index",
    "contest:public",
    "field:service_worker",
}
# Pages of the department only: never 200 for an area officer or a juror. (The allocation list and the
# exception queue are readable by officers by design: the queue is scoped to their areas. A contest's results
# are shown to its jurors once scoring has ended: contest.permissions.can_view_results.)
DEPARTMENT_ONLY = {
    "access_log",
    "access_log_export",
    "budgets:allocation_create",
    "budgets:allocation_edit",
    "budgets:exception_decide",
    "projects:decision_create",
    "projects:import",
    "projects:import_confirm",
    "contest:create",
    "contest:edit",
    "contest:entry_create",
    "contest:import",
    "contest:import_confirm",
    "contest:import_template",
    "contest:proposals",
    "contest:certificates",
}
# What a juror has besides the contest pages they sit on: their home and their own account.
JUROR_MAY = {
    "home",
    "profile",
    "password_change",
    "password_change_done",
    "reauth",
    "two_factor:setup",
    "two_factor:qr",
    "two_factor:setup_complete",
    "two_factor:backup_tokens",
    "two_factor:profile",
    "two_factor:disable",
    "two_factor:two_factor_webauthn:create_credential",
    "two_factor:two_factor_webauthn:get_credential",
    # Reference data and a tool open to every signed-in user: the administrative-unit picker's JSON and the
    # signature check of an issued document.
    "unit_search",
    "documents:verify",
    # Their own notices (a contest opened for scoring tells its jurors): the list only ever holds the user's own.
    "notifications:list",
    "notifications:bell",
} | PUBLIC


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), f"{namespace}:{p.name}" if namespace else p.name, p


def _models():
    from beneficiaries.models import Beneficiary, ImportBatch
    from budgets.models import BudgetAllocation, BudgetException, FundingLine
    from contest.models import Contest, Entry, EntryDocument, EntryPhoto, ScoreSheet
    from documents.models import DocumentJob
    from field.models import Acceptance, FieldReport, FollowUpAction, Inspection, ReportPhoto
    from projects.models import Adjustment, Attachment, Decision, Project

    project = (Project, "unit", lambda o: {"pk": o.pk})
    beneficiary = (Beneficiary, "unit", lambda o: {"pk": o.pk})
    contest = (Contest, None, lambda o: {"pk": o.pk})
    entry = (Entry, "beneficiary__unit", lambda o: {"pk": o.contest_id, "entry_pk": o.pk})
    by_name = {
        "beneficiaries:import_batch": (ImportBatch, None, lambda o: {"pk": o.pk}),
        "projects:attachment_download": (
            Attachment,
            "project__unit",
            lambda o: {"pk": o.project_id, "attachment_pk": o.pk},
        ),
        "projects:adjustment_detail": (
            Adjustment,
            "project__unit",
            lambda o: {"pk": o.project_id, "adjustment_pk": o.pk},
        ),
        "projects:decision_detail": (Decision, None, lambda o: {"pk": o.pk}),
        "projects:decision_pdf": (Decision, None, lambda o: {"pk": o.pk}),
        "budgets:settle": (FundingLine, "project__unit", lambda o: {"pk": o.pk}),
        "budgets:adjust": (FundingLine, "project__unit", lambda o: {"pk": o.pk}),
        "budgets:exception_decide": (BudgetException, "project__unit", lambda o: {"pk": o.pk}),
        "budgets:allocation_edit": (BudgetAllocation, None, lambda o: {"pk": o.pk}),
        "field:report_create_beneficiary": beneficiary,
        "field:report_detail": (FieldReport, "unit", lambda o: {"pk": o.pk}),
        "field:report_edit": (FieldReport, "unit", lambda o: {"pk": o.pk}),
        "field:report_acknowledge": (FieldReport, "unit", lambda o: {"pk": o.pk}),
        "field:photo": (ReportPhoto, "report__unit", lambda o: {"pk": o.pk}),
        "field:photo_thumbnail": (ReportPhoto, "report__unit", lambda o: {"pk": o.pk}),
        "field:inspection_detail": (Inspection, "project__unit", lambda o: {"pk": o.pk}),
        "field:inspection_edit": (Inspection, "project__unit", lambda o: {"pk": o.pk}),
        "field:action_complete": (FollowUpAction, "inspection__project__unit", lambda o: {"pk": o.pk}),
        "field:acceptance_detail": (Acceptance, "project__unit", lambda o: {"pk": o.pk}),
        "contest:entry_photo": (
            EntryPhoto,
            "entry__beneficiary__unit",
            lambda o: {"pk": o.entry.contest_id, "entry_pk": o.entry_id, "photo_pk": o.pk},
        ),
        "contest:entry_document": (
            EntryDocument,
            "entry__beneficiary__unit",
            lambda o: {"pk": o.entry.contest_id, "entry_pk": o.entry_id, "document_pk": o.pk},
        ),
        "contest:sheet_correct": (ScoreSheet, None, lambda o: {"pk": o.entry.contest_id, "sheet_pk": o.pk}),
        "documents:detail": (DocumentJob, "unit", lambda o: {"uid": o.uid}),
        "documents:status": (DocumentJob, "unit", lambda o: {"uid": o.uid}),
        "documents:download": (DocumentJob, "unit", lambda o: {"uid": o.uid}),
        "documents:retry": (DocumentJob, "unit", lambda o: {"uid": o.uid}),
    }
    by_prefix = {
        "beneficiaries:": beneficiary,
        "projects:": project,
        "budgets:": project,
        "field:": project,
        "contest:": contest,
    }
    return by_name, by_prefix, entry


FIXED = {
    "to": "registered",
    "to_state": "scoring",
    "level": "kcdp",
    "year": 2021,
    "uidb64": "MQ",
    "token": "set-password",
}


def _variants(name, pattern, officers):
    """[(area, kwargs)]: one object per area when the object has one, else one (city-wide) object or a missing id."""
    keys = list(pattern.pattern.converters)
    if not keys:
        return [(None, {})]
    by_name, by_prefix, entry = _models()
    spec = by_name.get(name)
    if spec is None and "entry_pk" in keys:
        spec = entry
    if spec is None:
        spec = next((v for prefix, v in by_prefix.items() if name.startswith(prefix)), None)
    if spec is None or not ({"pk", "uid"} & set(keys)):
        # No object map for this route: a missing id of the right type (the walk still checks for 5xx).
        return [(None, {k: uuid.uuid4() if k == "uid" else FIXED.get(k, 987654) for k in keys})]
    model, unit_path, kwargs_of = spec
    result = []
    if unit_path is None:
        obj = model.objects.order_by("pk").first()
        result.append((None, kwargs_of(obj) if obj else {k: FIXED.get(k, 987654) for k in keys}))
    else:
        for area, officer in (("A", officers["A"]), ("B", officers["B"])):
            obj = in_scope(model.objects.all(), officer, unit_path).order_by("pk").first()
            if obj is not None:
                result.append((area, kwargs_of(obj)))
    for key in keys:  # any remaining fixed argument (a transition's target state)
        for _area, kwargs in result:
            kwargs.setdefault(key, FIXED.get(key, 1))
    return result or [(None, {k: (uuid.uuid4() if k == "uid" else 987654) for k in keys})]


def _document_jobs(officers):
    from django.core.files.base import ContentFile

    from documents.models import DocumentJob, JobStatus
    from field.models import FieldReport

    for area, officer in officers.items():
        report = in_scope(FieldReport.objects.all(), officer, "unit").first()
        if report is not None:
            job = DocumentJob(
                kind="field_report",
                params={"report": report.pk},
                params_key=f"walk-{area}",
                unit=report.unit,
                requested_by=officer,
                status=JobStatus.DONE,
                version=1,
                sha256="0" * 64,
            )
            job.file.save(f"walk-{area}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
            job.save()
            job.requesters.add(officer)


@pytest.mark.parametrize("who", ["anonymous", *PERSONAS])
def test_every_url_as_every_persona_and_anonymous(demo, settings, who):
    """One persona per test (they run side by side under xdist), each over the whole demo (tests/snapshots.py)."""
    settings.NEW_BROWSER_EMAIL = False
    users = {u.username: u for u in User.objects.filter(username__in=PERSONAS)}
    officers = {"A": users["kcv.thuynguyen"], "B": users["kcv.cathai"]}
    _document_jobs(officers)
    # The read API (api/) signs in by client token, not by session: tests/api walks it per token scope.
    routes = [
        (name, p) for route, name, p in _walk(get_resolver().url_patterns) if not route.startswith(("admin/", "api/"))
    ]
    assert len(routes) > 100
    plan = [
        (name, area, reverse(name, kwargs=kwargs))
        for name, p in routes
        for area, kwargs in _variants(name, p, officers)
    ]
    covered = {name for name, area, _url in plan if area}
    assert {
        "beneficiaries:detail",
        "projects:detail",
        "field:report_detail",
        "field:photo",
        "documents:detail",
    } <= covered

    failures = []
    # A server error is one more row of the failure list, not the end of the walk.
    client = Client(raise_request_exception=False)
    if who != "anonymous":
        client.force_login(users[who], backend="django.contrib.auth.backends.ModelBackend")
    for name, area, url in plan:
        if area == "B" and who not in OFFICERS:
            continue  # one area is enough for department roles and anonymous: they have no area limit
        response = client.get(url)
        status = response.status_code
        if status >= 500:
            failures.append(f"{who} {url} ({name}): {status}")
        if "Content-Security-Policy" not in response:
            failures.append(f"{who} {url} ({name}): no CSP header")
        if status != 200:
            continue
        if who == "anonymous" and name not in PUBLIC:
            failures.append(f"anonymous {url} ({name}): 200")
        if who in OFFICERS and area and area != OFFICERS[who]:
            failures.append(f"{who} {url} ({name}): other area's object answered 200")
        if who in OFFICERS and name in DEPARTMENT_ONLY:
            failures.append(f"{who} {url} ({name}): department-only page answered 200")
        if who == "giamkhao" and name not in JUROR_MAY and not name.startswith("contest:"):
            failures.append(f"giamkhao {url} ({name}): not a juror's page, answered 200")
        if who == "giamkhao" and name in DEPARTMENT_ONLY:
            failures.append(f"giamkhao {url} ({name}): department-only page answered 200")
    assert failures == [], "\n".join(failures)
