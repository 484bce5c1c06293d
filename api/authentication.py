from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api.models import ApiClient, token_hash


class ClientTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <mã khóa>`; request.user is the client's service account, request.auth the client."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace") not in (self.keyword, "Token"):
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Tiêu đề Authorization phải có dạng: Bearer <mã khóa>."))
        token = header[1].decode(errors="replace")
        client = ApiClient.objects.select_related("user").filter(token_hash=token_hash(token), active=True).first()
        if client is None:
            raise exceptions.AuthenticationFailed(_("Mã khóa không hợp lệ hoặc đã bị thu hồi."))
        return client.user, client

    def authenticate_header(self, request):
        return self.keyword


class ClientTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ClientTokenAuthentication"
    name = "maKhoa"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Mã khóa do quản trị hệ thống cấp cho từng đơn vị (Quản trị → Đơn vị dùng API).",
        }
