import pytest

from accounts.roles import Role
from contest.models import ContestState
from contest.selectors import scoring_criteria
from contest.services import sheet_save
from tests.factories import ContestFactory, EntryFactory, UserFactory


@pytest.fixture
def jurors(db, juror):
    """The persona juror plus four more: a five-member jury."""
    return [juror] + [UserFactory(username=f"gk{i}", role=Role.JUROR) for i in range(2, 6)]


@pytest.fixture
def contest(db, staff, jurors):
    """A city contest in scoring, the staff persona as secretary, three handicraft entries."""
    c = ContestFactory(year=2026, state=ContestState.SCORING, secretaries=[staff], jurors=jurors, proposal_quota=2)
    for i in range(3):
        EntryFactory(contest=c, number=i + 1, product_name=f"Sản phẩm {i + 1}")
    return c


def score(user, entry, values, *, submit=True, comment=""):
    """values: one number per criterion of the TT 26 grid (40/40/10/10)."""
    criteria = scoring_criteria(entry.contest.criteria_set)
    return sheet_save(
        actor=user,
        entry=entry,
        points=dict(zip([c.pk for c in criteria], values, strict=True)),
        submit=submit,
        comment=comment,
    )


@pytest.fixture
def scorer():
    return score


def published(staff, jurors, contest, *, issued_on=None):
    """Three entries scored by three jurors (86 / 76 / 68: two pass), closed, published, certificates issued."""
    from datetime import date

    from contest.models import ContestState
    from contest.services import certificates_issue, contest_transition

    a, b, c = contest.entries.order_by("number")
    for juror in jurors[:3]:
        score(juror, a, [35, 35, 8, 8])
        score(juror, b, [30, 30, 8, 8])
        score(juror, c, [30, 30, 4, 4])
    contest_transition(actor=staff, contest=contest, to_state=ContestState.CLOSED)
    contest = contest_transition(
        actor=staff,
        contest=contest,
        to_state=ContestState.PUBLISHED,
        result_decision_number="1234/QĐ-UBND",
        result_decision_date=date(2026, 11, 30),
    )
    certificates_issue(actor=staff, contest=contest, issued_on=issued_on or date(2026, 12, 5))
    return contest, (a, b, c)
