from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from field import services
from field.models import Acceptance, AcceptanceFunding, AcceptanceOutput, CouncilMember
from projects import hooks
from projects.models import ProjectStatus, ProjectTransition
from tests.conftest import AREA_A
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(staff):
    return ProjectFactory(in_the_field=True, area=AREA_A, created_by=staff, status=ProjectStatus.AWAITING_ACCEPTANCE)


def _form(project, **over):
    data = {
        "held_on": "20/12/2021",
        "held_at_time": "09:00",
        "place": "Hợp tác xã Nước mắm Cát Hải",
        "contract_reference": project.contract_number,
        "contract_date": "10/05/2021",
        "decision_reference": "191/QĐ-UBND ngày 18/01/2021",
        "result": "passed",
        "assessment": "Đề án hoàn thành đúng nội dung.",
        "requests": "Nhân rộng mô hình.",
        "fixes_required": "",
        "used_kcqg": "",
        "used_kcdp": "250.000.000",
        "used_doi_ung": "310.500.000",
        "used_khac": "",
        "council-TOTAL_FORMS": "3",
        "council-INITIAL_FORMS": "0",
        "council-MIN_NUM_FORMS": "1",
        "council-MAX_NUM_FORMS": "1000",
        "council-0-full_name": "Phạm Minh Đức",
        "council-0-position": "Phó Giám đốc",
        "council-0-organisation": "Sở Công Thương Hải Phòng",
        "council-0-role": "chair",
        "council-1-full_name": "Trần Thị Hồng",
        "council-1-position": "Chuyên viên",
        "council-1-organisation": "Sở Công Thương Hải Phòng",
        "council-1-role": "secretary",
        "council-2-full_name": "",
        "council-2-position": "",
        "council-2-organisation": "",
        "council-2-role": "member",
    }
    for output in project.outputs.all():
        data[f"achieved_{output.pk}"] = "1"
        data[f"remarks_{output.pk}"] = "Đã lắp đặt, vận hành tốt"
    data.update(over)
    return data


def _url(project):
    return reverse("field:acceptance_create", args=[project.pk])


def test_a_passed_acceptance_moves_the_project_to_accepted(login, staff, awaiting):
    client = login(staff)
    assert client.get(_url(awaiting)).status_code == 200
    response = client.post(_url(awaiting), _form(awaiting))
    acceptance = Acceptance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("field:acceptance_detail", args=[acceptance.pk])
    awaiting.refresh_from_db()
    assert awaiting.status == ProjectStatus.ACCEPTED
    transition = ProjectTransition.objects.get(project=awaiting, to_status=ProjectStatus.ACCEPTED)
    assert transition.actor == staff and "20/12/2021" in transition.comment
    assert acceptance.attempt == 1 and acceptance.passed and acceptance.recorded_by == staff
    assert acceptance.contract_reference == awaiting.contract_number
    assert [m.role for m in CouncilMember.objects.order_by("sort_order")] == ["chair", "secretary"]
    assert AcceptanceOutput.objects.filter(acceptance=acceptance).count() == 2
    assert {f.source: f.used_amount for f in AcceptanceFunding.objects.all()} == {
        "kcdp": 250_000_000,
        "doi_ung": 310_500_000,
    }
    assert hooks.find_acceptance(awaiting) == acceptance
    page = client.get(response["Location"]).text
    assert "250.000.000" in page and "Phạm Minh Đức" in page


def test_acceptance_is_refused_from_a_wrong_state(login, staff):
    running = ProjectFactory(in_the_field=True, area=AREA_A, status=ProjectStatus.IN_PROGRESS)
    assert login(staff).get(_url(running)).status_code == 403
    assert login(staff).post(_url(running), _form(running)).status_code == 403
    with pytest.raises(PermissionDenied, match="Chờ nghiệm thu"):
        services.acceptance_record(
            actor=staff, project=running, data={"held_on": date(2021, 12, 20)}, council=[], outputs=[], funds_used={}
        )
    running.refresh_from_db()
    assert running.status == ProjectStatus.IN_PROGRESS and not Acceptance.objects.exists()


def test_a_failed_acceptance_says_what_to_fix_and_a_second_one_can_pass(login, staff, awaiting):
    client = login(staff)
    refused = client.post(_url(awaiting), _form(awaiting, result="failed"))
    assert refused.status_code == 400 and "cần ghi nội dung phải khắc phục" in refused.text
    assert "Nhân rộng mô hình." in refused.text
    assert not Acceptance.objects.exists()

    client.post(_url(awaiting), _form(awaiting, result="failed", fixes_required="Bổ sung hóa đơn máy số 2"))
    first = Acceptance.objects.get()
    awaiting.refresh_from_db()
    assert not first.passed and first.attempt == 1 and awaiting.status == ProjectStatus.AWAITING_ACCEPTANCE
    assert hooks.find_acceptance(awaiting) is None

    client.post(_url(awaiting), _form(awaiting, held_on="15/01/2022"))
    second = Acceptance.objects.get(attempt=2)
    awaiting.refresh_from_db()
    assert second.passed and awaiting.status == ProjectStatus.ACCEPTED
    # Accepted: no third one.
    assert client.get(_url(awaiting)).status_code == 403


def test_the_council_needs_a_chair(login, staff, awaiting):
    response = login(staff).post(_url(awaiting), _form(awaiting, **{"council-0-role": "member"}))
    assert response.status_code == 400 and "Chủ tịch hội đồng" in response.text
    assert "Đề án hoàn thành đúng nội dung." in response.text
    assert not Acceptance.objects.exists()


def test_state_money_used_above_the_approved_amount_is_refused(login, staff, awaiting, monkeypatch):
    monkeypatch.setattr(
        "field.services.approved_amounts",
        lambda project: {"kcqg": None, "kcdp": 200_000_000, "doi_ung": 300_000_000, "khac": None},
    )
    response = login(staff).post(_url(awaiting), _form(awaiting))
    assert response.status_code == 400 and "vượt mức được duyệt" in response.text
    assert not Acceptance.objects.exists()
    login(staff).post(_url(awaiting), _form(awaiting, used_kcdp="200.000.000"))
    funding = {f.source: (f.approved_amount, f.used_amount) for f in AcceptanceFunding.objects.all()}
    # Counterpart money may exceed its plan; state money may not.
    assert funding == {"kcdp": (200_000_000, 200_000_000), "doi_ung": (300_000_000, 310_500_000)}


def test_leaders_officers_and_jurors_cannot_record_acceptance(login, leader, officer_a, juror, awaiting):
    assert login(leader).post(_url(awaiting), _form(awaiting)).status_code == 403
    assert login(officer_a).post(_url(awaiting), _form(awaiting)).status_code == 403
    assert login(juror).get(_url(awaiting)).status_code == 403
    assert not Acceptance.objects.exists()


def test_an_officer_of_another_area_gets_404_on_acceptance_pages(login, staff, officer_b, awaiting):
    login(staff).post(_url(awaiting), _form(awaiting))
    acceptance = Acceptance.objects.get()
    assert login(officer_b).get(reverse("field:acceptance_detail", args=[acceptance.pk])).status_code == 404
    assert login(officer_b).get(_url(awaiting)).status_code == 404


def test_approved_amounts_come_from_the_budget_lines(login, staff, awaiting):
    from budgets.models import FundingLine
    from field.funding import approved_amounts

    FundingLine.objects.create(project=awaiting, source="kcdp", cost_item="thiet_bi", approved_amount=150_000_000)
    FundingLine.objects.create(project=awaiting, source="kcdp", cost_item="dao_tao", approved_amount=50_000_000)
    FundingLine.objects.create(project=awaiting, source="doi_ung", cost_item="thiet_bi", approved_amount=300_000_000)
    assert approved_amounts(awaiting) == {"kcqg": None, "kcdp": 200_000_000, "doi_ung": 300_000_000, "khac": None}
    page = login(staff).get(_url(awaiting)).text
    assert "200.000.000" in page and "300.000.000" in page
    response = login(staff).post(_url(awaiting), _form(awaiting))
    assert response.status_code == 400 and "vượt mức được duyệt" in response.text


def test_the_record_of_an_already_accepted_project_can_be_entered_without_a_transition(staff, officer_a):
    accepted = ProjectFactory(in_the_field=True, area=AREA_A, status=ProjectStatus.ACCEPTED)
    outputs = [{"output": o, "achieved_quantity": 1} for o in accepted.outputs.all()]
    council = [{"full_name": "Phạm Minh Đức", "organisation": "Sở Công Thương", "role": "chair"}]
    data = {"held_on": date(2021, 11, 25), "place": "Cát Hải", "result": "passed"}
    with pytest.raises(PermissionDenied):
        services.acceptance_import(
            actor=officer_a, project=accepted, data=data, council=council, outputs=outputs, funds_used={}
        )
    acceptance = services.acceptance_import(
        actor=staff, project=accepted, data=data, council=council, outputs=outputs, funds_used={"kcqg": 5}
    )
    assert acceptance.passed and not ProjectTransition.objects.filter(project=accepted).exists()
    with pytest.raises(PermissionDenied, match="đã có biên bản"):
        services.acceptance_import(
            actor=staff, project=accepted, data=data, council=council, outputs=outputs, funds_used={}
        )
