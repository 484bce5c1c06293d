from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import audit
from accounts.models import AccessAction
from beneficiaries import permissions, selectors, services
from beneficiaries.eligibility import compute_eligibility
from beneficiaries.exporting import XLSX_CONTENT_TYPE, export_beneficiaries
from beneficiaries.filters import filtered_beneficiaries
from beneficiaries.forms import ArchiveForm, BeneficiaryForm, EligibilityOverrideForm
from core.forms import add_service_errors
from core.history import history_entries
from core.pagination import PAGE_SIZES, paginate, querystring_without_page
from core.permissions import require
from core.search import PAGE, query_words, results_response


class IdFirstPaginator(Paginator):
    """Picks the page's ids in a subquery, then reads only those rows with their joins.

    A deep page (page 4,000 of 100,000 establishments) otherwise makes the database join the unit, its parent
    and the craft village for every row it skips; the ids alone come from an index-only scan of the sort index.
    Still one query per page, whatever its size.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=Subquery(ids)), number, self)


def _filtered_list(request):
    return filtered_beneficiaries(user=request.user, data=request.GET)


def beneficiary_list(request):
    require(permissions.can_view_beneficiaries(request.user))
    query, filterset = _filtered_list(request)
    page = paginate(request, filterset.qs, paginator_class=IdFirstPaginator)
    template = "beneficiaries/partials/table.html" if request.htmx else "beneficiaries/list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "filter": filterset,
            "querystring": querystring_without_page(request),
            "per_page": page.paginator.per_page,
            "page_sizes": PAGE_SIZES,
            "can_create": permissions.can_create_beneficiary(request.user)[0],
            "can_import": permissions.can_import_beneficiaries(request.user)[0],
        },
    )


def beneficiary_export(request):
    """The list as the user filtered it, as .xlsx; an officer's export holds only their areas."""
    require(permissions.can_export_beneficiaries(request.user))
    _query, filterset = _filtered_list(request)
    rows = filterset.qs.count()
    if rows > settings.EXPORT_SYNC_MAX_ROWS:
        # A big list is built by a worker (a document job): the page offers it instead of tying up a web worker.
        query = querystring_without_page(request)
        return render(
            request,
            "documents/export_offer.html",
            {
                "title": _("Xuất Excel danh sách cơ sở"),
                "kind": "beneficiary_export",
                "rows": rows,
                "limit": settings.EXPORT_SYNC_MAX_ROWS,
                "query": query,
                "back_url": reverse("beneficiaries:list") + (f"?{query}" if query else ""),
                "back_label": _("Cơ sở CNNT"),
            },
        )
    content = export_beneficiaries(filterset.qs)
    audit.record(request, AccessAction.EXPORT, _("Danh sách cơ sở CNNT %(query)s") % {"query": request.GET.urlencode()})
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="co-so-cnnt-{stamp}.xlsx"'
    return response


def beneficiary_detail(request, pk: int):
    require(permissions.can_view_beneficiaries(request.user))
    beneficiary = selectors.beneficiary_get(user=request.user, pk=pk)
    return render(
        request,
        "beneficiaries/detail.html",
        {
            "b": beneficiary,
            "eligibility": compute_eligibility(beneficiary),
            "history": history_entries(beneficiary),
            "can_edit": permissions.can_edit_beneficiary(request.user, beneficiary)[0],
            "can_override": permissions.can_override_eligibility(request.user, beneficiary)[0],
            "override_form": EligibilityOverrideForm(),
            "can_archive": permissions.can_archive_beneficiary(request.user, beneficiary)[0],
            "can_restore": permissions.can_restore_beneficiary(request.user, beneficiary)[0],
            "archive_form": ArchiveForm(),
            "successor_choices": _successor_choices(request.user, beneficiary),
        },
    )


def _successor_choices(user, beneficiary):
    """The new communes an establishment of a split old commune may belong to, when this user is to say which."""
    if not permissions.can_choose_successor(user, beneficiary)[0]:
        return []
    return list(beneficiary.unit.successor_links.select_related("successor").order_by("-is_default", "successor__name"))


@require_POST
def beneficiary_choose_successor(request, pk: int):
    require(permissions.can_view_beneficiaries(request.user))
    beneficiary = selectors.beneficiary_get(user=request.user, pk=pk)
    require(permissions.can_choose_successor(request.user, beneficiary))
    raw = request.POST.get("successor", "")
    successor = beneficiary.unit.successor_links.filter(successor_id=raw).first() if raw.isdigit() else None
    try:
        services.beneficiary_choose_successor(
            actor=request.user, beneficiary=beneficiary, successor=successor.successor if successor else None
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã ghi nhận: cơ sở thuộc %(name)s.") % {"name": beneficiary.successor_unit.name})
    return redirect("beneficiaries:detail", pk=pk)


def beneficiary_create(request):
    require(permissions.can_create_beneficiary(request.user))
    form = BeneficiaryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            beneficiary = services.beneficiary_create(actor=request.user, data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm cơ sở %(name)s.") % {"name": beneficiary.name})
            return redirect("beneficiaries:detail", pk=beneficiary.pk)
    return render(request, "beneficiaries/form.html", {"form": form, "title": _("Thêm cơ sở CNNT")})


def beneficiary_edit(request, pk: int):
    require(permissions.can_view_beneficiaries(request.user))
    beneficiary = selectors.beneficiary_get(user=request.user, pk=pk)
    require(permissions.can_edit_beneficiary(request.user, beneficiary))
    form = BeneficiaryForm(request.POST or None, instance=beneficiary, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.beneficiary_update(
                actor=request.user, beneficiary=selectors.beneficiary_get(user=request.user, pk=pk), data=data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("beneficiaries:detail", pk=pk)
    return render(
        request,
        "beneficiaries/form.html",
        {"form": form, "title": _("Sửa cơ sở: %(name)s") % {"name": beneficiary.name}, "b": beneficiary},
    )


@require_POST
def beneficiary_override(request, pk: int):
    require(permissions.can_view_beneficiaries(request.user))
    beneficiary = selectors.beneficiary_get(user=request.user, pk=pk)
    require(permissions.can_override_eligibility(request.user, beneficiary))
    form = EligibilityOverrideForm(request.POST)
    if form.is_valid():
        services.beneficiary_override_eligibility(
            actor=request.user, beneficiary=beneficiary, eligible=form.eligible, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Đã ghi nhận kết luận về đối tượng hỗ trợ."))
        return redirect("beneficiaries:detail", pk=pk)
    return render(
        request,
        "beneficiaries/detail.html",
        {
            "b": beneficiary,
            "eligibility": compute_eligibility(beneficiary),
            "history": history_entries(beneficiary),
            "can_edit": permissions.can_edit_beneficiary(request.user, beneficiary)[0],
            "can_override": True,
            "override_form": form,
        },
        status=400,
    )


@require_POST
def beneficiary_archive(request, pk: int):
    require(permissions.can_view_beneficiaries(request.user))
    beneficiary = selectors.beneficiary_get(user=request.user, pk=pk)
    require(permissions.can_archive_beneficiary(request.user, beneficiary))
    form = ArchiveForm(request.POST)
    if form.is_valid():
        services.beneficiary_archive(actor=request.user, beneficiary=beneficiary, reason=form.cleaned_data["reason"])
        messages.success(request, _("Đã lưu trữ cơ sở %(name)s.") % {"name": beneficiary.name})
    else:
        messages.error(request, _("Cần ghi rõ lý do lưu trữ."))
    return redirect("beneficiaries:detail", pk=pk)


@require_POST
def beneficiary_restore(request, pk: int):
    require(permissions.can_view_beneficiaries(request.user))
    beneficiary = selectors.beneficiary_get(user=request.user, pk=pk)
    require(permissions.can_restore_beneficiary(request.user, beneficiary))
    services.beneficiary_restore(actor=request.user, beneficiary=beneficiary)
    messages.success(request, _("Đã khôi phục cơ sở %(name)s.") % {"name": beneficiary.name})
    return redirect("beneficiaries:detail", pk=pk)


@require_GET
def beneficiary_search(request):
    """The establishment picker's JSON: the user's establishments matching `q` (name, tax code; diacritics
    ignored)."""
    require(permissions.can_view_beneficiaries(request.user))
    rows = selectors.beneficiary_picker(user=request.user, words=query_words(request))
    return results_response(rows[: PAGE + 1], selectors.beneficiary_choice_label)
