from django import forms

from core.forms import BootstrapFormMixin


class _ChoicesForm(BootstrapFormMixin, forms.Form):
    result = forms.ChoiceField(choices=[("passed", "Đạt"), ("failed", "Không đạt")], widget=forms.RadioSelect)
    roles = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)
    agree = forms.BooleanField(required=False)
    kind = forms.ChoiceField(choices=[("a", "A")])
    note = forms.CharField()


def test_radio_and_checkbox_lists_are_styled_as_check_inputs_not_text_boxes():
    form = _ChoicesForm()
    html = str(form["result"])
    assert 'class="form-check-input"' in html
    assert "form-control" not in html
    assert "form-control" not in str(form["roles"])
    assert form.fields["agree"].widget.attrs["class"] == "form-check-input"
    assert form.fields["kind"].widget.attrs["class"] == "form-select"
    assert form.fields["note"].widget.attrs["class"] == "form-control"


def test_the_acceptance_result_is_two_radio_buttons():
    from field.forms import AcceptanceForm

    # The page renders each button with radio.tag (no wrapper), as Bootstrap check inputs.
    radios = [radio.tag() for radio in AcceptanceForm()["result"]]
    assert len(radios) == 2
    assert all('type="radio"' in tag and 'class="form-check-input"' in tag for tag in radios)
