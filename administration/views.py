"""The department admin's pages: people first; reference data in administration/reference.py."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Role
from accounts.second_factor import second_factor_reset
from administration import selectors, services
from administration.forms import ReasonForm, UserFilterForm, UserForm
from administration.permissions import can_manage, can_read_reference
from core import heartbeat
from core.history import history_entries
from core.permissions import require
from core.search import query_words, results_response


def index(request):
    require(can_read_reference(request.user))
    manage = can_manage(request.user)[0]
    # Only the admin can act on a stuck worker; leaders reading the reference data are not asked to.
    worker = heartbeat.worker_health() if manage else None
    return render(request, "administration/index.html", {"can_manage": manage, "worker": worker})


def user_list(request):
    require(can_manage(request.user))
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    users = selectors.user_list(
        q=filters.get("q") or "",
        role=filters.get("role") or "",
        area=filters.get("area"),
        active=filters.get("active") or "",
        last_login=filters.get("last_login") or "",
    )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    labels = dict(Role.choices)
    for person in page:
        person.role_labels = [str(labels.get(g.name, g.name)) for g in person.groups.all()]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "administration/user_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _locked(user) -> bool:
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(
        username=user.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()


def user_edit(request, pk: int | None = None):
    require(can_manage(request.user))
    target = get_object_or_404(get_user_model(), pk=pk) if pk else None
    form = UserForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.user_save(
                actor=request.user,
                data=form.cleaned_data,
                roles=form.cleaned_data["roles"],
                areas=form.chosen_areas(),
                user=target,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu người dùng %(user)s.") % {"user": saved})
            return redirect("administration:user_edit", pk=saved.pk)
    context = {"form": form, "target": target}
    if target is not None:
        context |= {"history": history_entries(target), "locked": _locked(target), "reason_form": ReasonForm()}
    return render(request, "administration/user_form.html", context)


@require_POST
def user_set_active(request, pk: int, active: int):
    require(can_manage(request.user))
    target = get_object_or_404(get_user_model(), pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.user_set_active(actor=request.user, user=target, active=bool(active), reason=reason)
    messages.success(
        request, _("Đã mở lại tài khoản.") if active else _("Đã khóa tài khoản; hồ sơ của người này vẫn giữ nguyên.")
    )
    return redirect("administration:user_edit", pk=pk)


@require_POST
def user_password_link(request, pk: int):
    require(can_manage(request.user))
    target = get_object_or_404(get_user_model(), pk=pk)
    try:
        services.user_send_password_link(actor=request.user, user=target)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã gửi liên kết đặt mật khẩu tới %(email)s.") % {"email": target.email})
    return redirect("administration:user_edit", pk=pk)


@require_POST
def user_unlock(request, pk: int):
    require(can_manage(request.user))
    target = get_object_or_404(get_user_model(), pk=pk)
    services.user_unlock(actor=request.user, user=target)
    messages.success(request, _("Đã mở khóa đăng nhập cho %(user)s.") % {"user": target})
    return redirect("administration:user_edit", pk=pk)


@require_POST
def user_reset_second_factor(request, pk: int):
    """A lost phone or key: the user's factors are removed (access log) and set up again at the next sign-in."""
    require(can_manage(request.user))
    target = get_object_or_404(get_user_model(), pk=pk)
    removed = second_factor_reset(actor=request.user, user=target, request=request)
    messages.success(
        request,
        _("Đã xóa %(n)s thiết bị xác thực của %(user)s; người này sẽ thiết lập lại khi đăng nhập.")
        % {"n": removed, "user": target},
    )
    return redirect("administration:user_edit", pk=pk)


@require_GET
def unit_search(request):
    """The user form's picker of pre-7/2025 units (historical records only); current communes come from
    the shared unit_search. Same JSON shape as every picker (core.search)."""
    require(can_manage(request.user))
    units = selectors.unit_search(words=query_words(request), historical=request.GET.get("historical") == "1")
    return results_response(units, str)
