from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict, flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.money import format_dong, parse_dong
from core.widgets import PICKER_SEARCH, SearchSelect


class MoneyInput(forms.TextInput):
    """Shows 3.108.129.000 and lets the user type it that way (numeric keyboard on phones)."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "class": "form-control text-end", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return format_dong(value)
        return super().format_value(value)


class MoneyField(forms.Field):
    """Integer đồng typed with or without dot separators."""

    widget = MoneyInput
    default_error_messages = {"invalid": _("Nhập số tiền bằng đồng, ví dụ 3.108.129.000.")}

    def __init__(self, *, min_value: int | None = 0, **kwargs):
        self.min_value = min_value
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return parse_dong(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is not None and self.min_value is not None and value < self.min_value:
            raise forms.ValidationError(_("Số tiền không được âm."), code="min_value")


class BootstrapFormMixin:
    """Adds Bootstrap classes to widgets so templates can render fields plainly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            # RadioSelect (and CheckboxSelectMultiple, its subclass) is no Select: left to the last branch its
            # inputs took "form-control" and drew as empty boxes instead of round/square buttons.
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            existing = widget.attrs.get("class", "")
            if css not in existing:
                widget.attrs["class"] = (existing + " " + css).strip()
            if isinstance(widget, forms.DateInput):
                widget.format = "%d/%m/%Y"
                widget.attrs.setdefault("placeholder", "dd/mm/yyyy")

    def picker_search(self) -> str | None:
        """The field whose "Tìm" button was pressed — a long SearchSelect on a page without JavaScript — or None."""
        if not self.is_bound:
            return None
        pressed = self.data.get(PICKER_SEARCH)
        for name, field in self.fields.items():
            if isinstance(field.widget, SearchSelect) and self.add_prefix(name) == pressed:
                return name
        return None

    def full_clean(self):
        if self.picker_search() is None:
            return super().full_clean()
        # A search, not a submission: nothing is validated (no error shown for what is not filled in yet) and
        # nothing is saved; the view renders the form again with all that was typed and the picker's matches.
        self._errors = ErrorDict()
        self.cleaned_data = {}
        return None

    def is_valid(self):
        return self.picker_search() is None and super().is_valid()


class FastSelect(forms.Select):
    """A <select> rendered in Python. Django's Select renders a template per option: for long lists (hundreds of
    communes and districts, dozens of filter choices) that cost more than every query behind the page."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(key), mark_safe(" selected") if str(key) in selected else "", label)  # noqa: S308 (constant)
                for key, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: errors of a field the form has go under that field, the rest
    (a plain message, or a field the form does not show) on top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
