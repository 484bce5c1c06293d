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

Documents of a đề án (budgets, field, …)
    register_project_documents(provider) adds a provider called by the đề án page: provider(user, project) returns
    a list of link specs (dicts) for the official documents that app makes about the đề án — the contract
    (budgets.contract_kinds), the closure minutes (field.closure_kinds). The page renders them with
    projects/partials/project_documents.html; keys: "kind", "title", "param_name", "param_value",
    "can_request" (show the request button), "note" (why not, or what is missing), "latest"/"done" (the newest job
    and finished draft, documents.selectors.latest_jobs), "issued" (the register entry in force or None),
    "can_view_register" (may follow the entry's links); documents.selectors.object_document_link builds one. A
    provider returns [] for a đề án the document does not concern; it reads only through its own app's selectors.

The contract issued in the register (budgets app)
    set_contract_finder(finder): finder(project) returns {"number": "01/HĐ-SCT", "date": date} for the đề án's
    contract in force in the outgoing-document register, or None. The CONTRACTED step then takes that number and
    date and refuses a typed number or date that contradicts them; the contract kind writes them onto the đề án
    when it is issued (projects.services.project_contract_from_register), so both always say the same.
"""

from collections import defaultdict
from collections.abc import Callable

_acceptance_finder: Callable | None = None
_contract_finder: Callable | None = None
_guards: dict[str, list[Callable]] = defaultdict(list)
_document_providers: list[Callable] = []


def set_acceptance_finder(finder: Callable | None) -> None:
    global _acceptance_finder
    _acceptance_finder = finder


def find_acceptance(project):
    return _acceptance_finder(project) if _acceptance_finder else None


def set_contract_finder(finder: Callable | None) -> None:
    global _contract_finder
    _contract_finder = finder


def find_issued_contract(project) -> dict | None:
    return _contract_finder(project) if _contract_finder else None


def register_guard(to_status: str, check: Callable) -> None:
    if check not in _guards[to_status]:
        _guards[to_status].append(check)


def unregister_guard(to_status: str, check: Callable) -> None:
    if check in _guards[to_status]:
        _guards[to_status].remove(check)


def guards_for(to_status: str) -> list[Callable]:
    return list(_guards[to_status])


def register_project_documents(provider: Callable) -> None:
    if provider not in _document_providers:
        _document_providers.append(provider)


def unregister_project_documents(provider: Callable) -> None:
    if provider in _document_providers:
        _document_providers.remove(provider)


def project_documents(user, project) -> list[dict]:
    """The link specs of every registered provider, in registration order (the apps' order in INSTALLED_APPS)."""
    return [spec for provider in _document_providers for spec in provider(user, project)]
