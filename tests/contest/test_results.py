from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contest.models import ContestState, Entry, ProductGroup, ScoreRule
from contest.selectors import EntryResult, contest_results, entry_score, rank_with_ties
from contest.services import contest_transition, proposals_set
from tests.contest.conftest import score
from tests.factories import EntryFactory

D = Decimal


def test_the_score_is_the_mean_of_the_sheets():
    assert entry_score([D(70), D(80), D(85)], ScoreRule.MEAN) == D("78.33")
    assert entry_score([], ScoreRule.MEAN) is None


def test_the_trimmed_rule_drops_highest_and_lowest_only_from_five_sheets():
    five = [D(50), D(70), D(72), D(74), D(99)]
    assert entry_score(five, ScoreRule.TRIMMED_MEAN) == D("72.00")
    assert entry_score(five, ScoreRule.MEAN) == D("73.00")
    four = [D(50), D(70), D(72), D(99)]
    assert entry_score(four, ScoreRule.TRIMMED_MEAN) == entry_score(four, ScoreRule.MEAN) == D("72.75")


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    rows = [EntryResult(entry=Entry(number=n), score=s) for n, s in [(1, D(80)), (2, D(90)), (3, D(80)), (4, D(70))]]
    rows.append(EntryResult(entry=Entry(number=5), score=None))
    rank_with_ties(rows)
    assert [(r.entry.number, r.rank, r.tied) for r in rows] == [
        (1, 2, True),
        (2, 1, False),
        (3, 2, True),
        (4, 4, False),
        (5, None, False),
    ]


@pytest.mark.django_db
def test_results_rank_per_group_with_ties_and_pass_against_the_mark(staff, jurors, contest):
    a, b, c = contest.entries.order_by("number")
    food = EntryFactory(contest=contest, number=4, group=ProductGroup.FOOD)
    for juror in jurors[:2]:
        score(juror, a, [30, 30, 8, 7])  # 75
        score(juror, b, [30, 30, 8, 7])  # 75: a tie with a
        score(juror, c, [30, 25, 8, 6])  # 69: below 70
        score(juror, food, [20, 20, 5, 5])  # 50, alone in its group
    score(jurors[2], c, [32, 30, 8, 7], submit=False)  # a draft does not count
    results = contest_results(contest=contest)
    by = results.by_entry
    assert (by[a.pk].rank, by[a.pk].tied, by[b.pk].rank, by[b.pk].tied) == (1, True, 1, True)
    assert (by[c.pk].rank, by[c.pk].score, by[c.pk].passed) == (3, D("69.00"), False)
    assert (by[food.pk].rank, by[food.pk].passed) == (1, False)
    assert [len(rows) for _, _, rows in results.groups] == [3, 1]
    assert {r.entry.pk for r in results.passed} == {a.pk, b.pk}


@pytest.mark.django_db
def test_a_contest_with_the_trimmed_rule_uses_it(jurors, contest):
    contest.score_rule = ScoreRule.TRIMMED_MEAN
    contest.save()
    entry = contest.entries.first()
    for juror, values in zip(
        jurors, ([40, 40, 10, 10], [30, 30, 5, 5], [30, 30, 6, 6], [30, 30, 7, 7], [10, 10, 0, 0]), strict=True
    ):
        score(juror, entry, values)
    assert contest_results(contest=contest).by_entry[entry.pk].score == D("72.00")


def _closed_with_scores(staff, jurors, contest):
    a, b, c = contest.entries.order_by("number")
    for juror in jurors[:2]:
        score(juror, a, [35, 35, 8, 8])
        score(juror, b, [30, 30, 8, 8])
        score(juror, c, [30, 30, 4, 4])
    return contest_transition(actor=staff, contest=contest, to_state=ContestState.CLOSED), (a, b, c)


@pytest.mark.django_db
def test_the_secretary_proposes_passing_entries_within_the_quota(login, staff, jurors, contest):
    contest, (a, b, c) = _closed_with_scores(staff, jurors, contest)
    client = login(staff)
    url = reverse("contest:proposals", args=[contest.pk])
    assert client.post(url, {"entries": [a.pk, b.pk]}).status_code == 302
    assert set(Entry.objects.filter(proposed=True).values_list("pk", flat=True)) == {a.pk, b.pk}
    # The same call again changes nothing.
    client.post(url, {"entries": [a.pk, b.pk]})
    assert a.history.count() == 2


@pytest.mark.django_db
def test_the_proposal_quota_is_enforced(login, staff, jurors, contest):
    contest.proposal_quota = 1
    contest.save()
    contest, (a, b, c) = _closed_with_scores(staff, jurors, contest)
    response = login(staff).post(
        reverse("contest:proposals", args=[contest.pk]), {"entries": [a.pk, b.pk]}, follow=True
    )
    assert "tối đa 1 sản phẩm" in response.text
    assert not Entry.objects.filter(proposed=True).exists()
    with pytest.raises(ValidationError, match="tối đa 1"):
        proposals_set(actor=staff, contest=contest, entry_ids=[a.pk, b.pk])


@pytest.mark.django_db
def test_a_failing_entry_cannot_be_proposed(staff, jurors, contest):
    contest, (a, b, c) = _closed_with_scores(staff, jurors, contest)
    with pytest.raises(ValidationError, match="đạt điểm"):
        proposals_set(actor=staff, contest=contest, entry_ids=[c.pk])
    assert not Entry.objects.filter(proposed=True).exists()


@pytest.mark.django_db
def test_proposals_are_for_the_secretary_only_and_only_once_closed(login, staff, leader, jurors, contest):
    a = contest.entries.first()
    with pytest.raises(PermissionDenied, match="sau khi kết thúc chấm"):
        proposals_set(actor=staff, contest=contest, entry_ids=[a.pk])
    contest, _ = _closed_with_scores(staff, jurors, contest)
    assert login(leader).post(reverse("contest:proposals", args=[contest.pk]), {"entries": [a.pk]}).status_code == 403
    assert (
        login(jurors[0]).post(reverse("contest:proposals", args=[contest.pk]), {"entries": [a.pk]}).status_code == 403
    )
    assert not Entry.objects.filter(proposed=True).exists()


@pytest.mark.django_db
def test_the_results_page_uses_the_same_queries_for_more_entries(login, staff, jurors, contest):
    contest, _ = _closed_with_scores(staff, jurors, contest)
    client = login(staff)
    url = reverse("contest:results", args=[contest.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(15):
        EntryFactory(contest=contest, number=50 + i, group=ProductGroup.OTHER)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


@pytest.mark.django_db
def test_the_summary_page_lists_every_juror_total(login, staff, jurors, contest):
    contest, (a, b, c) = _closed_with_scores(staff, jurors, contest)
    page = login(staff).get(reverse("contest:summary", args=[contest.pk]))
    assert page.status_code == 200 and "86,00" in page.text and "68,00" in page.text
    # Its PDF is a document job (tests/contest/test_documents.py).
    assert 'data-testid="request-contest_summary"' in page.text


@pytest.mark.django_db
def test_a_proposal_list_that_is_not_ids_is_not_found_and_changes_nothing(login, staff, jurors, contest):
    contest, (a, b, c) = _closed_with_scores(staff, jurors, contest)
    url = reverse("contest:proposals", args=[contest.pk])
    assert login(staff).post(url, {"entries": [a.pk, "abc"]}).status_code == 404
    assert not Entry.objects.filter(proposed=True).exists()
