"""Builds the plain data that the certificate and the summary PDF print (see contest.pdf for the rendering)."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from contest.models import Certificate, Contest, ContestLevel, ScoreRule
from contest.selectors import contest_results


def official_date(day: date, place: str) -> str:
    """Nghị định 30/2020: "Hải Phòng, ngày 08 tháng 01 năm 2021"; a leading zero for days < 10 and months 1–2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, ngày %(day)02d tháng %(month)s năm %(year)d") % {
        "place": place,
        "day": day.day,
        "month": month,
        "year": day.year,
    }


def points(value: Decimal | None) -> str:
    """85.4 → "85,40" (two places, decimal comma)."""
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def _level_phrase(contest: Contest) -> str:
    return _("cấp thành phố") if contest.level == ContestLevel.CITY else _("cấp huyện")


def certificate_data(certificate: Certificate) -> dict:
    contest = certificate.contest
    decision = certificate.decision_number
    if certificate.decision_date:
        decision = _("%(number)s ngày %(date)s") % {
            "number": decision,
            "date": certificate.decision_date.strftime("%d/%m/%Y"),
        }
    return {
        "parent_body": contest.parent_body.upper(),
        "organiser": contest.organiser.upper(),
        "number": certificate.number,
        "title": _("GIẤY CHỨNG NHẬN"),
        "subtitle": _("SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU %(level)s NĂM %(year)s")
        % {"level": _level_phrase(contest).upper(), "year": contest.year},
        "product_name": certificate.product_name,
        "group": certificate.get_group_display(),
        "beneficiary_name": certificate.beneficiary_name,
        "address": certificate.beneficiary_address,
        "commune": certificate.commune,
        "score": points(certificate.score),
        "decision": decision,
        "valid_until": certificate.valid_until.strftime("%d/%m/%Y"),
        "place_date": official_date(certificate.issued_on, contest.place),
        "signer_title": contest.signer_title.upper(),
        "signer_name": contest.signer_name,
    }


def summary_data(contest: Contest, *, today: date | None = None) -> dict:
    """The council's table: each juror's total per entry, the score, rank in group, result and proposal."""
    from django.utils import timezone

    results = contest_results(contest=contest)
    jurors = results.jurors
    groups = []
    for _value, label, rows in results.groups:
        lines = []
        for r in rows:
            cells = []
            for juror in jurors:
                if juror.pk in r.conflicted_jurors:
                    cells.append(_("XĐLI"))
                else:
                    cells.append(points(r.totals_by_juror.get(juror.pk)) if juror.pk in r.totals_by_juror else "—")
            lines.append(
                {
                    "number": f"{r.entry.number:03d}",
                    "product": r.entry.product_name,
                    "establishment": r.entry.beneficiary.name,
                    "cells": cells,
                    "score": points(r.score),
                    "rank": "" if r.rank is None else (f"{r.rank}=" if r.tied else str(r.rank)),
                    "result": _("Đạt") if r.passed else _("Không đạt"),
                    "proposed": _("Đề xuất") if r.entry.proposed else "",
                }
            )
        groups.append({"label": label, "lines": lines})
    return {
        "parent_body": contest.parent_body.upper(),
        "organiser": contest.organiser.upper(),
        "title": _("BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM"),
        "contest_name": contest.name,
        "jurors": [j.get_full_name() or j.username for j in jurors],
        "groups": groups,
        "pass_mark": points(contest.pass_mark),
        "rule": ScoreRule(contest.score_rule).label,
        "passed_count": len(results.passed),
        "proposed_count": results.proposed_count,
        "quota": contest.proposal_quota,
        "next_level_name": contest.next_level_name,
        "place_date": official_date(today or timezone.localdate(), contest.place),
        "signer_title": contest.signer_title.upper(),
        "signer_name": contest.signer_name,
    }
