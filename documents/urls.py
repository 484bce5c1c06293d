from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("yeu-cau/", views.document_request, name="request"),
    path("<uuid:uid>/", views.document_detail, name="detail"),
    path("<uuid:uid>/trang-thai/", views.document_status, name="status"),
    path("<uuid:uid>/tai-ve/", views.document_download, name="download"),
]
