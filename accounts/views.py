from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import LanguageForm
from accounts.scope import area_paths
from accounts.services import user_set_language
from areas.selectors import unit_search as unit_search_selector
from core.search import PAGE, query_words, results_response


@require_POST
def set_language(request):
    """Saves the chosen interface language on the user, so it follows them to any device."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ngôn ngữ không hợp lệ."))
        return redirect("home")
    user_set_language(actor=request.user, language=form.cleaned_data["language"])
    translation.activate(form.cleaned_data["language"])
    messages.success(request, _("Đã đổi ngôn ngữ giao diện."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "home"
    return redirect(target)


def profile(request):
    return render(
        request, "accounts/profile.html", {"language_form": LanguageForm(initial={"language": request.user.language})}
    )


@require_GET
def unit_search(request):
    """The administrative-unit picker's JSON (core.widgets.SearchSelect): the units of the user's areas matching
    `q`, current communes first; `current=1` only units in force, `top=1` only districts and current communes."""
    units = unit_search_selector(
        paths=area_paths(request.user),
        words=query_words(request),
        current_only=request.GET.get("current") == "1",
        top_level_only=request.GET.get("top") == "1",
    )
    return results_response(units[: PAGE + 1], str)
