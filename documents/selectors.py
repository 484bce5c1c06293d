from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import user_roles
from accounts.scope import in_scope
from documents.kinds import get_kind
from documents.models import DocumentJob, JobStatus


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
