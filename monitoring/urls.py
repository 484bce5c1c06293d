from django.urls import path

from monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cham-tien-do/", views.behind_schedule, name="behind"),
    path("ban-do/", views.project_map, name="map"),
    path("bao-cao/", views.report, name="report"),
]
