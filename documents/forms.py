from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, has_role, sees_everything
from areas.models import AdministrativeUnit
from core.forms import BootstrapFormMixin
from core.widgets import SearchSelect


class BeneficiaryListRequestForm(BootstrapFormMixin, forms.Form):
    """The choice of area for a "Danh sách cơ sở CNNT": the user's own areas, or any for department roles."""

    unit = forms.ModelChoiceField(
        label=_("Địa bàn"), queryset=AdministrativeUnit.objects.none(), required=False, empty_label=_("Toàn thành phố")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        if sees_everything(user):
            field.queryset = AdministrativeUnit.objects.filter(depth=1).select_related("parent")
            field.widget = SearchSelect("areas:search", params={"top": "1"}, placeholder=_("Toàn thành phố"))
        elif has_role(user, Role.AREA_OFFICER):
            field.queryset = user.areas.order_by("name")
            field.required = True
            field.empty_label = None
