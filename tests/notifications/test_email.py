"""E-mails of notices: once per notice under retries, the daily digest once, and a broker outage loses nothing."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from core import outbox
from core.models import OutboxMessage
from core.tasks import outbox_resend
from notifications import services
from notifications.models import DigestDelivery, EmailDelivery, EmailMode, Event, Notification
from notifications.tasks import send_daily_digests, send_notification_email
from projects.models import ProjectStatus
from projects.services import project_transition
from tests.conftest import AREA_A
from tests.factories import ProjectFactory


def _notify(user, key="k1", title="Đề án KCĐP-2021-001 đã đăng ký"):
    return services.notify(recipients=[user], event=Event.PROJECT_REGISTERED, key=key, title=title, url="/de-an/1/")


def test_a_task_delivered_twice_sends_one_email(staff, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = _notify(staff)
    delivery = EmailDelivery.objects.get(notification=notice)
    assert delivery.sent_at is not None and len(mail.outbox) == 1
    assert send_notification_email.apply(args=[delivery.pk]).get() is False
    outbox.send(OutboxMessage.objects.get().pk)  # a re-send of the outbox row
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Khuyến công] Đề án KCĐP-2021-001 đã đăng ký"
    assert "http://testserver.example/de-an/1/" in mail.outbox[0].body


def test_announcing_the_same_event_twice_gives_one_notice_and_one_email(
    staff, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(staff)
        assert _notify(staff) == []
    assert Notification.objects.count() == 1 and EmailDelivery.objects.count() == 1 and len(mail.outbox) == 1


def test_a_mail_server_error_leaves_the_email_unsent_for_the_retry_which_then_sends_once(staff, monkeypatch):
    (notice,) = _notify(staff)
    delivery = EmailDelivery.objects.get(notification=notice)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("mất kết nối")
        return real(*args, **kwargs)

    real = services.send_mail
    monkeypatch.setattr(services, "send_mail", flaky)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.email_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.sent_at is None and len(mail.outbox) == 0
    assert services.email_deliver(delivery_id=delivery.pk) is True
    assert services.email_deliver(delivery_id=delivery.pk) is False
    assert len(mail.outbox) == 1


def test_the_task_retries_mail_server_errors_with_backoff():
    assert send_notification_email.autoretry_for and send_notification_email.retry_backoff
    assert smtplib.SMTPException in send_notification_email.autoretry_for


def test_people_who_want_no_email_get_the_notice_only(staff, eager, django_capture_on_commit_callbacks):
    services.preference_set(actor=staff, email_mode=EmailMode.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(staff)
    assert Notification.objects.count() == 1 and not EmailDelivery.objects.exists() and mail.outbox == []


def test_the_daily_digest_lists_a_days_notices_once(staff, leader, eager, django_capture_on_commit_callbacks):
    services.preference_set(actor=staff, email_mode=EmailMode.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(staff, key="a", title="Thông báo thứ nhất")
        _notify(staff, key="b", title="Thông báo thứ hai")
        _notify(leader, key="c", title="Của lãnh đạo")  # leader: immediately, not in a digest
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [leader.email]
    # A notice of another day stays out of this digest.
    old = _notify(staff, key="d", title="Hôm trước")[0]
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=1))

    today = timezone.localdate().isoformat()
    assert send_daily_digests.apply(kwargs={"day": today}).get() == 1
    assert send_daily_digests.apply(kwargs={"day": today}).get() == 0
    digests = [m for m in mail.outbox if m.to == [staff.email]]
    assert len(digests) == 1
    assert "Thông báo thứ nhất" in digests[0].body and "Thông báo thứ hai" in digests[0].body
    assert "Hôm trước" not in digests[0].body and "2 thông báo" in digests[0].subject
    assert DigestDelivery.objects.get().notification_count == 2


@pytest.fixture
def broker_down(monkeypatch):
    """Celery publishes to a closed port (the shared Redis is never touched)."""
    from khuyencong.celery import app

    monkeypatch.setitem(app.conf, "CELERY_TASK_ALWAYS_EAGER", False)
    closed = "redis://127.0.0.1:1/0"
    monkeypatch.setitem(app.conf, "CELERY_BROKER_URL", closed)
    monkeypatch.setenv("CELERY_BROKER_URL", closed)  # Celery reads the environment first (CI sets it)
    # Connections made with the test broker (memory://) are cached: start from none, and leave none behind.
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    yield app
    app._pool = None
    app.amqp._producer_pool = None


def test_with_the_broker_down_the_action_succeeds_and_the_outbox_sends_later(
    login, staff, officer_a, broker_down, django_capture_on_commit_callbacks, monkeypatch
):
    from tests.field.helpers import report_form

    project = ProjectFactory(in_the_field=True, area=AREA_A, created_by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(officer_a).post(
            f"/kiem-tra/de-an/{project.pk}/bao-cao/moi/",
            report_form(project, has_problem="on", problem="Máy rung, nứt khung"),
        )
    assert response.status_code == 302
    notice = Notification.objects.get(recipient=staff, event=Event.FIELD_PROBLEM)
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and message.attempts == 1 and "Connection refused" in message.last_error
    assert mail.outbox == []

    # The broker is back: the beat task sends what waited (older than a minute), and the e-mail goes once.
    monkeypatch.setitem(broker_down.conf, "CELERY_TASK_ALWAYS_EAGER", True)
    OutboxMessage.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    assert outbox_resend.apply().get() == 1
    assert outbox_resend.apply().get() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [staff.email]
    assert EmailDelivery.objects.get(notification=notice).sent_at is not None


def test_a_project_transition_with_the_broker_down_is_saved(
    staff, admin_user, broker_down, django_capture_on_commit_callbacks
):
    project = ProjectFactory(status=ProjectStatus.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        project_transition(actor=admin_user, project=project, to=ProjectStatus.REGISTERED)
    project.refresh_from_db()
    assert project.status == ProjectStatus.REGISTERED
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 1
