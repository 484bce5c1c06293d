from rest_framework import permissions

from api.models import ApiClient


class IsApiClient(permissions.BasePermission):
    """Only a request carrying a client's token (not a browser session) reads the API."""

    message = "Cần mã khóa của đơn vị dùng API (Authorization: Bearer <mã khóa>)."

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiClient)
