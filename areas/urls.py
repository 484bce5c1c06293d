from django.urls import path

from areas import views

app_name = "areas"
urlpatterns = [
    path("tim/", views.unit_search, name="search"),
]
