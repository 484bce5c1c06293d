from django.urls import path

from projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("moi/", views.project_create, name="create"),
    path("tim/", views.project_search, name="search"),
    path("don-vi/tim/", views.organisation_search, name="organisation_search"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/sua/", views.project_edit, name="edit"),
    path("<int:pk>/xa-moi/", views.project_choose_successor, name="choose_successor"),
    path("<int:pk>/chuyen/<str:to>/", views.project_transition, name="transition"),
    path("<int:pk>/tai-lieu/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/tai-lieu/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/dieu-chinh/moi/", views.adjustment_create, name="adjustment_create"),
    path("<int:pk>/dieu-chinh/<int:adjustment_pk>/", views.adjustment_detail, name="adjustment_detail"),
    path("quyet-dinh/", views.decision_list, name="decision_list"),
    path("quyet-dinh/moi/", views.decision_create, name="decision_create"),
    path("quyet-dinh/tim/", views.decision_search, name="decision_search"),
    path("<int:pk>/gan-quyet-dinh/", views.decision_attach, name="decision_attach"),
    path("quyet-dinh/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("quyet-dinh/<int:pk>/pdf/", views.decision_pdf, name="decision_pdf"),
    path("ke-hoach/<str:level>/<int:year>/", views.annual_plan, name="annual_plan"),
    path("nhap-excel/", views.plan_import, name="import"),
    path("nhap-excel/xac-nhan/", views.plan_import_confirm, name="import_confirm"),
]
