"""The bell and the list page: a person sees and marks only their own notices."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import services
from notifications.models import EmailMode, Event, Notification, Preference


def _notices(user, n, prefix="n"):
    for i in range(n):
        services.notify(
            recipients=[user], event=Event.PROJECT_REGISTERED, key=f"{prefix}{i}", title=f"Thông báo {prefix}{i}"
        )


def test_the_bell_counts_unread_notices_and_follows_read_and_unread(login, staff, leader):
    _notices(staff, 3)
    _notices(leader, 2, prefix="l")
    client = login(staff)
    bell = client.get(reverse("notifications:bell"))
    assert bell.status_code == 200 and 'data-testid="bell-count">3<' in bell.text
    assert "every 30s" in bell.text  # the swapped-in bell keeps polling

    first = Notification.objects.filter(recipient=staff).first()
    client.post(reverse("notifications:open", args=[first.pk]))
    assert 'data-testid="bell-count">2<' in client.get(reverse("notifications:bell")).text
    client.post(reverse("notifications:mark_all_read"))
    assert "bell-count" not in client.get(reverse("notifications:bell")).text
    assert Notification.objects.filter(recipient=leader, read_at__isnull=True).count() == 2


def test_every_page_loads_the_bell_lazily(login, staff):
    home = login(staff).get(reverse("home"))
    assert 'hx-get="/thong-bao/chuong/"' in home.text and 'hx-trigger="load"' in home.text


def test_the_list_shows_unread_first_and_only_my_notices(login, staff, leader):
    _notices(staff, 2)
    _notices(leader, 1, prefix="l")
    older_unread = Notification.objects.get(key="n0")
    newer = Notification.objects.get(key="n1")
    services.notification_open(actor=staff, notification=newer)
    page = login(staff).get(reverse("notifications:list"))
    assert page.status_code == 200
    assert page.text.index("Thông báo n0") < page.text.index("Thông báo n1")
    assert "Thông báo l0" not in page.text
    assert older_unread.read_at is None


def test_opening_a_notice_goes_to_its_record_and_marks_it_read(login, staff):
    (notice,) = services.notify(recipients=[staff], event=Event.PROJECT_REGISTERED, key="k", title="t", url="/de-an/")
    response = login(staff).post(reverse("notifications:open", args=[notice.pk]), {"go": "1"})
    assert response.status_code == 302 and response["Location"] == "/de-an/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    # Repeated: still read, same place.
    assert login(staff).post(reverse("notifications:open", args=[notice.pk]), {"go": "1"})["Location"] == "/de-an/"


def test_someone_elses_notice_is_a_404_and_stays_unread(login, staff, leader):
    (notice,) = services.notify(recipients=[leader], event=Event.PROJECT_REGISTERED, key="k", title="t")
    assert login(staff).post(reverse("notifications:open", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_anonymous_is_sent_to_login(client):
    for url in [reverse("notifications:list"), reverse("notifications:bell")]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302


def test_the_email_preference_is_saved_and_a_bad_value_refused(login, staff):
    client = login(staff)
    client.post(reverse("notifications:preference"), {"email_mode": EmailMode.DIGEST})
    assert Preference.objects.get(user=staff).email_mode == EmailMode.DIGEST
    client.post(reverse("notifications:preference"), {"email_mode": "fax"})
    assert Preference.objects.get(user=staff).email_mode == EmailMode.DIGEST
    assert Preference.objects.get(user=staff).history.count() == 1


def test_the_list_and_the_bell_cost_the_same_queries_for_few_and_many_notices(login, staff):
    client = login(staff)
    _notices(staff, 2)
    client.get(reverse("notifications:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:list"))
    with CaptureQueriesContext(connection) as bell_few:
        client.get(reverse("notifications:bell"))
    _notices(staff, 40, prefix="m")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("notifications:list"))
    with CaptureQueriesContext(connection) as bell_many:
        client.get(reverse("notifications:bell"))
    assert len(few) == len(many)
    assert len(bell_few) == len(bell_many)
