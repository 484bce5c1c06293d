"""Reads for the admin pages: lists with a fixed number of queries whatever their length."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from areas.models import AdministrativeUnit
from core.search import PAGE
from core.text import search_words

LAST_LOGIN_CHOICES = {"7": 7, "30": 30, "90": 90}


def user_list(
    *, q: str = "", role: str = "", area: AdministrativeUnit | None = None, active: str = "", last_login: str = ""
) -> QuerySet:
    """Users for the admin list: groups and areas prefetched (two extra queries for any page)."""
    qs = get_user_model().objects.all()
    # Diacritics ignored ("nguyen" finds "Nguyễn"): each folded word against the stored folded column
    # (accounts.User.search_text), so a search costs the same one query as the plain list.
    for word in search_words(q):
        qs = qs.filter(search_text__contains=word)
    if role:
        qs = qs.filter(groups__name=role)
    if area is not None:
        qs = qs.filter(areas__path__startswith=area.path)
    if active == "1":
        qs = qs.filter(is_active=True)
    elif active == "0":
        qs = qs.filter(is_active=False)
    if last_login == "never":
        qs = qs.filter(last_login__isnull=True)
    elif last_login in LAST_LOGIN_CHOICES:
        since = timezone.now() - dt.timedelta(days=LAST_LOGIN_CHOICES[last_login])
        qs = qs.filter(last_login__gte=since)
    elif last_login.startswith("older"):
        days = LAST_LOGIN_CHOICES.get(last_login.removeprefix("older"), 90)
        qs = qs.filter(Q(last_login__lt=timezone.now() - dt.timedelta(days=days)) | Q(last_login__isnull=True))
    if role or area is not None:
        qs = qs.distinct()
    return qs.order_by("last_name", "first_name", "username").prefetch_related(
        "groups", Prefetch("areas", queryset=AdministrativeUnit.objects.only("id", "name", "path"))
    )


def unit_search(*, words: list[str], historical: bool = False) -> list[AdministrativeUnit]:
    """Communes and districts whose folded name (or their district's) contains every word: current units only,
    or with `historical` the pre-7/2025 ones. One page plus one row (to tell whether there are more)."""
    qs = AdministrativeUnit.objects.select_related("parent").filter(depth__gte=1, valid_to__isnull=not historical)
    for word in words:
        qs = qs.filter(Q(search_name__contains=word) | Q(parent__search_name__contains=word))
    return list(qs.order_by("depth", "search_name", "pk")[: PAGE + 1])


def current_units() -> QuerySet:
    return AdministrativeUnit.objects.filter(depth__gte=1, valid_to__isnull=True).order_by("search_name")


def historical_units() -> QuerySet:
    return AdministrativeUnit.objects.filter(depth__gte=1, valid_to__isnull=False).order_by("path")
