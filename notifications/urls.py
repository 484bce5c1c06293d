from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("chuong/", views.bell, name="bell"),
    path("<int:pk>/doc/", views.notification_open, name="open"),
    path("doc-tat-ca/", views.mark_all_read, name="mark_all_read"),
    path("cai-dat/", views.preference, name="preference"),
]
