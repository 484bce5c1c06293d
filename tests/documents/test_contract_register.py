"""One source for the contract's number and date: the contract issued from the outgoing-document register. Once
issued, the đề án shows its number and date, the "Ghi hợp đồng" step takes them, and a typed number or date that
contradicts them is refused (there, and on the biên bản nghiệm thu)."""

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from documents import services
from field import services as field_services
from projects.models import Project, ProjectStatus, ProjectTransition
from projects.services import project_contract_from_register, project_transition
from tests.documents.kind_data import approved_project, plan_decision
from tests.documents.test_contract import _contract, _contracted
from tests.field.test_acceptance import _form as acceptance_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]

TODAY = timezone.localdate()


def _approved():
    """An approved đề án without a contract yet: its contract is dated the day it is asked for."""
    project = approved_project(decision=plan_decision())
    Project.objects.filter(pk=project.pk).update(contract_number="", contract_date=None)
    project.refresh_from_db()
    return project


def _step_url(project):
    return reverse("projects:transition", args=[project.pk, ProjectStatus.CONTRACTED])


def _step(client, project, **over):
    project.refresh_from_db()
    data = {"version": project.version, "comment": "", "contract_parties": "Trung tâm Khuyến công và Cơ sở"}
    data.update(over)
    return client.post(_step_url(project), data)


def test_issuing_the_contract_writes_its_number_and_date_on_the_đề_án(login, staff):
    project = _approved()
    document = services.document_issue(actor=staff, job=_contract(staff, project))
    project.refresh_from_db()
    assert (project.contract_number, project.contract_date) == (document.symbol, document.issued_on)
    assert (document.symbol, document.issued_on) == ("01/HĐ-SCT", TODAY)
    assert project.status == ProjectStatus.APPROVED  # the step is still the user's to record
    latest = project.history.latest()
    assert latest.history_change_reason == f"Hợp đồng số 01/HĐ-SCT ngày {TODAY:%d/%m/%Y} theo sổ văn bản đi."
    assert latest.history_user == staff
    versions = project.history.count()
    project_contract_from_register(actor=staff, project=project, number="01/HĐ-SCT", date=TODAY)  # a repeat
    assert project.history.count() == versions
    page = login(staff).get(reverse("projects:detail", args=[project.pk])).text
    assert f"01/HĐ-SCT ngày {TODAY:%d/%m/%Y}" in page


def test_a_number_typed_before_gives_way_to_the_register_and_stays_in_the_history(staff):
    project = _contracted()  # typed at the step: 05/2021/HĐ-KC of 15/04/2021
    document = services.document_issue(actor=staff, job=_contract(staff, project))
    project.refresh_from_db()
    assert (project.contract_number, project.contract_date) == ("01/HĐ-SCT", dt.date(2021, 4, 15))
    assert document.issued_on == dt.date(2021, 4, 15)  # dated by the contract date recorded on the đề án
    assert "Trước đó ghi: 05/2021/HĐ-KC." in project.history.latest().history_change_reason


def test_a_correction_of_the_contract_moves_the_đề_án_to_the_new_number(staff):
    project = _approved()
    first = services.document_issue(actor=staff, job=_contract(staff, project))
    project.beneficiaries.update(address="Số 2 đường mới")  # the data change: a new draft to issue
    job = services.document_request(actor=staff, kind="project_contract", params={"project": project.pk})
    job.refresh_from_db()
    second = services.document_issue(actor=staff, job=job, replaces=first, reason="Sửa địa chỉ Bên B")
    project.refresh_from_db()
    assert second.symbol == "02/HĐ-SCT" and project.contract_number == "02/HĐ-SCT"


def test_the_step_opens_with_the_registers_number_and_takes_it_when_left_as_is(login, staff):
    project = _approved()
    services.document_issue(actor=staff, job=_contract(staff, project))
    client = login(staff)
    page = client.get(_step_url(project)).text
    assert 'data-testid="issued-contract"' in page
    assert 'value="01/HĐ-SCT"' in page and f'value="{TODAY:%d/%m/%Y}"' in page
    assert f"{project.implementing_unit.name} và {project.beneficiaries.get().name}" in page  # parties start filled
    response = _step(client, project, contract_number="", contract_date="")
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.CONTRACTED
    assert (project.contract_number, project.contract_date) == ("01/HĐ-SCT", TODAY)
    assert ProjectTransition.objects.filter(project=project, to_status=ProjectStatus.CONTRACTED, actor=staff).exists()


def test_the_same_number_written_another_way_is_the_same_contract(login, staff):
    project = _approved()
    services.document_issue(actor=staff, job=_contract(staff, project))
    response = _step(login(staff), project, contract_number="1/hđ-sct", contract_date=f"{TODAY:%d/%m/%Y}")
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.contract_number == "01/HĐ-SCT"  # the register's spelling


def test_a_typed_number_or_date_contradicting_the_issued_contract_is_refused(login, staff):
    project = _approved()
    services.document_issue(actor=staff, job=_contract(staff, project))
    client = login(staff)
    refused = _step(client, project, contract_number="07/2021/HĐ-KC", contract_date=f"{TODAY:%d/%m/%Y}")
    assert refused.status_code == 400
    assert "đã được cấp số 01/HĐ-SCT" in refused.text and "số hợp đồng phải là 01/HĐ-SCT" in refused.text
    refused = _step(client, project, contract_number="01/HĐ-SCT", contract_date="01/01/2021")
    assert refused.status_code == 400 and f"ngày ký phải là {TODAY:%d/%m/%Y}" in refused.text
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED and project.contract_number == "01/HĐ-SCT"
    with pytest.raises(ValidationError, match="số hợp đồng phải là 01/HĐ-SCT"):
        project_transition(
            actor=staff,
            project=project,
            to=ProjectStatus.CONTRACTED,
            contract_number="99/HĐ-SCT",
            contract_parties="Hai bên",
        )


def test_without_an_issued_contract_the_step_asks_for_the_number_as_before(login, staff):
    project = _approved()
    client = login(staff)
    page = client.get(_step_url(project)).text
    assert 'data-testid="issued-contract"' not in page
    assert _step(client, project, contract_number="", contract_date="").status_code == 400
    response = _step(client, project, contract_number="12/2021/HĐ-KC", contract_date="15/04/2021")
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.contract_number, project.status) == ("12/2021/HĐ-KC", ProjectStatus.CONTRACTED)


def test_the_step_anonymous_wrong_role_and_other_area(client, login, staff, leader, officer_b):
    project = _approved()  # area A
    services.document_issue(actor=staff, job=_contract(staff, project))
    assert client.get(_step_url(project)).status_code == 302
    assert login(leader).get(_step_url(project)).status_code == 403
    assert login(officer_b).get(_step_url(project)).status_code == 404
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED


def test_the_biên_bản_nghiệm_thu_cannot_cite_another_contract(login, staff):
    project = _approved()
    services.document_issue(actor=staff, job=_contract(staff, project))
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.AWAITING_ACCEPTANCE)
    project.refresh_from_db()
    url = reverse("field:acceptance_create", args=[project.pk])
    page = login(staff).get(url).text
    assert 'value="01/HĐ-SCT"' in page  # starts from the đề án, which follows the register
    refused = login(staff).post(url, acceptance_form(project, contract_reference="05/2021/HĐ-KC"))
    assert refused.status_code == 400 and "đã được cấp số 01/HĐ-SCT" in refused.text
    data = acceptance_form(project, contract_reference="01/HĐ-SCT", contract_date=f"{TODAY:%d/%m/%Y}")
    assert login(staff).post(url, data).status_code == 302
    assert project.acceptances.get().contract_reference == "01/HĐ-SCT"
    with pytest.raises(ValidationError):
        field_services._check_acceptance_input(
            project, {"contract_date": dt.date(2020, 1, 1)}, [{"role": "chair"}], [], {}
        )


def test_the_migration_brings_đề_án_issued_before_in_line(staff):
    project = _approved()
    document = services.document_issue(actor=staff, job=_contract(staff, project))
    Project.objects.filter(pk=project.pk).update(contract_number="05/2021/HĐ-KC", contract_date=dt.date(2021, 4, 1))
    migration = import_module("budgets.migrations.0006_contract_number_from_register")
    migration.from_register(apps, None)
    project.refresh_from_db()
    assert (project.contract_number, project.contract_date) == (document.symbol, document.issued_on)
