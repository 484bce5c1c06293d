import pytest
from django.core.management import call_command

from field.models import Acceptance, FieldReport, FollowUpAction, ReportPhoto
from field.selectors import open_problems_for_home
from projects.models import Project, ProjectStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_reports_with_photos_an_acceptance_and_an_open_2026_problem_and_loads_twice(demo):
    devnull = open("/dev/null", "w")  # noqa: SIM115
    counts = (FieldReport.objects.count(), ReportPhoto.objects.count(), Acceptance.objects.count())
    call_command("load_demo", stdout=devnull)
    assert (FieldReport.objects.count(), ReportPhoto.objects.count(), Acceptance.objects.count()) == counts

    assert ReportPhoto.objects.filter(report__project__plan_year=2021).count() >= 3
    assert ReportPhoto.objects.exclude(gps_latitude=None).exists()
    fish = Project.objects.get(level="kcqg", plan_year=2021, title__icontains="đánh đảo chượp")
    acceptance = Acceptance.objects.get(project=fish)
    assert acceptance.passed and fish.status in (ProjectStatus.ACCEPTED, ProjectStatus.CONTRACT_CLOSED)
    assert acceptance.council.filter(role="chair").exists()
    assert {f.source for f in acceptance.funding.all()} == {"kcqg", "doi_ung"}
    assert acceptance.funding.get(source="kcqg").approved_amount == 600_000_000

    from accounts.models import User

    staff = User.objects.get(username="chuyenvien")
    open_ones = list(open_problems_for_home(user=staff))
    assert [r.project.plan_year for r in open_ones] == [2026]
    assert FollowUpAction.objects.filter(done=False).exists()
