from django.urls import path

from documents import register_views, views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("yeu-cau/", views.document_request, name="request"),
    path("<uuid:uid>/", views.document_detail, name="detail"),
    path("<uuid:uid>/trang-thai/", views.document_status, name="status"),
    path("<uuid:uid>/tai-ve/", views.document_download, name="download"),
    path("<uuid:uid>/chay-lai/", views.document_retry, name="retry"),
    path("<uuid:uid>/ban-hanh/", register_views.document_issue, name="issue"),
    path("so-van-ban-di/", register_views.register, name="register"),
    path("so-van-ban-di/xuat-excel/", register_views.register_export, name="register_export"),
    path("so-van-ban-di/<uuid:uid>/", register_views.issued_detail, name="issued"),
    path("so-van-ban-di/<uuid:uid>/ky-so/", register_views.issued_sign, name="sign"),
    path("so-van-ban-di/<uuid:uid>/tai-ve/", register_views.issued_download, name="issued_download"),
    path("kiem-tra-chu-ky/", register_views.verify, name="verify"),
]
