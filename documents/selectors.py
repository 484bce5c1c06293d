from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import user_roles
from accounts.scope import in_scope
from documents.kinds import get_kind
from documents.models import DocumentJob, JobStatus
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
    if not user_roles(user) & set(get_kind(job.kind).roles):
        raise Http404("Loại văn bản không dành cho vai trò này")
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
