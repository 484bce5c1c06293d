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
