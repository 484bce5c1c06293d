from django.urls import path

from administration import reference, views

app_name = "administration"

urlpatterns = [
    path("", views.index, name="index"),
    path("nguoi-dung/", views.user_list, name="users"),
    path("nguoi-dung/moi/", views.user_edit, name="user_create"),
    path("nguoi-dung/<int:pk>/", views.user_edit, name="user_edit"),
    path("nguoi-dung/<int:pk>/hoat-dong/<int:active>/", views.user_set_active, name="user_set_active"),
    path("nguoi-dung/<int:pk>/dat-mat-khau/", views.user_password_link, name="user_password_link"),
    path("nguoi-dung/<int:pk>/mo-khoa/", views.user_unlock, name="user_unlock"),
    path("nguoi-dung/<int:pk>/dat-lai-2fa/", views.user_reset_second_factor, name="user_reset_second_factor"),
    path("don-vi/tim/", views.unit_search, name="unit_search"),
    path("danh-muc/<str:kind>/", reference.reference_list, name="reference"),
    path("danh-muc/<str:kind>/moi/", reference.reference_edit, name="reference_create"),
    path("danh-muc/<str:kind>/<int:pk>/", reference.reference_edit, name="reference_edit"),
]
