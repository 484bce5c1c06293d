from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from contest.models import ConflictOfInterest, ContestState, Score, ScoreSheet, SheetCorrection, SheetState
from contest.selectors import contest_results, scoring_criteria, visible_sheets
from contest.services import conflict_declare, contest_transition, sheet_correct
from tests.contest.conftest import score

pytestmark = pytest.mark.django_db


def _post(entry, values, action="submit", **extra):
    criteria = scoring_criteria(entry.contest.criteria_set)
    data = {f"c{c.pk}": v for c, v in zip(criteria, values, strict=True)}
    data.update(action=action, comment="Sản phẩm đẹp", **extra)
    return data


def _url(entry):
    return reverse("contest:score", args=[entry.contest_id, entry.pk])


def test_a_juror_scores_an_entry_on_the_phone_page_and_moves_to_the_next(login, juror, contest):
    first, second = contest.entries.order_by("number")[:2]
    client = login(juror)
    page = client.get(_url(first))
    assert page.status_code == 200 and 'inputmode="decimal"' in page.text and "1/3" in page.text
    response = client.post(_url(first), _post(first, ["35,5", "30", "8", "9"]))
    assert response.status_code == 302 and response["Location"] == _url(second)
    sheet = ScoreSheet.objects.get(entry=first, juror=juror)
    assert sheet.state == SheetState.SUBMITTED and sheet.total == Decimal("82.5") and sheet.comment == "Sản phẩm đẹp"
    assert sheet.scores.count() == 4
    assert sheet.history.first().history_user == juror


def test_a_score_above_a_criterion_maximum_is_refused_and_nothing_is_written(login, juror, contest):
    entry = contest.entries.first()
    response = login(juror).post(_url(entry), _post(entry, ["41", "30", "8", "9"]))
    assert response.status_code == 400
    assert "vượt quá điểm tối đa 40" in response.text
    assert 'value="41"' in response.text  # what was typed is kept
    assert not ScoreSheet.objects.exists() and not Score.objects.exists()


def test_the_service_refuses_a_score_above_the_maximum_too(juror, contest):
    with pytest.raises(ValidationError) as exc:
        score(juror, contest.entries.first(), [40, 40, Decimal("10.5"), 10])
    assert "vượt quá" in str(exc.value)
    assert not ScoreSheet.objects.exists()


def test_bad_numbers_are_explained(login, juror, contest):
    entry = contest.entries.first()
    response = login(juror).post(_url(entry), _post(entry, ["abc", "-1", "", "9"]))
    assert response.status_code == 400
    assert "Điểm phải là số" in response.text and "không được âm" in response.text
    assert "Cần chấm tiêu chí này" in response.text
    assert not ScoreSheet.objects.exists()


def test_a_draft_may_be_incomplete_and_corrected_until_submitted(juror, contest):
    entry = contest.entries.first()
    criteria = scoring_criteria(contest.criteria_set)
    from contest.services import sheet_save

    sheet = sheet_save(actor=juror, entry=entry, points={criteria[0].pk: "20"})
    assert sheet.state == SheetState.DRAFT and sheet.total == 20
    sheet = score(juror, entry, [30, 30, 5, 5])
    assert sheet.state == SheetState.SUBMITTED and sheet.total == 70
    with pytest.raises(PermissionDenied, match="chỉ thư ký"):
        score(juror, entry, [40, 40, 10, 10])
    sheet.refresh_from_db()
    assert sheet.total == 70


def test_the_secretary_corrects_a_submitted_sheet_with_a_recorded_reason(login, staff, juror, contest):
    entry = contest.entries.first()
    sheet = score(juror, entry, [30, 30, 5, 5])
    criteria = scoring_criteria(contest.criteria_set)
    url = reverse("contest:sheet_correct", args=[contest.pk, sheet.pk])
    data = {f"c{c.pk}": v for c, v in zip(criteria, ["32", "30", "5", "5"], strict=True)}
    client = login(staff)
    response = client.post(url, {**data, "reason": ""})
    assert response.status_code == 400 and "Cần ghi lý do" in response.text
    assert not SheetCorrection.objects.exists()
    response = client.post(url, {**data, "reason": "Cộng nhầm tiêu chí 1 theo biên bản họp"})
    assert response.status_code == 302
    correction = SheetCorrection.objects.get()
    assert (correction.total_before, correction.total_after, correction.actor) == (70, 72, staff)
    sheet.refresh_from_db()
    assert sheet.total == 72
    assert sheet.history.first().history_change_reason == "Cộng nhầm tiêu chí 1 theo biên bản họp"


def test_a_juror_cannot_correct_a_submitted_sheet_through_the_secretary_page(login, juror, contest):
    sheet = score(juror, contest.entries.first(), [30, 30, 5, 5])
    response = login(juror).get(reverse("contest:sheet_correct", args=[contest.pk, sheet.pk]))
    assert response.status_code == 403


def test_a_draft_cannot_be_corrected_by_the_secretary(staff, juror, contest):
    sheet = score(juror, contest.entries.first(), [30, 30, 5, 5], submit=False)
    with pytest.raises(PermissionDenied):
        sheet_correct(actor=staff, sheet=sheet, points={}, reason="x")


def test_anonymous_is_sent_to_login(client, contest):
    entry = contest.entries.first()
    response = client.get(_url(entry))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_cannot_score(login, staff, contest):
    entry = contest.entries.first()
    assert login(staff).post(_url(entry), _post(entry, ["30", "30", "5", "5"])).status_code == 403
    assert not ScoreSheet.objects.exists()


def test_a_juror_not_on_the_contest_does_not_see_it(login, contest):
    from accounts.roles import Role
    from tests.factories import UserFactory

    outsider = UserFactory(username="gk-ngoai", role=Role.JUROR)
    client = login(outsider)
    assert client.get(_url(contest.entries.first())).status_code == 404
    assert client.get(reverse("contest:detail", args=[contest.pk])).status_code == 404


def test_scoring_is_refused_outside_the_scoring_stage(juror, contest):
    contest.state = ContestState.OPEN
    contest.save()
    with pytest.raises(PermissionDenied, match="giai đoạn chấm"):
        score(juror, contest.entries.first(), [30, 30, 5, 5])


def test_a_juror_sees_only_their_own_sheets_until_the_contest_is_closed(login, staff, jurors, contest):
    me, other = jurors[0], jurors[1]
    entry = contest.entries.first()
    score(me, entry, [30, 30, 5, 5])
    score(other, entry, [35, 35, 9, 9])
    assert list(visible_sheets(user=me, entry=entry).values_list("juror", flat=True)) == [me.pk]
    page = login(me).get(reverse("contest:entry", args=[contest.pk, entry.pk]))
    assert page.text.count('data-testid="sheet"') == 1 and str(other) not in page.text
    assert login(me).get(reverse("contest:results", args=[contest.pk])).status_code == 403

    contest_transition(actor=staff, contest=contest, to_state=ContestState.CLOSED)
    entry.refresh_from_db()
    entry.contest.refresh_from_db()
    assert set(visible_sheets(user=me, entry=entry).values_list("juror", flat=True)) == {me.pk, other.pk}
    page = login(me).get(reverse("contest:entry", args=[contest.pk, entry.pk]))
    assert page.text.count('data-testid="sheet"') == 2
    assert login(me).get(reverse("contest:results", args=[contest.pk])).status_code == 200


def test_a_conflict_of_interest_excludes_the_jurors_sheet_and_blocks_scoring(login, jurors, contest):
    entry = contest.entries.first()
    for j, total in zip(jurors[:3], ([30, 30, 5, 5], [35, 35, 5, 5], [30, 30, 5, 5]), strict=True):
        score(j, entry, total)
    assert contest_results(contest=contest).by_entry[entry.pk].score == Decimal("73.33")

    client = login(jurors[2])
    response = client.post(reverse("contest:conflict", args=[contest.pk, entry.pk]), {"reason": "Cơ sở của người thân"})
    assert response.status_code == 302
    assert ConflictOfInterest.objects.get().juror == jurors[2]
    result = contest_results(contest=contest).by_entry[entry.pk]
    assert result.counted == [Decimal("70"), Decimal("80")] and result.score == Decimal("75.00")
    assert jurors[2].pk in result.conflicted_jurors

    # Declared: no more scoring, and a second declaration is refused.
    assert client.post(_url(entry), _post(entry, ["1", "1", "1", "1"])).status_code == 403
    assert client.post(reverse("contest:conflict", args=[contest.pk, entry.pk]), {"reason": "x"}).status_code == 403
    assert ConflictOfInterest.objects.count() == 1


def test_a_conflict_needs_a_reason(jurors, contest):
    with pytest.raises(ValidationError):
        conflict_declare(actor=jurors[0], entry=contest.entries.first(), reason="  ")
    assert not ConflictOfInterest.objects.exists()


def test_the_juror_list_shows_only_the_jurors_own_status(login, jurors, contest):
    entries = list(contest.entries.order_by("number"))
    score(jurors[0], entries[0], [30, 30, 5, 5])
    score(jurors[1], entries[1], [30, 30, 5, 5])
    page = login(jurors[0]).get(reverse("contest:juror_entries", args=[contest.pk]))
    assert page.text.count("Đã nộp") == 1 and page.text.count("Chưa chấm") == 2


def test_the_juror_list_uses_the_same_queries_whatever_the_number_of_entries(login, juror, contest):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import EntryFactory

    client = login(juror)
    url = reverse("contest:juror_entries", args=[contest.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(10):
        EntryFactory(contest=contest, number=100 + i)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


def test_the_juror_home_shows_open_contests_and_progress(login, juror, contest):
    score(juror, contest.entries.first(), [30, 30, 5, 5])
    page = login(juror).get("/")
    assert contest.name in page.text and "Đã nộp 1/3 phiếu" in page.text
