"""Business events that lower apps announce and higher apps (notifications) listen to.

A service sends the event inside its transaction, after its own writes, with the saved objects as keyword
arguments: `events.project_registered.send(sender=Project, project=project, actor=actor)`. Receivers run in the same
transaction (so a notice exists exactly when the change does) and must only write rows and enqueue through
`core.outbox`; anything slow or fallible (e-mail) goes to Celery that way. Declaring the signals here, in the
ground floor, lets projects, budgets, field, contest, documents and beneficiaries announce events without
importing the app that listens: `notifications` connects its receivers in its AppConfig.ready().
"""

from django.dispatch import Signal

# projects: project, actor
project_registered = Signal()
# projects: project, actor (the appraisal result is on the project)
project_appraised = Signal()
# projects: project, actor, decision (may be None)
project_approved = Signal()
# projects: adjustment, actor
adjustment_requested = Signal()
adjustment_decided = Signal()
# budgets: exception, actor
budget_exception_requested = Signal()
budget_exception_decided = Signal()
# budgets: disbursement, actor
payment_recorded = Signal()
# field: acceptance, actor (sent when the biên bản is recorded; tells the council members who are users)
acceptance_scheduled = Signal()
# field: schedule, actor (a nghiệm thu planned: date, place, council members)
acceptance_planned = Signal()
# field: report, actor
field_problem_reported = Signal()
# field: action, due (date), overdue (bool)
followup_due = Signal()
# documents: job
document_finished = Signal()
# contest: contest, actor
contest_scoring_opened = Signal()
# beneficiaries: batch
import_finished = Signal()
