from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("establishments", views.EstablishmentViewSet, basename="establishment")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("funding-lines", views.FundingLineViewSet, basename="funding-line")
router.register("field-reports", views.FieldReportViewSet, basename="field-report")
router.register("acceptances", views.AcceptanceViewSet, basename="acceptance")
router.register("certified-products", views.CertifiedProductViewSet, basename="certified-product")

annual = views.AnnualResultsView.as_view({"get": "retrieve"})
annual_xlsx = views.AnnualResultsView.as_view({"get": "xlsx"})

urlpatterns = [
    path("", views.api_root, name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/annual-results/<str:year>/", annual, name="annual-results"),
    path("v1/annual-results/<str:year>/xlsx/", annual_xlsx, name="annual-results-xlsx"),
    path("v1/", include(router.urls)),
]
