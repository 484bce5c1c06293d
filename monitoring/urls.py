from django.urls import path

from monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cham-tien-do/", views.behind_schedule, name="behind"),
    path("ban-do/", views.project_map, name="map"),
    path("ban-do/duong-vien.svg", views.map_outline, name="map_outline"),
    path("ban-do/nen.svg", views.map_base, name="map_base"),
    path("bao-cao/", views.report, name="report"),
]
