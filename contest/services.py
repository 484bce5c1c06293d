"""Writes for the contest. Views, the Excel import and the demo loader all come through here."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role, has_role
from beneficiaries.eligibility import compute_eligibility
from contest import permissions
from contest.models import (
    Certificate,
    ConflictOfInterest,
    Contest,
    ContestLevel,
    ContestState,
    ContestTransition,
    DocumentKind,
    Entry,
    EntryDocument,
    EntryPhoto,
    Score,
    ScoreSheet,
    SheetCorrection,
    SheetState,
    certificate_valid_until,
)
from contest.selectors import contest_results, scoring_criteria
from contest.validators import MIN_PHOTOS, validate_document, validate_photo
from core.permissions import require
from core.text import nfc

# Contest ------------------------------------------------------------------------------------------------------


def _check_people(secretaries: Iterable, jurors: Iterable) -> None:
    errors = {}
    if any(not has_role(u, Role.STAFF, Role.ADMIN) for u in secretaries):
        errors["secretaries"] = _("Thư ký hội đồng phải là chuyên viên Sở hoặc quản trị.")
    if any(not has_role(u, Role.JUROR) for u in jurors):
        errors["jurors"] = _("Giám khảo phải có vai trò giám khảo.")
    if errors:
        raise ValidationError(errors)


def contest_create(*, actor: User, data: dict, secretaries: Iterable = (), jurors: Iterable = ()) -> Contest:
    """Creates a contest open for entries. With no secretary named, the creator is the secretary."""
    require(permissions.can_create_contest(actor))
    secretaries = list(secretaries) or [actor]
    jurors = list(jurors)
    _check_people(secretaries, jurors)
    contest = Contest(**data, created_by=actor, state=ContestState.OPEN)
    contest.name = nfc(contest.name)
    contest.full_clean()
    with transaction.atomic():
        contest.save()
        contest.secretaries.set(secretaries)
        contest.jurors.set(jurors)
    return contest


def contest_update(*, actor: User, contest: Contest, data: dict, secretaries: Iterable, jurors: Iterable) -> Contest:
    """Edits settings. The criteria set is fixed once a sheet exists; pass mark and rule until publication."""
    require(permissions.can_edit_contest(actor, contest))
    secretaries, jurors = list(secretaries), list(jurors)
    if not secretaries:
        raise ValidationError({"secretaries": _("Cần ít nhất một thư ký hội đồng.")})
    _check_people(secretaries, jurors)
    if (
        "criteria_set" in data
        and data["criteria_set"].pk != contest.criteria_set_id
        and ScoreSheet.objects.filter(entry__contest=contest).exists()
    ):
        raise ValidationError({"criteria_set": _("Đã có phiếu chấm: không đổi được bộ tiêu chí.")})
    for name, value in data.items():
        setattr(contest, name, value)
    contest.name = nfc(contest.name)
    contest.full_clean()
    with transaction.atomic():
        contest.save()
        contest.secretaries.set(secretaries)
        contest.jurors.set(jurors)
    for cache in ("_secretary_ids", "_juror_ids"):
        contest.__dict__.pop(cache, None)
    return contest


def dossier_problems(entry: Entry, *, photo_count: int | None = None, kinds: set[str] | None = None) -> list[str]:
    """What is missing from an entry's dossier (TT 26: registration form, description, at least 3 photos)."""
    problems = []
    photos = entry.photos.count() if photo_count is None else photo_count
    if photos < MIN_PHOTOS:
        problems.append(_("cần ít nhất %(n)d ảnh (có %(have)d)") % {"n": MIN_PHOTOS, "have": photos})
    kinds = set(entry.documents.values_list("kind", flat=True)) if kinds is None else kinds
    if DocumentKind.REGISTRATION_FORM not in kinds:
        problems.append(_("thiếu phiếu đăng ký"))
    if not entry.description.strip():
        problems.append(_("thiếu mô tả sản phẩm"))
    return problems


def contest_transition(
    *,
    actor: User,
    contest: Contest,
    to_state: str,
    note: str = "",
    result_decision_number: str = "",
    result_decision_date: date | None = None,
) -> Contest:
    """Moves a contest one step: open → scoring → closed → published, recording who and when.

    Scoring starts only with jurors and complete dossiers; publishing needs the recognising decision.
    """
    with transaction.atomic():
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        require(permissions.can_transition(actor, contest, to_state))
        if to_state == ContestState.SCORING:
            entries = list(contest.entries.prefetch_related("photos", "documents"))
            if not entries:
                raise ValidationError(_("Chưa có hồ sơ dự thi nào."))
            if not contest.jurors.exists():
                raise ValidationError(_("Chưa phân công giám khảo."))
            incomplete = []
            for entry in entries:
                problems = dossier_problems(
                    entry, photo_count=len(entry.photos.all()), kinds={d.kind for d in entry.documents.all()}
                )
                if problems:
                    incomplete.append(f"{entry.number:03d} ({', '.join(problems)})")
            if incomplete:
                raise ValidationError(_("Hồ sơ chưa đủ: %(list)s.") % {"list": "; ".join(incomplete)})
        if to_state == ContestState.PUBLISHED:
            number = nfc(result_decision_number)
            errors = {}
            if not number:
                errors["result_decision_number"] = _("Cần số quyết định công nhận kết quả.")
            if result_decision_date is None:
                errors["result_decision_date"] = _("Cần ngày quyết định công nhận kết quả.")
            if errors:
                raise ValidationError(errors)
            contest.result_decision_number = number
            contest.result_decision_date = result_decision_date
        previous = contest.state
        contest.state = to_state
        contest._change_reason = note
        contest.save()
        ContestTransition.objects.create(
            contest=contest, from_state=previous, to_state=to_state, actor=actor, note=nfc(note)
        )
    return contest


# Entries ------------------------------------------------------------------------------------------------------


def _check_beneficiary(beneficiary) -> None:
    eligibility = compute_eligibility(beneficiary)
    if not eligibility.eligible:
        raise ValidationError(
            {"beneficiary": _("Cơ sở không thuộc đối tượng: %(reason)s") % {"reason": eligibility.reason}}
        )


def _next_number(contest: Contest) -> int:
    return (contest.entries.aggregate(n=Max("number"))["n"] or 0) + 1


def _prepare_entry(entry: Entry) -> None:
    entry.product_name = nfc(entry.product_name)
    entry.description = (entry.description or "").strip()
    _check_beneficiary(entry.beneficiary)
    entry.full_clean()


def entry_create(
    *, actor: User, contest: Contest, data: dict, photos: Iterable = (), documents: Iterable = ()
) -> Entry:
    """Registers an entry with its photos and documents (each checked by content). Numbers follow on."""
    photos, documents = list(photos), list(documents)
    for upload in photos:
        validate_photo(upload)
    for _kind, upload in documents:
        validate_document(upload)
    with transaction.atomic():
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        require(permissions.can_edit_entries(actor, contest))
        entry = Entry(contest=contest, number=_next_number(contest), created_by=actor, **data)
        _prepare_entry(entry)
        entry.save()
        _attach(entry, photos, documents)
    return entry


def entry_update(*, actor: User, entry: Entry, data: dict) -> Entry:
    require(permissions.can_edit_entries(actor, entry.contest))
    for name, value in data.items():
        setattr(entry, name, value)
    _prepare_entry(entry)
    with transaction.atomic():
        entry.save()
    return entry


def _attach(entry: Entry, photos: list, documents: list) -> None:
    for upload in photos:
        EntryPhoto.objects.create(entry=entry, image=upload)
    for kind, upload in documents:
        EntryDocument.objects.create(
            entry=entry, kind=kind, file=upload, original_name=upload.name[:255], size=upload.size
        )


def entry_add_files(*, actor: User, entry: Entry, photos: Iterable = (), documents: Iterable = ()) -> Entry:
    require(permissions.can_edit_entries(actor, entry.contest))
    photos, documents = list(photos), list(documents)
    for upload in photos:
        validate_photo(upload)
    for _kind, upload in documents:
        validate_document(upload)
    with transaction.atomic():
        _attach(entry, photos, documents)
    return entry


def entry_remove_photo(*, actor: User, photo: EntryPhoto) -> None:
    require(permissions.can_edit_entries(actor, photo.entry.contest))
    with transaction.atomic():
        photo.delete()


@dataclass
class ImportRow:
    line: int
    product_name: str
    is_product_set: bool
    group: str
    beneficiary_id: int
    description: str


def entries_import(*, actor: User, contest: Contest, rows: list[ImportRow]) -> list[Entry]:
    """Creates every imported entry in one transaction, or none: a row that fails now (another user added the same
    product since the preview, the establishment lost eligibility) rolls the whole import back."""
    from beneficiaries.models import Beneficiary

    created = []
    with transaction.atomic():
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        require(permissions.can_edit_entries(actor, contest))
        number = _next_number(contest)
        for row in rows:
            entry = Entry(
                contest=contest,
                number=number,
                product_name=row.product_name,
                is_product_set=row.is_product_set,
                group=row.group,
                beneficiary=Beneficiary.objects.get(pk=row.beneficiary_id),
                description=row.description,
                created_by=actor,
            )
            try:
                _prepare_entry(entry)
            except ValidationError as exc:
                raise ValidationError(
                    _("Dòng %(line)d: %(errors)s") % {"line": row.line, "errors": "; ".join(exc.messages)}
                )
            entry.save()
            created.append(entry)
            number += 1
    return created


# Scoring ------------------------------------------------------------------------------------------------------


def format_points(value: Decimal) -> str:
    """Decimal("40.00") → "40", Decimal("35.50") → "35,5" (what a person typed, decimal comma)."""
    return f"{value.normalize():f}".replace(".", ",")


def parse_points(value) -> Decimal | None:
    """ "35,5" or "35.5" → Decimal; blank → None. Raises ValueError on anything else."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    text = str(value).strip().replace(",", ".")
    if not text:
        return None
    try:
        points = Decimal(text)
    except InvalidOperation:
        raise ValueError(text)
    if not points.is_finite():
        raise ValueError(text)
    return points


def _validated_scores(criteria, points: dict, *, complete: bool) -> dict:
    """Criterion pk → Decimal, with errors keyed "c<pk>" so the form shows them next to the input."""
    errors, clean = {}, {}
    for criterion in criteria:
        raw = points.get(criterion.pk)
        try:
            value = parse_points(raw)
        except ValueError:
            errors[f"c{criterion.pk}"] = _("Điểm phải là số, ví dụ 35 hoặc 35,5.")
            continue
        if value is None:
            if complete:
                errors[f"c{criterion.pk}"] = _("Cần chấm tiêu chí này trước khi nộp phiếu.")
            continue
        if value < 0:
            errors[f"c{criterion.pk}"] = _("Điểm không được âm.")
        elif value > criterion.max_points:
            errors[f"c{criterion.pk}"] = _("Điểm %(points)s vượt quá điểm tối đa %(max)s của tiêu chí %(code)s.") % {
                "points": format_points(value),
                "max": format_points(criterion.max_points),
                "code": criterion.code,
            }
        elif value != value.quantize(Decimal("0.01")):
            errors[f"c{criterion.pk}"] = _("Điểm lấy tối đa hai chữ số thập phân.")
        else:
            clean[criterion.pk] = value
    if errors:
        raise ValidationError(errors)
    return clean


def _write_scores(sheet: ScoreSheet, criteria, clean: dict, notes: dict, reason: str = "") -> None:
    existing = {s.criterion_id: s for s in sheet.scores.all()}
    for criterion in criteria:
        score = existing.get(criterion.pk)
        if criterion.pk not in clean:
            if score is not None:
                score.delete()
            continue
        note = nfc(notes.get(criterion.pk, ""))[:500]
        if score is None:
            score = Score(sheet=sheet, criterion=criterion)
        elif score.points == clean[criterion.pk] and score.comment == note:
            continue
        score.points, score.comment = clean[criterion.pk], note
        score._change_reason = reason
        score.full_clean()
        score.save()
    sheet.total = sum(clean.values(), Decimal("0"))


def sheet_save(
    *, actor: User, entry: Entry, points: dict, notes: dict | None = None, comment: str = "", submit: bool = False
) -> ScoreSheet:
    """Saves the juror's own sheet for an entry, as a draft or submitted (then only the secretary can change it).

    Every score lies within its criterion's maximum; submitting needs every criterion scored.
    """
    notes = notes or {}
    criteria = scoring_criteria(entry.contest.criteria_set)
    with transaction.atomic():
        sheet = ScoreSheet.objects.select_for_update().filter(entry=entry, juror=actor).first()
        require(permissions.can_score(actor, entry, sheet))
        clean = _validated_scores(criteria, points, complete=submit)
        if sheet is None:
            sheet = ScoreSheet.objects.create(entry=entry, juror=actor)
        _write_scores(sheet, criteria, clean, notes)
        sheet.comment = (comment or "").strip()
        if submit:
            sheet.state = SheetState.SUBMITTED
            sheet.submitted_at = timezone.now()
        sheet.full_clean()
        sheet.save()
    return sheet


def sheet_correct(
    *, actor: User, sheet: ScoreSheet, points: dict, notes: dict | None = None, reason: str
) -> ScoreSheet:
    """The secretary corrects a submitted sheet; the reason is kept with the before and after totals."""
    notes = notes or {}
    reason = nfc(reason)
    criteria = scoring_criteria(sheet.entry.contest.criteria_set)
    with transaction.atomic():
        sheet = ScoreSheet.objects.select_for_update().select_related("entry__contest").get(pk=sheet.pk)
        require(permissions.can_correct_sheet(actor, sheet))
        if not reason:
            raise ValidationError({"reason": _("Cần ghi lý do điều chỉnh phiếu.")})
        clean = _validated_scores(criteria, points, complete=True)
        before = sheet.total
        _write_scores(sheet, criteria, clean, notes, reason)
        sheet._change_reason = reason
        sheet.save()
        SheetCorrection.objects.create(
            sheet=sheet, actor=actor, reason=reason, total_before=before, total_after=sheet.total
        )
    return sheet


def conflict_declare(*, actor: User, entry: Entry, reason: str) -> ConflictOfInterest:
    """The juror steps aside for this entry: they cannot score it and any sheet they made no longer counts."""
    reason = nfc(reason)
    require(permissions.can_declare_conflict(actor, entry))
    if not reason:
        raise ValidationError({"reason": _("Cần ghi rõ lý do xung đột lợi ích.")})
    with transaction.atomic():
        conflict = ConflictOfInterest(entry=entry, juror=actor, reason=reason)
        conflict.full_clean()
        conflict.save()
    return conflict


# Results ------------------------------------------------------------------------------------------------------


def proposals_set(*, actor: User, contest: Contest, entry_ids: Iterable[int]) -> list[Entry]:
    """Marks exactly these entries as proposed to the next level. Only passing entries, at most the quota."""
    wanted = {int(pk) for pk in entry_ids}
    with transaction.atomic():
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        require(permissions.can_propose(actor, contest))
        results = contest_results(contest=contest)
        unknown = wanted - set(results.by_entry)
        if unknown:
            raise ValidationError(_("Có hồ sơ không thuộc cuộc bình chọn này."))
        failing = [results.by_entry[pk].entry for pk in wanted if not results.by_entry[pk].passed]
        if failing:
            raise ValidationError(
                _("Chỉ đề xuất sản phẩm đạt điểm: %(list)s.")
                % {"list": ", ".join(f"{e.number:03d}" for e in sorted(failing, key=lambda e: e.number))}
            )
        if len(wanted) > contest.proposal_quota:
            raise ValidationError(
                _("Chỉ được đề xuất tối đa %(quota)d sản phẩm (đã chọn %(n)d).")
                % {"quota": contest.proposal_quota, "n": len(wanted)}
            )
        changed = []
        for pk, result in results.by_entry.items():
            entry = result.entry
            if entry.proposed != (pk in wanted):
                entry.proposed = pk in wanted
                entry.save(update_fields=["proposed", "updated_at"])
                changed.append(entry)
    return changed


def _certificate_number(contest: Contest, sequence: int, year: int) -> str:
    suffix = "SPCNNTTB" if contest.level == ContestLevel.CITY else "SPCNNTTB-H"
    return f"{sequence:02d}/{year}/{suffix}"


def certificates_issue(*, actor: User, contest: Contest, issued_on: date | None = None) -> list[Certificate]:
    """Issues one certificate per passing entry that has none yet (a repeated call issues nothing new).

    What the certificate says is copied from the entry and the recognising decision at this moment.
    """
    issued_on = issued_on or timezone.localdate()
    created = []
    with transaction.atomic():
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        require(permissions.can_issue_certificates(actor, contest))
        results = contest_results(contest=contest)
        have = set(contest.certificates.values_list("entry_id", flat=True))
        sequence = contest.certificates.aggregate(n=Max("sequence"))["n"] or 0
        ordered = sorted(results.passed, key=lambda r: (-r.score, r.entry.number))
        for result in ordered:
            entry = result.entry
            if entry.pk in have:
                continue
            sequence += 1
            beneficiary = entry.beneficiary
            certificate = Certificate(
                entry=entry,
                contest=contest,
                sequence=sequence,
                number=_certificate_number(contest, sequence, issued_on.year),
                issued_on=issued_on,
                valid_until=certificate_valid_until(issued_on),
                score=result.score,
                product_name=entry.product_name,
                group=entry.group,
                beneficiary_name=beneficiary.name,
                beneficiary_address=beneficiary.address,
                commune=beneficiary.unit.name,
                decision_number=contest.result_decision_number or contest.decision_number,
                decision_date=contest.result_decision_date or contest.decision_date,
                issued_by=actor,
            )
            # Uniqueness is the database's job here (constraints); checking it row by row cost 3 queries each.
            certificate.full_clean(validate_unique=False, validate_constraints=False)
            certificate.save()
            created.append(certificate)
    return created
