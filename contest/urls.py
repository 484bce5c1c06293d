from django.urls import path

from contest import views

app_name = "contest"
urlpatterns = [
    path("", views.contest_list, name="list"),
    path("new/", views.contest_create, name="create"),
    path("cong-khai/", views.public_index, name="public_index"),
    path("cong-khai/<int:pk>/", views.public_contest, name="public"),
    path("<int:pk>/", views.contest_detail, name="detail"),
    path("<int:pk>/edit/", views.contest_edit, name="edit"),
    path("<int:pk>/transition/<str:to_state>/", views.contest_transition, name="transition"),
    path("<int:pk>/entries/new/", views.entry_create, name="entry_create"),
    path("<int:pk>/entries/<int:entry_pk>/", views.entry_detail, name="entry"),
    path("<int:pk>/entries/<int:entry_pk>/files/", views.entry_files, name="entry_files"),
    path("<int:pk>/entries/<int:entry_pk>/photos/<int:photo_pk>/", views.entry_photo, name="entry_photo"),
    path("<int:pk>/entries/<int:entry_pk>/documents/<int:document_pk>/", views.entry_document, name="entry_document"),
    path("<int:pk>/import/", views.entry_import, name="import"),
    path("<int:pk>/import/confirm/", views.entry_import_confirm, name="import_confirm"),
    path("<int:pk>/import/mau.xlsx", views.entry_import_template, name="import_template"),
    path("<int:pk>/score/", views.juror_entries, name="juror_entries"),
    path("<int:pk>/score/<int:entry_pk>/", views.score_entry, name="score"),
    path("<int:pk>/score/<int:entry_pk>/conflict/", views.conflict_declare, name="conflict"),
    path("<int:pk>/sheets/<int:sheet_pk>/correct/", views.sheet_correct, name="sheet_correct"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results/proposals/", views.proposals, name="proposals"),
    path("<int:pk>/summary/", views.summary, name="summary"),
    path("<int:pk>/certificates/", views.certificates, name="certificates"),
    path("<int:pk>/certificates/pdf/", views.certificate_pdfs_request, name="certificate_pdfs"),
]
