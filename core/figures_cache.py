"""Figures computed once and shared, under the version of the data they are computed from (issue 18).

The dashboard, the money summary, the map's counts and the leader's key figures sum tens of thousands of rows for a
department-wide reader. Thirty colleagues opening the same page see the same numbers, so the result is kept in the
shared cache (Redis in production) under a key made of

- what was asked (the selector, the filters) and whose view it is (`accounts.scope.scope_key`: every area, or the
  officer's area paths), and
- the current version of each *topic* the figures are read from ("figures": the đề án's pre-computed money,
  allocations and activity contents; "establishments"; "units": the administrative units and their successors).

A writer calls `bump(topic)` where it changes that data: the pre-computed figures in `budgets.figures`, model
signals for the rest (connected in the apps' `ready()`), the bulk writers themselves. A bump moves the topic's
version at once and again after the transaction commits, so

- nobody is served a result computed before the write: the readers that start after the commit use the new
  version, and a reader that computed from the old data while the write was in flight stored its result under a
  version nobody asks for any more;
- nothing is cached "for a while": a figure is either recomputed or exactly the one the data gives.

The version of a topic that is missing (a fresh or flushed cache) starts from the clock in nanoseconds, so an old
entry can never match it again. Every entry also expires after `FIGURES_CACHE_SECONDS` (600; 0 turns the cache
off), the bound on what a write that bypassed every path above could leave behind. The cache being unreachable is
not an error: the figures are then computed as if there were no cache.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation

logger = logging.getLogger(__name__)

TOPICS = ("figures", "establishments", "units")
_VERSION = "figures-cache:version:"
_ENTRY = "figures-cache:entry:"


def enabled() -> bool:
    return bool(getattr(settings, "FIGURES_CACHE_SECONDS", 0))


def _move(topics) -> None:
    for topic in topics:
        key = _VERSION + topic
        try:
            try:
                cache.incr(key)
            except ValueError:  # not there yet (or evicted): a start no earlier entry can have used
                cache.set(key, time.time_ns(), None)
        except Exception as exc:  # noqa: BLE001 — the write has happened; the entries expire by themselves
            logger.warning("figures cache: could not move the version of %s: %s", topic, exc)


def bump(*topics: str) -> None:
    """The data of these topics changes in the current transaction: now, and again once it commits."""
    unknown = set(topics) - set(TOPICS)
    if unknown:
        raise ValueError(f"unknown figures topic {sorted(unknown)}")
    if not enabled():
        return
    _move(topics)
    transaction.on_commit(lambda: _move(topics))


def _versions(topics) -> tuple:
    keys = [_VERSION + t for t in topics]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, time.time_ns(), None)
            found[key] = cache.get(key)
    return tuple(found[k] for k in keys)


def cached(name: str, topics: tuple[str, ...], key: tuple, compute):
    """`compute()`, or the value it gave for the same `name` and `key` while `topics` kept their versions.
    `key` must hold everything the result depends on besides those topics (the scope, the filters, …)."""
    if not enabled():
        return compute()
    try:
        versions = _versions(topics)
        digest = hashlib.sha256(repr((key, versions, translation.get_language())).encode()).hexdigest()
        entry = f"{_ENTRY}{name}:{digest}"
        value = cache.get(entry)
    except Exception as exc:  # noqa: BLE001 — no cache: compute
        logger.warning("figures cache unreachable: %s", exc)
        return compute()
    if value is not None:
        return value
    value = compute()
    try:
        cache.set(entry, value, settings.FIGURES_CACHE_SECONDS)
    except Exception as exc:  # noqa: BLE001
        logger.warning("figures cache: could not store %s: %s", name, exc)
    return value


def watch(model, *topics: str) -> None:
    """Bump `topics` on every save and delete of `model` (or every change of an m2m `through` model's links),
    raw fixture loads included. Called from the owning app's `ready()`."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def receiver(sender, **kwargs):
        bump(*topics)

    uid = f"figures-cache:{model._meta.label}:{','.join(topics)}"
    if model._meta.auto_created:  # an m2m through table: its rows change through the relation's manager
        m2m_changed.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
    else:
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":delete")
