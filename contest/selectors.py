"""Reads for the contest pages. Results are computed here, from submitted sheets, never stored twice."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.roles import Role, has_role
from accounts.scope import in_scope
from contest.models import (
    Certificate,
    ConflictOfInterest,
    Contest,
    ContestState,
    Criterion,
    Entry,
    EntryDocument,
    EntryPhoto,
    ProductGroup,
    ScoreRule,
    ScoreSheet,
    SheetState,
)

TWO_PLACES = Decimal("0.01")


def contest_list(*, user) -> QuerySet[Contest]:
    """The office sees every contest; a juror only those they sit on."""
    qs = Contest.objects.select_related("criteria_set").annotate(entry_count=Count("entries", distinct=True))
    if has_role(user, Role.ADMIN, Role.STAFF, Role.LEADER):
        return qs
    if has_role(user, Role.JUROR):
        return qs.filter(jurors=user)
    return qs.none()


def contest_get(*, user, pk: int) -> Contest:
    return get_object_or_404(contest_list(user=user), pk=pk)


def entry_list(*, contest: Contest) -> QuerySet[Entry]:
    return (
        contest.entries.select_related("beneficiary__unit")
        .annotate(photo_count=Count("photos", distinct=True))
        .order_by("number")
    )


def entry_get(*, contest: Contest, pk: int) -> Entry:
    qs = contest.entries.select_related("beneficiary__unit", "contest").prefetch_related(
        "photos", "documents", "conflicts"
    )
    return get_object_or_404(qs, pk=pk)


def contest_transitions(contest: Contest):
    """The contest's steps, oldest first as stored, with who made them."""
    return contest.transitions.select_related("actor")


def entry_order(contest: Contest) -> list[int]:
    """Ids of the contest's entries by number: the scoring page's previous / next."""
    return list(contest.entries.order_by("number").values_list("pk", flat=True))


def next_entry(contest: Contest, entry: Entry) -> Entry | None:
    """The entry after `entry` by number, if any (where the juror goes after submitting a sheet)."""
    return contest.entries.filter(number__gt=entry.number).order_by("number").first()


def juror_sheet(*, user, entry: Entry) -> ScoreSheet | None:
    """The user's own score sheet for an entry, if they started one."""
    return ScoreSheet.objects.filter(entry=entry, juror=user).first()


def sheet_get(*, contest: Contest, pk: int) -> ScoreSheet:
    """A sheet of this contest with its scores (for the secretary's correction), or 404."""
    return get_object_or_404(
        ScoreSheet.objects.select_related("entry__contest", "juror").prefetch_related("scores"),
        pk=pk,
        entry__contest=contest,
    )


def scoring_criteria(criteria_set) -> list[Criterion]:
    """The criteria jurors fill in: the leaves (a group with sub-criteria is scored through them)."""
    criteria = list(criteria_set.criteria.order_by("position", "code"))
    parents = {c.parent_id for c in criteria if c.parent_id}
    return [c for c in criteria if c.pk not in parents]


def criteria_tree(criteria_set) -> list[tuple[Criterion, list[Criterion]]]:
    criteria = list(criteria_set.criteria.order_by("position", "code"))
    children = defaultdict(list)
    for c in criteria:
        if c.parent_id:
            children[c.parent_id].append(c)
    return [(c, children[c.pk]) for c in criteria if c.parent_id is None]


def max_total(criteria_set) -> Decimal:
    return sum((c.max_points for c in scoring_criteria(criteria_set)), Decimal("0"))


@dataclass
class JurorEntryRow:
    entry: Entry
    sheet: ScoreSheet | None
    conflict: bool

    @property
    def status(self) -> str:
        if self.conflict:
            return "conflict"
        if self.sheet is None:
            return "todo"
        return self.sheet.state


def juror_entries(*, user, contest: Contest) -> list[JurorEntryRow]:
    """The entries a juror scores, each with the juror's own sheet (never another juror's)."""
    entries = entry_list(contest=contest).prefetch_related(
        Prefetch("sheets", queryset=ScoreSheet.objects.filter(juror=user), to_attr="my_sheets"),
        Prefetch("conflicts", queryset=ConflictOfInterest.objects.filter(juror=user), to_attr="my_conflicts"),
    )
    return [
        JurorEntryRow(entry=e, sheet=e.my_sheets[0] if e.my_sheets else None, conflict=bool(e.my_conflicts))
        for e in entries
    ]


def visible_sheets(*, user, entry: Entry) -> QuerySet[ScoreSheet]:
    """Sheets of one entry the user may read: their own until scoring is closed, all afterwards."""
    qs = entry.sheets.select_related("juror").prefetch_related("scores__criterion", "corrections__actor")
    contest = entry.contest
    if has_role(user, Role.ADMIN, Role.STAFF, Role.LEADER):
        return qs
    if contest.is_results_visible_to_all_jurors and contest.jurors.filter(pk=user.pk).exists():
        return qs
    return qs.filter(juror=user)


@dataclass
class JurorProgress:
    contest: Contest
    entries: int
    submitted: int
    drafts: int
    conflicts: int

    @property
    def remaining(self) -> int:
        return max(self.entries - self.submitted - self.conflicts, 0)

    @property
    def percent(self) -> int:
        todo = self.entries - self.conflicts
        return 100 if todo <= 0 else round(100 * self.submitted / todo)


def juror_open_contests(*, user) -> list[JurorProgress]:
    """For the juror's home page: contests in scoring that the juror sits on, with their own progress."""
    if not has_role(user, Role.JUROR):
        return []
    contests = (
        Contest.objects.filter(jurors=user, state=ContestState.SCORING)
        .annotate(
            n_entries=Count("entries", distinct=True),
            n_submitted=Count(
                "entries__sheets",
                filter=Q(entries__sheets__juror=user, entries__sheets__state=SheetState.SUBMITTED),
                distinct=True,
            ),
            n_drafts=Count(
                "entries__sheets",
                filter=Q(entries__sheets__juror=user, entries__sheets__state=SheetState.DRAFT),
                distinct=True,
            ),
            n_conflicts=Count("entries__conflicts", filter=Q(entries__conflicts__juror=user), distinct=True),
        )
        .order_by("-year")
    )
    return [
        JurorProgress(
            contest=c, entries=c.n_entries, submitted=c.n_submitted, drafts=c.n_drafts, conflicts=c.n_conflicts
        )
        for c in contests
    ]


# Results ------------------------------------------------------------------------------------------------------


@dataclass
class EntryResult:
    entry: Entry
    totals_by_juror: dict[int, Decimal] = field(default_factory=dict)
    conflicted_jurors: set[int] = field(default_factory=set)
    counted: list[Decimal] = field(default_factory=list)
    score: Decimal | None = None
    rank: int | None = None
    tied: bool = False
    passed: bool = False


def entry_score(totals: list[Decimal], rule: str) -> Decimal | None:
    """The entry's score from its jurors' totals, rounded to two places (what the minutes print).

    Mean by default; with the trimmed rule and at least five sheets, one highest and one lowest are dropped.
    """
    if not totals:
        return None
    counted = sorted(totals)
    if rule == ScoreRule.TRIMMED_MEAN and len(counted) >= 5:
        counted = counted[1:-1]
    return (sum(counted, Decimal("0")) / len(counted)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def rank_with_ties(results: list[EntryResult]) -> None:
    """Competition ranking (1, 2, 2, 4): equal scores share a rank and are marked as ties."""
    scored = sorted((r for r in results if r.score is not None), key=lambda r: (-r.score, r.entry.number))
    counts = defaultdict(int)
    for r in scored:
        counts[r.score] += 1
    previous, rank = None, 0
    for position, r in enumerate(scored, start=1):
        if r.score != previous:
            rank, previous = position, r.score
        r.rank = rank
        r.tied = counts[r.score] > 1


@dataclass
class ContestResults:
    contest: Contest
    jurors: list
    groups: list[tuple[str, str, list[EntryResult]]]
    by_entry: dict[int, EntryResult]

    @property
    def passed(self) -> list[EntryResult]:
        return [r for _, _, rows in self.groups for r in rows if r.passed]

    @property
    def proposed_count(self) -> int:
        return sum(1 for r in self.by_entry.values() if r.entry.proposed)


def contest_results(*, contest: Contest) -> ContestResults:
    """Scores, ranks per product group and pass/fail. Only submitted sheets count, and never the sheet of a
    juror who declared a conflict of interest for that entry. Four queries whatever the size."""
    entries = list(contest.entries.select_related("beneficiary__unit").order_by("number"))
    results = {e.pk: EntryResult(entry=e) for e in entries}
    for entry_id, juror_id in ConflictOfInterest.objects.filter(entry__contest=contest).values_list(
        "entry_id", "juror_id"
    ):
        results[entry_id].conflicted_jurors.add(juror_id)
    sheets = ScoreSheet.objects.filter(entry__contest=contest, state=SheetState.SUBMITTED).values_list(
        "entry_id", "juror_id", "total"
    )
    for entry_id, juror_id, total in sheets:
        result = results[entry_id]
        if juror_id in result.conflicted_jurors:
            continue
        result.totals_by_juror[juror_id] = total
        result.counted.append(total)
    for result in results.values():
        result.score = entry_score(result.counted, contest.score_rule)
        result.passed = result.score is not None and result.score >= contest.pass_mark
    groups = []
    for value, label in ProductGroup.choices:
        rows = [r for r in results.values() if r.entry.group == value]
        if not rows:
            continue
        rank_with_ties(rows)
        rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.entry.number))
        groups.append((value, label, rows))
    jurors = list(contest.jurors.order_by("last_name", "first_name", "pk"))
    return ContestResults(contest=contest, jurors=jurors, groups=groups, by_entry=results)


# Certificates -------------------------------------------------------------------------------------------------


def certificate_list(*, contest: Contest) -> QuerySet[Certificate]:
    return contest.certificates.select_related("entry").order_by("sequence")


def certificate_get(*, user, pk: int) -> Certificate:
    """One certificate for its PDF: the office sees all; an area officer only those of establishments in their
    areas (404 otherwise, as for the establishment itself); other roles none."""
    qs = Certificate.objects.select_related("contest", "entry__beneficiary__unit")
    if not has_role(user, Role.ADMIN, Role.STAFF, Role.LEADER, Role.AREA_OFFICER):
        qs = qs.none()
    return get_object_or_404(in_scope(qs, user, "entry__beneficiary__unit"), pk=pk)


def public_certificates(*, contest_pk: int) -> tuple[Contest, QuerySet[Certificate]]:
    """The public page: only contests whose results are published, and no personal data."""
    contest = get_object_or_404(Contest, pk=contest_pk, state=ContestState.PUBLISHED)
    certificates = contest.certificates.only(
        "number",
        "product_name",
        "group",
        "beneficiary_name",
        "commune",
        "score",
        "issued_on",
        "valid_until",
        "sequence",
        "contest_id",
    ).order_by("sequence")
    return contest, certificates


def public_contests() -> QuerySet[Contest]:
    return Contest.objects.filter(state=ContestState.PUBLISHED).order_by("-year")


def beneficiary_certificates(*, beneficiary) -> list[Certificate]:
    """Certified products of one establishment, newest first."""
    return list(
        Certificate.objects.filter(entry__beneficiary=beneficiary).select_related("contest").order_by("-issued_on")
    )


def entry_photo_get(*, entry: Entry, pk: int) -> EntryPhoto:
    """One photo of a visible entry (the entry came through contest_get and entry_get), else 404."""
    return get_object_or_404(entry.photos, pk=pk)


def entry_document_get(*, entry: Entry, pk: int) -> EntryDocument:
    return get_object_or_404(entry.documents, pk=pk)
