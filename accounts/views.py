from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import LanguageForm
from accounts.services import user_set_language


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
