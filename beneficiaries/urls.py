from django.urls import path

from beneficiaries import import_views, views

app_name = "beneficiaries"
urlpatterns = [
    path("", views.beneficiary_list, name="list"),
    path("export/", views.beneficiary_export, name="export"),
    path("tim/", views.beneficiary_search, name="search"),
    path("new/", views.beneficiary_create, name="create"),
    path("<int:pk>/", views.beneficiary_detail, name="detail"),
    path("<int:pk>/edit/", views.beneficiary_edit, name="edit"),
    path("<int:pk>/eligibility/", views.beneficiary_override, name="override"),
    path("<int:pk>/archive/", views.beneficiary_archive, name="archive"),
    path("<int:pk>/restore/", views.beneficiary_restore, name="restore"),
    path("import/", import_views.import_start, name="import"),
    path("import/template/", import_views.import_template_download, name="import_template"),
    path("import/<int:pk>/", import_views.import_batch, name="import_batch"),
    path("import/<int:pk>/status/", import_views.import_batch_status, name="import_status"),
    path("import/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/cancel/", import_views.import_cancel, name="import_cancel"),
]
