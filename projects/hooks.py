"""Extension points that other apps fill in from their AppConfig.ready().

Acceptance (field app)
    A đề án reaches ACCEPTED only with an acceptance record (biên bản nghiệm thu). Either pass it:

        project_transition(actor=user, project=p, to=ProjectStatus.ACCEPTED, acceptance=acceptance)

    or register a finder so that the transition button on the đề án page works on its own:

        from projects import hooks
        hooks.set_acceptance_finder(lambda project: Acceptance.objects.filter(project=project, passed=True).last())

    The service refuses ACCEPTED when neither gives an acceptance. The acceptance object is only required to be
    truthy and, if it has a `project_id`, to belong to the đề án; its own rules (đạt / không đạt) are the field
    app's business and should be checked before calling.

Transition guards (budgets app, …)
    register_guard(to_status, check) adds a check run inside the transition's transaction, after the built-in
    rules: check(project, **context) returns None to allow or a Vietnamese message to refuse. Use it e.g. to
    refuse SETTLED while a settlement is missing.
"""

from collections import defaultdict
from collections.abc import Callable

_acceptance_finder: Callable | None = None
_guards: dict[str, list[Callable]] = defaultdict(list)


def set_acceptance_finder(finder: Callable | None) -> None:
    global _acceptance_finder
    _acceptance_finder = finder


def find_acceptance(project):
    return _acceptance_finder(project) if _acceptance_finder else None


def register_guard(to_status: str, check: Callable) -> None:
    if check not in _guards[to_status]:
        _guards[to_status].append(check)


def unregister_guard(to_status: str, check: Callable) -> None:
    if check in _guards[to_status]:
        _guards[to_status].remove(check)


def guards_for(to_status: str) -> list[Callable]:
    return list(_guards[to_status])
