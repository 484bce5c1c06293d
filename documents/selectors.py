from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import user_roles
from accounts.scope import in_scope
from documents.kinds import get_kind
from documents.models import DocumentJob, IssuedDocument, JobStatus
from documents.permissions import can_view_register, may_request
from documents.rendering import params_key


def document_job_list(*, user) -> QuerySet[DocumentJob]:
    """Jobs about objects in the user's areas; city-wide documents (no unit) only for department roles."""
    return in_scope(DocumentJob.objects.all(), user, "unit").select_related("requested_by", "unit")


def my_document_jobs(*, user) -> QuerySet[DocumentJob]:
    """The documents this user asked for (also when the request returned someone else's existing file)."""
    return document_job_list(user=user).filter(requesters=user)


def document_job_get(*, user, uid) -> DocumentJob:
    """One job, or 404 when its object is outside the user's areas or the user's role cannot have that kind."""
    job = get_object_or_404(document_job_list(user=user), uid=uid)
    kind = get_kind(job.kind)
    if not user_roles(user) & set(kind.roles):
        raise Http404("Loại văn bản không dành cho vai trò này")
    if kind.personal and job.params.get("as_user") != user.pk:
        # Someone's own export of their filtered list: nobody else's to open, even in the same area.
        raise Http404("Tệp xuất của người khác")
    return job


def document_versions(*, user, job: DocumentJob) -> QuerySet[DocumentJob]:
    """Every finished version of the same document (same kind and parameters), newest first."""
    return (
        document_job_list(user=user)
        .filter(kind=job.kind, params_key=job.params_key, status=JobStatus.DONE)
        .order_by("-version")
    )


@dataclass(frozen=True)
class LatestJobs:
    latest: DocumentJob | None  # the newest request (may be waiting, running or failed)
    done: DocumentJob | None  # the newest finished version, to download while a newer one is being made


def latest_jobs(*, user, kind: str, params_list: list[dict]) -> list[LatestJobs]:
    """For each parameter set (in order), the newest job of this kind the user may see and the newest finished
    one: what a page listing many objects shows next to each. One query whatever the number of objects."""
    keys = [params_key(kind, params) for params in params_list]
    if not user_roles(user) & set(get_kind(kind).roles):
        return [LatestJobs(latest=None, done=None) for _key in keys]
    latest: dict[str, DocumentJob] = {}
    done: dict[str, DocumentJob] = {}
    jobs = document_job_list(user=user).filter(kind=kind, params_key__in=set(keys)).order_by("created_at", "id")
    for job in jobs:
        latest[job.params_key] = job
        if job.status == JobStatus.DONE:
            done[job.params_key] = job
    return [LatestJobs(latest=latest.get(key), done=done.get(key)) for key in keys]


# The outgoing-document register -------------------------------------------------------------------------------


def issued_document_list(*, user) -> QuerySet[IssuedDocument]:
    """Register entries about objects in the user's areas (city-wide ones for department roles only)."""
    return in_scope(IssuedDocument.objects.all(), user, "unit").select_related(
        "issuing_body", "issued_by", "signed_by", "replaces", "job"
    )


def register_entries(*, user, year: int) -> QuerySet[IssuedDocument]:
    """One year's register, in the order of the register: document type, then number."""
    return issued_document_list(user=user).filter(year=year).order_by("doc_type", "number")


def register_years(*, user) -> list[int]:
    years = set(issued_document_list(user=user).values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def issued_document_get(*, user, uid) -> IssuedDocument:
    return get_object_or_404(issued_document_list(user=user), uid=uid)


def issued_for_job(*, user, job: DocumentJob) -> dict:
    """For a draft's page: the entry it became (if any) and the entry in force for the same kind and parameters
    (what issuing this draft would have to replace)."""
    same = issued_document_list(user=user).filter(kind=job.kind, params_key=job.params_key)
    this = same.filter(job=job).first()
    in_force = same.filter(replaced_by__isnull=True).order_by("-created_at").first()
    return {"issued": this, "in_force": in_force}


def object_document(*, user, kind: str, params: dict) -> dict:
    """For an object's page (the đề án's contract, its closure minutes): the newest job and the newest finished
    draft of this kind and parameters, and the register entry in force for them (None until issued). Two queries."""
    jobs = latest_jobs(user=user, kind=kind, params_list=[params])[0]
    issued = (
        issued_document_list(user=user)
        .filter(kind=kind, params_key=params_key(kind, params), replaced_by__isnull=True)
        .order_by("-created_at")
        .first()
    )
    return {"latest": jobs.latest, "done": jobs.done, "issued": issued}


def object_document_link(*, user, kind: str, param_name: str, param_value, refusal: str) -> dict:
    """One document of an object's page as a link spec (projects.hooks.register_project_documents): the request
    button when the user may ask for the kind and `refusal` is empty (else `refusal` says why not), and
    `object_document`'s jobs and register entry."""
    return {
        "kind": kind,
        "title": get_kind(kind).title,
        "param_name": param_name,
        "param_value": param_value,
        "can_request": not refusal and may_request(user, kind),
        "note": refusal,
        "can_view_register": can_view_register(user)[0],
        **object_document(user=user, kind=kind, params={param_name: param_value}),
    }
