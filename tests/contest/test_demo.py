from django.core.management import call_command

from contest.models import Certificate, Contest, ContestState, ScoreSheet, SheetState


def test_the_demo_has_the_2021_round_and_a_2026_round_in_scoring(demo):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115  (idempotent)
    c2021 = Contest.objects.get(year=2021)
    assert c2021.state == ContestState.PUBLISHED and c2021.jurors.count() == 5
    assert Certificate.objects.filter(contest=c2021).count() == 15
    assert c2021.entries.filter(proposed=True).count() == 12
    assert {c.valid_until.isoformat() for c in c2021.certificates.all()} == {"2024-12-31"}
    c2026 = Contest.objects.get(year=2026)
    assert c2026.state == ContestState.SCORING
    mine = ScoreSheet.objects.filter(entry__contest=c2026, juror__username="giamkhao")
    assert mine.filter(state=SheetState.SUBMITTED).count() == 1
    assert c2026.entries.count() > mine.filter(state=SheetState.SUBMITTED).count()
