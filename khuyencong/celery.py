import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings.local")

app = Celery("khuyencong")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["core"], related_name="heartbeat")
