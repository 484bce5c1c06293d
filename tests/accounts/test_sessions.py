"""A page view does not rewrite a fresh session row; a stale one is renewed (the idle timeout holds within a minute)."""

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone


def test_a_fresh_session_is_not_rewritten_on_each_page(client, staff, login):
    login(staff)
    assert client.get(reverse("home")).status_code == 200
    before = Session.objects.get().expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert writes == []
    assert Session.objects.get().expire_date == before


def test_a_session_older_than_the_renewal_interval_is_renewed(client, staff, login, settings):
    login(staff)
    stale = timezone.now() + timezone.timedelta(
        seconds=settings.SESSION_COOKIE_AGE - settings.SESSION_RENEW_SECONDS - 5
    )
    Session.objects.all().update(expire_date=stale)
    assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get().expire_date > stale + timezone.timedelta(seconds=4)
