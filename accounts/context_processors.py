from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, primary_role, user_roles

# (label, url name, icon, roles that see it). Apps add their entries here as they land; the brand links home.
NAV_ITEMS = [
    (_("Cơ sở CNNT"), "beneficiaries:list", "shop", {Role.ADMIN, Role.STAFF, Role.LEADER, Role.AREA_OFFICER}),
    (_("Đề án"), "projects:list", "kanban", {Role.ADMIN, Role.STAFF, Role.LEADER, Role.AREA_OFFICER}),
    (_("Kinh phí"), "budgets:summary", "cash-stack", {Role.ADMIN, Role.STAFF, Role.LEADER, Role.AREA_OFFICER}),
    (_("Kiểm tra"), "field:index", "clipboard-check", {Role.ADMIN, Role.STAFF, Role.LEADER, Role.AREA_OFFICER}),
    (_("Bình chọn sản phẩm"), "contest:list", "award", {Role.ADMIN, Role.STAFF, Role.LEADER, Role.JUROR}),
    (_("Theo dõi"), "monitoring:dashboard", "graph-up", {Role.ADMIN, Role.STAFF, Role.LEADER, Role.AREA_OFFICER}),
    (_("Văn bản"), "documents:list", "file-earmark-pdf", {Role.ADMIN, Role.STAFF, Role.LEADER, Role.AREA_OFFICER}),
    (_("Sổ văn bản đi"), "documents:register", "journal-text", {Role.ADMIN, Role.STAFF, Role.LEADER}),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = user_roles(user)
    items = []
    for label, url_name, icon, allowed in NAV_ITEMS:
        if allowed is None or roles & allowed:
            items.append({"label": label, "url": reverse(url_name), "icon": icon, "name": url_name})
    role = primary_role(user)
    return {
        "nav_items": items,
        "current_role": role,
        "current_role_label": Role(role).label if role else "",
        "is_admin": Role.ADMIN in roles,
    }
