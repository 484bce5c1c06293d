"""Forms that keep the user's work: rows added in place (a template row the page script clones), and dates that
cannot be in the future refused with a reason."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import AppraisalResult, Decision, DecisionKind, ProjectStatus
from tests.factories import ProjectFactory

S = ProjectStatus


def _tomorrow() -> str:
    return (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")


@pytest.mark.django_db
def test_the_project_form_carries_an_empty_output_row_for_adding_in_place(login, staff):
    html = login(staff).get(reverse("projects:create")).content.decode()
    assert 'data-formset="outputs"' in html
    template = html.split("<template data-formset-empty>")[1].split("</template>")[0]
    assert 'name="outputs-__prefix__-description"' in template and "data-formset-remove" in template
    assert 'data-testid="add-output" hidden' in html  # shown by static/js/formset.js; without JS, spare rows


@pytest.mark.django_db
def test_rows_added_beyond_the_spare_ones_are_saved(login, staff, beneficiary_a):
    from tests.factories import implementing_centre

    data = {
        "kind": "de_an",
        "code": "KCĐP-2026-77",
        "title": "Đề án ba sản phẩm",
        "level": "kcdp",
        "plan_year": "2026",
        "implementing_unit": implementing_centre().pk,
        "unit": beneficiary_a.unit_id,
        "outputs-TOTAL_FORMS": "4",
        "outputs-INITIAL_FORMS": "0",
        "outputs-MIN_NUM_FORMS": "0",
        "outputs-MAX_NUM_FORMS": "1000",
        # Row 1 was removed in the page (emptied and hidden), rows 2 and 3 were added.
        "outputs-0-description": "Máy đóng gói",
        "outputs-0-unit_of_measure": "máy",
        "outputs-0-planned_quantity": "1",
        "outputs-2-description": "Lớp tập huấn",
        "outputs-2-unit_of_measure": "lớp",
        "outputs-2-planned_quantity": "2",
        "outputs-3-description": "Học viên",
        "outputs-3-unit_of_measure": "người",
        "outputs-3-planned_quantity": "30",
    }
    response = login(staff).post(reverse("projects:create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    from projects.models import Project

    project = Project.objects.get(code="KCĐP-2026-77")
    assert list(project.outputs.values_list("description", flat=True)) == ["Máy đóng gói", "Lớp tập huấn", "Học viên"]


@pytest.mark.django_db
def test_an_appraisal_dated_tomorrow_is_refused_with_a_reason(login, staff):
    project = ProjectFactory(status=S.REGISTERED)
    response = login(staff).post(
        reverse("projects:transition", args=[project.pk, S.APPRAISED]),
        {"version": project.version, "appraisal_result": AppraisalResult.PASSED, "appraised_on": _tomorrow()},
    )
    assert response.status_code == 400
    assert "Ngày thẩm định không được sau hôm nay." in response.content.decode()
    project.refresh_from_db()
    assert project.status == S.REGISTERED and not project.transitions.exists()


@pytest.mark.django_db
def test_a_contract_signed_tomorrow_is_refused(login, staff):
    project = ProjectFactory(status=S.APPROVED)
    response = login(staff).post(
        reverse("projects:transition", args=[project.pk, S.CONTRACTED]),
        {
            "version": project.version,
            "contract_number": "01/2026/HĐ",
            "contract_date": _tomorrow(),
            "contract_parties": "Trung tâm và cơ sở",
        },
    )
    assert response.status_code == 400 and "Ngày ký hợp đồng không được sau hôm nay." in response.content.decode()
    project.refresh_from_db()
    assert project.status == S.APPROVED


@pytest.mark.django_db
def test_a_decision_signed_tomorrow_is_refused(login, staff):
    response = login(staff).post(
        reverse("projects:decision_create"),
        {"number": "5/QĐ-UBND", "signed_on": _tomorrow(), "issuing_body": "UBND", "kind": DecisionKind.ADJUSTMENT},
    )
    assert response.status_code == 200
    assert "Ngày ký quyết định không được sau hôm nay." in response.content.decode()
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_todays_appraisal_is_accepted(login, staff):
    project = ProjectFactory(status=S.REGISTERED)
    today = timezone.localdate().strftime("%d/%m/%Y")
    response = login(staff).post(
        reverse("projects:transition", args=[project.pk, S.APPRAISED]),
        {"version": project.version, "appraisal_result": AppraisalResult.PASSED, "appraised_on": today},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == S.APPRAISED and project.appraised_on == timezone.localdate()
