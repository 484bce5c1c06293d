"""The funding-lines editor of a đề án, the exception pages and the yearly envelope."""

import pytest

from budgets.models import BudgetAllocation, BudgetException, ExceptionStatus, FundingLine, SupportCeiling
from tests.budgets.factories import allocation, approve, line
from tests.factories import ProjectFactory

MODEL = "Xây dựng mô hình trình diễn kỹ thuật"


@pytest.fixture
def project(db):
    project = ProjectFactory(funded=True, contents=["4.3"])
    approve(project)
    return project


def _form(project, rows, *, ceiling=None, units=1, version=None):
    data = {
        "ceiling": ceiling.pk if ceiling else "",
        "ceiling_units": str(units),
        "version": str(version if version is not None else getattr(getattr(project, "funding", None), "version", 1)),
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"lines-{index}-{key}"] = value
    return data


def _rows(state="300.000.000", counterpart="700.000.000"):
    return [
        {"source": "kcdp", "cost_item": "thiet_bi", "estimated_cost": "300.000.000", "approved_amount": state},
        {"source": "doi_ung", "cost_item": "thiet_bi", "estimated_cost": counterpart, "approved_amount": counterpart},
    ]


def test_staff_enters_lines_at_the_ceiling(login, staff, project):
    client = login(staff)
    assert client.get(f"/kinh-phi/de-an/{project.pk}/sua/").status_code == 200
    ceiling = SupportCeiling.objects.get(title=MODEL)
    response = client.post(f"/kinh-phi/de-an/{project.pk}/sua/", _form(project, _rows(), ceiling=ceiling))
    assert response.status_code == 302
    assert sorted(FundingLine.objects.values_list("source", "approved_amount")) == [
        ("doi_ung", 700_000_000),
        ("kcdp", 300_000_000),
    ]
    page = client.get(f"/kinh-phi/de-an/{project.pk}/").content.decode()
    assert "1.000.000.000" in page and "30,0%" in page and MODEL in page


def test_one_dong_over_the_ceiling_is_refused_keeping_what_was_typed_and_offering_an_exception(
    login, staff, leader, project
):
    client = login(staff)
    ceiling = SupportCeiling.objects.get(title=MODEL)
    response = client.post(f"/kinh-phi/de-an/{project.pk}/sua/", _form(project, _rows("300.000.001"), ceiling=ceiling))
    body = response.content.decode()
    assert response.status_code == 400
    assert "vượt mức tối đa 300.000.000 đồng" in body and "28/2018/TT-BTC" in body
    assert 'value="300.000.001"' in body
    assert 'data-testid="exception-request"' in body
    assert not FundingLine.objects.exists()

    # Staff asks, the leader approves on the exceptions page, staff saves again.
    client.post(
        f"/kinh-phi/de-an/{project.pk}/ngoai-le/", {"kind": "ceiling", "amount": "300.000.001", "reason": "Giá tăng"}
    )
    request = BudgetException.objects.get()
    assert request.status == ExceptionStatus.REQUESTED and request.requested_by == staff
    assert login(staff).post(f"/kinh-phi/ngoai-le/{request.pk}/", {"approve": "1", "comment": "x"}).status_code == 403
    leader_client = login(leader)
    assert "Giá tăng" in leader_client.get("/kinh-phi/ngoai-le/").content.decode()
    bad = leader_client.post(f"/kinh-phi/ngoai-le/{request.pk}/", {"approve": "1", "comment": ""})
    assert bad.status_code == 400
    assert (
        leader_client.post(f"/kinh-phi/ngoai-le/{request.pk}/", {"approve": "1", "comment": "Đồng ý"}).status_code
        == 302
    )
    request.refresh_from_db()
    assert request.status == ExceptionStatus.APPROVED and request.decided_by == leader

    client = login(staff)
    response = client.post(f"/kinh-phi/de-an/{project.pk}/sua/", _form(project, _rows("300.000.001"), ceiling=ceiling))
    assert response.status_code == 302
    page = client.get(f"/kinh-phi/de-an/{project.pk}/").content.decode()
    assert 'data-testid="ceiling-exception"' in page and "Giá tăng" in page


def test_a_stale_page_is_refused(login, staff, project):
    client = login(staff)
    ceiling = SupportCeiling.objects.get(title=MODEL)
    assert (
        client.post(
            f"/kinh-phi/de-an/{project.pk}/sua/", _form(project, _rows(), ceiling=ceiling, version=1)
        ).status_code
        == 302
    )
    response = client.post(
        f"/kinh-phi/de-an/{project.pk}/sua/", _form(project, _rows("1", "1"), ceiling=ceiling, version=1)
    )
    assert response.status_code == 400 and "Người khác vừa sửa" in response.content.decode()
    assert FundingLine.objects.get(source="kcdp").approved_amount == 300_000_000


def test_the_editor_refuses_anonymous_wrong_role_and_other_area(client, login, leader, officer_a, officer_b, project):
    url = f"/kinh-phi/de-an/{project.pk}/sua/"
    assert "/accounts/login/" in client.get(url)["Location"]
    assert login(leader).get(url).status_code == 403
    assert login(officer_a).get(url).status_code == 403
    assert login(officer_b).get(url).status_code == 404
    assert login(officer_b).post(url, _form(project, _rows())).status_code == 404
    assert not FundingLine.objects.exists()


def test_a_line_cannot_drop_below_what_was_paid(staff, project):
    from budgets import services

    money_line = line(project, estimated=100, approved=100)
    FundingLine.objects.filter(pk=money_line.pk).update(disbursed_total=80)
    with pytest.raises(services.ValidationError) as refused:
        services.funding_lines_save(
            actor=staff,
            project=project,
            lines=[
                services.LineInput(
                    id=money_line.pk, source="kcdp", cost_item="thiet_bi", estimated_cost=100, approved_amount=79
                )
            ],
            ceiling=SupportCeiling.objects.get(title=MODEL),
        )
    assert "thấp hơn số đã giải ngân" in str(refused.value)


def test_the_yearly_envelope_is_checked_with_a_clear_message_and_a_leader_exception(login, staff, leader, db):
    allocation(amount=500_000_000)
    first = ProjectFactory(funded=True, contents=["4.1"])
    second = ProjectFactory(funded=True, contents=["4.1"])
    rows = [
        {"source": "kcdp", "cost_item": "dao_tao", "estimated_cost": "300.000.000", "approved_amount": "300.000.000"}
    ]
    client = login(staff)
    assert client.post(f"/kinh-phi/de-an/{first.pk}/sua/", _form(first, rows)).status_code == 302
    response = client.post(f"/kinh-phi/de-an/{second.pk}/sua/", _form(second, rows))
    body = response.content.decode()
    assert response.status_code == 400
    assert "vượt dự toán được giao 500.000.000 đồng" in body and "600.000.000" in body
    login(leader).post(
        f"/kinh-phi/de-an/{second.pk}/ngoai-le/",
        {"kind": "allocation", "amount": "300.000.000", "reason": "UBND bổ sung dự toán"},
    )
    assert BudgetException.objects.get().status == ExceptionStatus.APPROVED
    assert login(staff).post(f"/kinh-phi/de-an/{second.pk}/sua/", _form(second, rows)).status_code == 302
    assert "UBND bổ sung dự toán" in login(staff).get(f"/kinh-phi/de-an/{second.pk}/").content.decode()


def test_allocations_are_managed_by_staff_and_leaders_only(login, staff, leader, officer_a, db):
    data = {"level": "kcdp", "year": "2021", "amount": "1.000.000.000", "legal_basis": "QĐ giao dự toán", "notes": ""}
    assert login(officer_a).post("/kinh-phi/du-toan/moi/", data).status_code == 403
    assert login(staff).post("/kinh-phi/du-toan/moi/", data).status_code == 302
    duplicate = login(leader).post("/kinh-phi/du-toan/moi/", data)
    assert duplicate.status_code == 400
    assert BudgetAllocation.objects.get().amount == 1_000_000_000
    allocation_row = BudgetAllocation.objects.get()
    assert (
        login(leader).post(f"/kinh-phi/du-toan/{allocation_row.pk}/", {**data, "amount": "1.200.000.000"}).status_code
        == 302
    )
    assert BudgetAllocation.objects.get().amount == 1_200_000_000
    assert "1.200.000.000" in login(officer_a).get("/kinh-phi/du-toan/").content.decode()


def test_the_ceiling_list_is_readable_by_all_money_roles(login, officer_b, juror, db):
    body = login(officer_b).get("/kinh-phi/muc-ho-tro/").content.decode()
    assert MODEL in body and "1.000.000.000" in body
    assert login(juror).get("/kinh-phi/muc-ho-tro/").status_code == 403


def test_the_project_page_links_to_the_money_and_shows_an_approved_exception(login, staff, leader, project):
    from budgets import services

    services.exception_record(actor=leader, project=project, kind="ceiling", amount=1, reason="Tờ trình 12/TTr")
    line(project, estimated=1, approved=1)
    body = login(staff).get(f"/de-an/{project.pk}/").content.decode()
    assert f"/kinh-phi/de-an/{project.pk}/" in body and "Tờ trình 12/TTr" in body
    summary = login(staff).get("/kinh-phi/?year=2021").content.decode()
    assert 'data-testid="exception-badge"' in summary


def test_opening_the_money_pages_writes_nothing_and_the_first_save_creates_the_funding(login, staff, project):
    from budgets.models import ProjectFunding

    client = login(staff)
    assert client.get(f"/kinh-phi/de-an/{project.pk}/").status_code == 200
    editor = client.get(f"/kinh-phi/de-an/{project.pk}/sua/")
    assert editor.status_code == 200 and 'name="version" value="1"' in editor.content.decode()
    assert not ProjectFunding.objects.filter(project=project).exists()
    ceiling = SupportCeiling.objects.get(title=MODEL)
    response = client.post(f"/kinh-phi/de-an/{project.pk}/sua/", _form(project, _rows(), ceiling=ceiling, version=1))
    assert response.status_code == 302
    funding = ProjectFunding.objects.get(project=project)
    assert funding.version == 2 and funding.ceiling == ceiling
