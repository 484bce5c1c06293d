"""From one record to the next step: a đề án from an establishment, its approval decision from its page, a
batch of đề án added to one decision, and each state saying who acts next."""

import pytest
from django.urls import reverse

from projects.models import AppraisalResult, Decision, DecisionItem, DecisionKind, Project, ProjectStatus
from tests.factories import DecisionFactory, ProjectFactory, first_commune

S = ProjectStatus
AREA_B = "/31/d317/"


def _appraised(**kwargs):
    return ProjectFactory(status=S.APPRAISED, appraisal_result=AppraisalResult.PASSED, **kwargs)


class TestCreateFromEstablishment:
    def test_the_establishment_page_offers_a_prefilled_new_project(self, login, staff, beneficiary_a):
        client = login(staff)
        page = client.get(reverse("beneficiaries:detail", args=[beneficiary_a.pk])).content.decode()
        assert f'href="{reverse("projects:create")}?beneficiary={beneficiary_a.pk}"' in page
        form = client.get(reverse("projects:create"), {"beneficiary": beneficiary_a.pk}).context["form"]
        assert form.initial["beneficiaries"] == [beneficiary_a.pk]
        assert form.initial["unit"] == beneficiary_a.unit_id
        assert form.initial["place_detail"] in beneficiary_a.address
        html = client.get(reverse("projects:create"), {"beneficiary": beneficiary_a.pk}).content.decode()
        assert f'<option value="{beneficiary_a.pk}" selected>{beneficiary_a.name}' in html

    def test_the_prefilled_place_does_not_repeat_the_commune(self, login, staff, beneficiary_a):
        unit = beneficiary_a.unit
        beneficiary_a.address = f"Thôn 3, {unit.name.lower()}, {unit.parent.name}, TP Hải Phòng"
        beneficiary_a.save()
        form = login(staff).get(reverse("projects:create"), {"beneficiary": beneficiary_a.pk}).context["form"]
        assert form.initial["place_detail"] == "Thôn 3"

    def test_an_establishment_outside_the_officers_areas_prefills_nothing(self, login, officer_a, beneficiary_b):
        form = login(officer_a).get(reverse("projects:create"), {"beneficiary": beneficiary_b.pk}).context["form"]
        assert "beneficiaries" not in form.initial
        assert login(officer_a).get(reverse("projects:create"), {"beneficiary": "x"}).status_code == 200

    def test_a_leader_is_not_offered_the_button(self, login, leader, beneficiary_a):
        page = login(leader).get(reverse("beneficiaries:detail", args=[beneficiary_a.pk])).content.decode()
        assert 'data-testid="create-project"' not in page


class TestAttachDecision:
    def test_staff_attaches_an_appraised_project_to_a_recorded_plan_decision_and_approves_it(self, login, staff):
        project = _appraised()
        already = _appraised()
        decision = DecisionFactory()
        DecisionItem.objects.create(decision=decision, project=already, position=1)
        response = login(staff).post(
            reverse("projects:decision_attach", args=[project.pk]), {"decision": decision.pk, "approve": "on"}
        )
        assert response.status_code == 302
        project.refresh_from_db()
        assert project.status == S.APPROVED
        assert project.transitions.get().decision == decision
        assert list(decision.items.order_by("position").values_list("project_id", "position")) == [
            (already.pk, 1),
            (project.pk, 2),
        ]

    def test_a_repeated_post_adds_nothing_and_changes_nothing(self, login, staff):
        project = _appraised()
        decision = DecisionFactory()
        client = login(staff)
        url = reverse("projects:decision_attach", args=[project.pk])
        client.post(url, {"decision": decision.pk, "approve": "on"})
        response = client.post(url, {"decision": decision.pk, "approve": "on"})
        assert response.status_code == 403  # an approved đề án is no longer attachable
        assert decision.items.count() == 1 and project.transitions.count() == 1

    def test_a_registered_project_is_listed_but_not_approved(self, login, staff):
        project = ProjectFactory(status=S.REGISTERED)
        decision = DecisionFactory()
        login(staff).post(
            reverse("projects:decision_attach", args=[project.pk]), {"decision": decision.pk, "approve": "on"}
        )
        project.refresh_from_db()
        assert project.status == S.REGISTERED and decision.items.filter(project=project).exists()

    def test_a_stop_decision_cannot_be_chosen(self, login, staff):
        project = _appraised()
        stop = DecisionFactory(kind=DecisionKind.STOP)
        response = login(staff).post(reverse("projects:decision_attach", args=[project.pk]), {"decision": stop.pk})
        assert response.status_code == 400 and not stop.items.exists()

    def test_wrong_role_anonymous_and_other_area(self, client, login, leader, officer_b):
        project = _appraised()
        decision = DecisionFactory()
        url = reverse("projects:decision_attach", args=[project.pk])
        assert client.post(url, {"decision": decision.pk}).status_code == 302
        assert login(leader).post(url, {"decision": decision.pk}).status_code == 403
        assert login(officer_b).post(url, {"decision": decision.pk}).status_code == 404
        assert not decision.items.exists()

    def test_the_page_shows_the_panel_only_to_who_may_use_it(self, login, staff, leader):
        project = _appraised()
        url = reverse("projects:detail", args=[project.pk])
        staff_page = login(staff).get(url).content.decode()
        assert 'data-testid="approval-decision"' in staff_page
        assert f"{reverse('projects:decision_create')}?project={project.pk}" in staff_page
        assert 'data-testid="approval-decision"' not in login(leader).get(url).content.decode()

    def test_new_decision_is_prefilled_from_the_project(self, login, staff):
        project = _appraised()
        form = login(staff).get(reverse("projects:decision_create"), {"project": project.pk}).context["form"]
        assert form.initial["projects"] == [project.pk] and form.initial["level"] == project.level

    def test_decision_search_finds_by_number_and_filters_by_kind(self, login, staff, officer_a):
        plan = DecisionFactory(number="191/QĐ-UBND")
        DecisionFactory(number="192/QĐ-UBND", kind=DecisionKind.STOP)
        url = reverse("projects:decision_search")
        rows = login(staff).get(url, {"q": "191/qd", "kind": "plan_approval,project_approval"}).json()["results"]
        assert [int(r["value"]) for r in rows] == [plan.pk]
        assert login(officer_a).get(url).status_code == 403


class TestBatch:
    def test_one_decision_approves_a_batch_chosen_on_its_page(self, db, login, staff):
        batch = [_appraised() for _ in range(3)]
        registered = ProjectFactory(status=S.REGISTERED)
        decision = DecisionFactory()
        response = login(staff).post(
            reverse("projects:decision_detail", args=[decision.pk]),
            {"projects": [p.pk for p in batch] + [registered.pk], "approve": "on"},
        )
        assert response.status_code == 302
        statuses = dict(Project.objects.values_list("pk", "status"))
        assert all(statuses[p.pk] == S.APPROVED for p in batch)
        assert statuses[registered.pk] == S.REGISTERED
        assert decision.items.count() == 4

    def test_a_project_already_in_the_decision_is_not_offered_again(self, db, login, staff):
        decision = DecisionFactory()
        inside, outside = _appraised(), _appraised()
        client = login(staff)
        url = reverse("projects:decision_detail", args=[decision.pk])
        assert client.post(url, {"projects": [inside.pk]}).status_code == 302
        field = client.get(url).context["form"].fields["projects"]
        assert list(field.queryset) == [outside]
        search = field.widget.search_url()
        assert f"not_in_decision={decision.pk}" in search
        found = client.get(search).json()
        assert [row["value"] for row in found["results"]] == [str(outside.pk)]
        assert client.get(reverse("projects:search"), {"not_in_decision": "²"}).status_code == 200  # not a number
        assert client.post(url, {"projects": [inside.pk]}).status_code == 400  # chosen again by hand: refused
        assert decision.items.count() == 1

    def test_a_leader_cannot_add_and_an_officer_cannot_see(self, login, leader, officer_a):
        decision = DecisionFactory()
        project = _appraised()
        url = reverse("projects:decision_detail", args=[decision.pk])
        assert login(leader).post(url, {"projects": [project.pk]}).status_code == 403
        assert 'data-testid="decision-add"' not in login(leader).get(url).content.decode()
        assert login(officer_a).get(url).status_code == 403
        assert not Decision.objects.get(pk=decision.pk).items.exists()

    def test_a_project_outside_the_list_is_refused(self, db, login, staff):
        decision = DecisionFactory()
        draft = ProjectFactory(status=S.DRAFT)
        response = login(staff).post(reverse("projects:decision_detail", args=[decision.pk]), {"projects": [draft.pk]})
        assert response.status_code == 400 and not decision.items.exists()


class TestWhoActsNext:
    @pytest.mark.parametrize(
        ("status", "persona", "your_turn"),
        [
            (S.REGISTERED, "staff", True),
            (S.REGISTERED, "officer_a", False),
            (S.APPRAISED, "staff", True),
            (S.APPRAISED, "leader", False),
            (S.IN_PROGRESS, "officer_a", True),
            (S.SETTLED, "staff", False),
        ],
    )
    def test_each_state_tells_its_viewer_who_acts_next(self, db, request, login, status, persona, your_turn):
        project = ProjectFactory(status=status, appraisal_result=AppraisalResult.PASSED)
        page = login(request.getfixturevalue(persona)).get(reverse("projects:detail", args=[project.pk]))
        html = page.content.decode()
        assert 'data-testid="next-step"' in html
        assert str(page.context["next_step"]["who"]) and page.context["next_step"]["your_turn"] is your_turn
        assert ("Đến lượt bạn" in html) is your_turn

    def test_the_leader_home_shows_appraisals_to_conclude_and_plans_awaiting_decision(self, login, leader):
        failed = ProjectFactory(status=S.APPRAISED, appraisal_result=AppraisalResult.FAILED)
        passed = _appraised()
        elsewhere = _appraised(unit=first_commune(AREA_B))
        html = login(leader).get(reverse("home")).content.decode()
        failed_card = html.split('data-testid="queue-failed-appraisals"')[1].split("</ul>")[0]
        passed_card = html.split('data-testid="queue-awaiting-decision"')[1].split("</ul>")[0]
        assert failed.code in failed_card and passed.code not in failed_card
        assert passed.code in passed_card and elsewhere.code in passed_card
