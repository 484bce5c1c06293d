from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.scope import in_scope
from areas.models import UnitType
from beneficiaries.importing.cleaning import name_key
from beneficiaries.models import Beneficiary, BeneficiaryStatus, ImportBatch
from core.text import search_words

# The unit types where an address is eligible by itself (domain.md §2); eligibility.py says why.
ELIGIBLE_UNIT_TYPES = (UnitType.COMMUNE, UnitType.TOWNLET, UnitType.SPECIAL_ZONE)


def eligible_q() -> Q:
    """compute_eligibility as a database condition: the leader's override, else unit type or recognised village."""
    by_rule = Q(unit__unit_type__in=ELIGIBLE_UNIT_TYPES) | Q(craft_village__recognised=True)
    return Q(eligibility_override=True) | (Q(eligibility_override__isnull=True) & by_rule)


def ineligible_q() -> Q:
    not_by_rule = ~Q(unit__unit_type__in=ELIGIBLE_UNIT_TYPES) & (
        Q(craft_village__isnull=True) | Q(craft_village__recognised=False)
    )
    return Q(eligibility_override=False) | (Q(eligibility_override__isnull=True) & not_by_rule)


def project_link_subquery():
    """Exists(a đề án naming this establishment), for the "has đề án" filter. Read through the reverse side of
    Project.beneficiaries (`Beneficiary.projects`), so that this app needs nothing from projects."""
    links = Beneficiary.projects.through.objects.filter(beneficiary_id=OuterRef("pk"))
    return Exists(links)


def beneficiary_list(*, user, search: str = "") -> QuerySet[Beneficiary]:
    """Establishments the user may see, ready for a list page."""
    qs = in_scope(Beneficiary.objects.all(), user, "unit").select_related("unit__parent", "craft_village")
    if search:
        for word in search_words(search):
            qs = qs.filter(search_text__contains=word)
    return qs


def beneficiary_get(*, user, pk: int) -> Beneficiary:
    """One establishment, or 404 when it is outside the user's areas."""
    return get_object_or_404(beneficiary_list(user=user), pk=pk)


def beneficiary_near_duplicates(*, name: str, unit, exclude_pk: int | None = None) -> list[Beneficiary]:
    """Establishments in the same commune whose name, without diacritics and legal-form words, is the same.

    Not limited by area scope on purpose: an officer proposing a record must learn it already exists.
    """
    key = name_key(name)
    if not key or unit is None:
        return []
    candidates = Beneficiary.objects.filter(unit=unit).exclude(status=BeneficiaryStatus.ARCHIVED)
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    # search_text starts with the folded name, so the last word of the key narrows the rows read.
    last_word = key.split()[-1]
    return [b for b in candidates.filter(search_text__contains=last_word).only("pk", "name") if name_key(b.name) == key]


def import_batches(*, user) -> QuerySet[ImportBatch]:
    # Import is a department-wide task (staff, admin); the plan can be megabytes and no page shows it.
    return ImportBatch.objects.select_related("created_by", "confirmed_by").defer("plan")


def beneficiary_choice_label(b: Beneficiary) -> str:
    """How an establishment is named in a picker: name, tax code, and where it is."""
    return f"{b.name} ({b.identifier}) · {b.unit}" if b.unit_id else f"{b.name} ({b.identifier})"


def beneficiary_picker(*, user, words: list[str]) -> QuerySet[Beneficiary]:
    """Establishments a picker offers: the user's, not archived, matching every folded word."""
    qs = in_scope(Beneficiary.objects.exclude(status=BeneficiaryStatus.ARCHIVED), user, "unit")
    for word in words:
        qs = qs.filter(search_text__contains=word)
    return qs.select_related("unit__parent").order_by("sort_name", "id")
