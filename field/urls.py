from django.urls import path

from field import views

app_name = "field"
urlpatterns = [
    path("", views.index, name="index"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("de-an/<int:pk>/", views.project_field, name="project"),
    path("de-an/<int:pk>/bao-cao/moi/", views.report_create_for_project, name="report_create"),
    path("co-so/<int:pk>/bao-cao/moi/", views.report_create_for_beneficiary, name="report_create_beneficiary"),
    path("bao-cao/<int:pk>/", views.report_detail, name="report_detail"),
    path("bao-cao/<int:pk>/sua/", views.report_edit, name="report_edit"),
    path("bao-cao/<int:pk>/tiep-nhan/", views.report_acknowledge, name="report_acknowledge"),
    path("anh/<int:pk>/", views.photo, name="photo"),
    path("anh/<int:pk>/nho/", views.photo_thumbnail, name="photo_thumbnail"),
    path("van-de/", views.problem_list, name="problems"),
    path("de-an/<int:pk>/kiem-tra/moi/", views.inspection_create, name="inspection_create"),
    path("dot-kiem-tra/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("dot-kiem-tra/<int:pk>/sua/", views.inspection_edit, name="inspection_edit"),
    path("viec/<int:pk>/xong/", views.action_complete, name="action_complete"),
    path("viec-qua-han/", views.overdue_list, name="overdue"),
    path("de-an/<int:pk>/nghiem-thu/lich/", views.acceptance_schedule, name="acceptance_schedule"),
    path("de-an/<int:pk>/nghiem-thu/moi/", views.acceptance_create, name="acceptance_create"),
    path("nghiem-thu/<int:pk>/", views.acceptance_detail, name="acceptance_detail"),
]
