"""Follow-up actions after an inspection: the owner is told three days before the due date and once it is overdue.

Run daily by beat (notifications.tasks.notify_followups); each notice's key names the action and the kind, so a
second run the same day (or the next days) tells nobody twice.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from notifications.models import Event
from notifications.services import notify

DUE_SOON_DAYS = 3


def followups_notify(*, today: dt.date | None = None) -> int:
    """Returns how many notices were created now."""
    from field.models import FollowUpAction

    today = today or timezone.localdate()
    actions = (
        FollowUpAction.objects.filter(done=False, due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        .select_related("inspection__project__unit", "owner")
        .order_by("due_date", "pk")
    )
    created = 0
    with override("vi"):
        for action in actions:
            project = action.inspection.project
            overdue = action.due_date < today
            title = (
                _("Việc quá hạn (hạn %(due)s): %(what)s") if overdue else _("Việc sắp đến hạn %(due)s: %(what)s")
            ) % {"due": action.due_date.strftime("%d/%m/%Y"), "what": action.description[:200]}
            with transaction.atomic():
                created += len(
                    notify(
                        recipients=[action.owner],
                        event=Event.FOLLOWUP_OVERDUE if overdue else Event.FOLLOWUP_DUE,
                        key=f"{'followup_overdue' if overdue else 'followup_due'}:{action.pk}",
                        title=title,
                        body=_("Sau kiểm tra đề án %(project)s.") % {"project": project},
                        url=reverse("field:inspection_detail", args=[action.inspection_id]),
                        unit=project.unit,
                    )
                )
    return created
