from django.urls import path

from beneficiaries import views

app_name = "beneficiaries"
urlpatterns = [
    path("", views.beneficiary_list, name="list"),
    path("new/", views.beneficiary_create, name="create"),
    path("<int:pk>/", views.beneficiary_detail, name="detail"),
    path("<int:pk>/edit/", views.beneficiary_edit, name="edit"),
    path("<int:pk>/eligibility/", views.beneficiary_override, name="override"),
]
