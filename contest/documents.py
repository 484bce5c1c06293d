"""The plain data that the certificate and the scoring summary print (JSON values only: it is hashed into the
document job's fingerprint, see contest.document_kinds). The summary page shows the same data as HTML."""

from decimal import Decimal

from django.utils.translation import gettext as _

from contest.models import Certificate, Contest, ContestLevel, ScoreRule
from contest.selectors import contest_results
from core.text import fold


def points(value: Decimal | None) -> str:
    """85.4 → "85,40" (two places, decimal comma)."""
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def _level_phrase(contest: Contest) -> str:
    return _("cấp thành phố") if contest.level == ContestLevel.CITY else _("cấp huyện")


def contest_issuer(contest: Contest) -> dict:
    """The contest's organiser as the issuing body of its documents (same keys as documents.rendering.issuer_data):
    a contest names its own organiser and signer, which need not be the department's usual ones."""
    return {
        "parent_name": contest.parent_body.upper(),
        "name": contest.organiser.upper(),
        "abbreviation": "",
        "place": contest.place,
        "signer_authority": "",
        "signer_title": contest.signer_title.upper(),
        "signer_name": contest.signer_name,
        "archive_units": "",
        "recipients": [],
    }


def certificate_data(certificate: Certificate) -> dict:
    contest = certificate.contest
    decision = certificate.decision_number
    if certificate.decision_date:
        decision = _("%(number)s ngày %(date)s") % {
            "number": decision,
            "date": certificate.decision_date.strftime("%d/%m/%Y"),
        }
    address, commune = certificate.beneficiary_address, certificate.commune
    return {
        "id": certificate.pk,
        "issuer": contest_issuer(contest),
        "number": certificate.number,
        "subtitle": _("Sản phẩm công nghiệp nông thôn tiêu biểu %(level)s năm %(year)s")
        % {"level": _level_phrase(contest), "year": contest.year},
        "product_name": certificate.product_name,
        "group": str(certificate.get_group_display()),
        "beneficiary_name": certificate.beneficiary_name,
        # Addresses often already name their commune; don't repeat it.
        "address": address if fold(commune) in fold(address) else f"{address} ({commune})",
        "score": points(certificate.score),
        "decision": decision,
        "issued_on": certificate.issued_on.isoformat(),
        "valid_until": certificate.valid_until.strftime("%d/%m/%Y"),
    }


def summary_data(contest: Contest) -> dict:
    """The council's table: each juror's total per entry, the score, rank in group, result and proposal."""
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
        groups.append({"label": str(label), "lines": lines})
    return {
        "contest_id": contest.pk,
        "issuer": contest_issuer(contest),
        "contest_name": contest.name,
        "year": contest.year,
        "jurors": [j.get_full_name() or j.username for j in jurors],
        "groups": groups,
        "pass_mark": points(contest.pass_mark),
        "rule": str(ScoreRule(contest.score_rule).label),
        "passed_count": len(results.passed),
        "proposed_count": results.proposed_count,
        "quota": contest.proposal_quota,
        "next_level_name": contest.next_level_name,
    }
