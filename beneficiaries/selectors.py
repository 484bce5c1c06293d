from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.scope import in_scope
from beneficiaries.models import Beneficiary
from core.text import fold


def beneficiary_list(*, user, search: str = "") -> QuerySet[Beneficiary]:
    """Establishments the user may see, ready for a list page."""
    qs = in_scope(Beneficiary.objects.all(), user, "unit").select_related("unit__parent", "craft_village")
    if search:
        for word in fold(search).split():
            qs = qs.filter(search_text__contains=word)
    return qs


def beneficiary_get(*, user, pk: int) -> Beneficiary:
    """One establishment, or 404 when it is outside the user's areas."""
    return get_object_or_404(beneficiary_list(user=user), pk=pk)
