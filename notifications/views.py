from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from notifications import selectors, services
from notifications.forms import PreferenceForm


def notification_list(request):
    page = Paginator(selectors.notifications_for(user=request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread": selectors.unread_count(user=request.user),
            "preference_form": PreferenceForm(initial={"email_mode": selectors.email_mode_of(user=request.user)}),
        },
    )


@require_GET
def bell(request):
    """The navigation bell, polled with htmx: the unread count only."""
    return render(
        request,
        "notifications/partials/bell.html",
        {"unread": selectors.unread_count(user=request.user), "poll_seconds": settings.NOTIFICATION_POLL_SECONDS},
    )


@require_POST
def notification_open(request, pk: int):
    """Marks the notice read and goes to its record (a link to the record only when it is a local path)."""
    notice = selectors.notification_get(user=request.user, pk=pk)
    notice = services.notification_open(actor=request.user, notification=notice)
    if request.POST.get("go") and notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)
    return redirect("notifications:list")


@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, _("Đã đánh dấu đã đọc %(n)s thông báo.") % {"n": count})
    return redirect("notifications:list")


@require_POST
def preference(request):
    form = PreferenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cách nhận thông báo không hợp lệ."))
        return redirect("notifications:list")
    services.preference_set(actor=request.user, email_mode=form.cleaned_data["email_mode"])
    messages.success(request, _("Đã lưu cách nhận thông báo."))
    return redirect("notifications:list")
