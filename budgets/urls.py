from django.urls import path

from budgets import views

app_name = "budgets"
urlpatterns = [
    path("", views.summary, name="summary"),
    path("tong-hop.xlsx", views.summary_export, name="summary_export"),
    path("de-an/<int:pk>/", views.project_money, name="project"),
    path("de-an/<int:pk>/sua/", views.project_lines_edit, name="lines_edit"),
    path("de-an/<int:pk>/giai-ngan/", views.disbursement_create, name="disburse"),
    path("de-an/<int:pk>/ngoai-le/", views.exception_create, name="exception_create"),
    path("dong/<int:pk>/quyet-toan/", views.settlement_record, name="settle"),
    path("dong/<int:pk>/dieu-chinh/", views.line_adjust, name="adjust"),
    path("ngoai-le/", views.exception_list, name="exceptions"),
    path("ngoai-le/<int:pk>/", views.exception_decide, name="exception_decide"),
    path("du-toan/", views.allocation_list, name="allocations"),
    path("du-toan/moi/", views.allocation_edit, name="allocation_create"),
    path("du-toan/<int:pk>/", views.allocation_edit, name="allocation_edit"),
    path("muc-ho-tro/", views.ceiling_list, name="ceilings"),
]
