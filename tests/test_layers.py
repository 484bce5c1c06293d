"""The floors of the house, checked from the code's own imports (docs/DEVELOPING.md, "Layers").

An app may use only the apps on the floors below its own: never an app above it, never another app of its own
floor. `LAYERS` is the one place where the order is written, bottom to top. What counts as using an app: an
`import`/`from … import` anywhere in a module (inside functions too), `import_module("…")` with a literal name, and
a model named by string in a relation field (`ForeignKey("projects.Project")`). Every module of every app is read,
except migrations (they name the apps they depend on by design). `khuyencong/` (settings, URLs, Celery), the tests,
bench/ and scripts/ wire everything together and may import anything.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings

LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),  # the toolbox: text, money, forms, history, permissions' require; knows no app of ours
    ("areas",),  # administrative units
    ("accounts",),  # users, roles, area scope (of units)
    ("documents",),  # PDF jobs and the kind registry; knows no particular kind
    ("beneficiaries",),  # establishments (and their documents)
    ("projects",),  # đề án, decisions, annual plans (they name establishments)
    ("budgets",),  # money of a đề án
    ("contest", "field"),  # the contest (establishments only); field reports, inspections, acceptance (money too)
    ("monitoring",),  # home pages, dashboard, reports, annual report, demo data: reads every app
)
FLOOR = {app: number for number, floor in enumerate(LAYERS) for app in floor}

# Imports that break the order today and belong to work still under way, each with its reason. Keep it empty: an
# entry is (importing file, imported app) -> why it is allowed for now and who removes it.
TEMPORARILY_ALLOWED: dict[tuple[str, str], str] = {}

RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def _uses(tree: ast.AST, package: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    """(line, dotted module or "app.Model") for everything a module uses of other modules."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            if node.module:
                yield node.lineno, ".".join([*base, node.module])
            else:  # from . import views: the names are modules of the package
                for alias in node.names:
                    yield node.lineno, ".".join([*base, alias.name])
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            value = node.args[0].value
            by_name = name in ("import_module", "__import__") or (name in RELATION_FIELDS and "." in str(value))
            if by_name and isinstance(value, str):
                yield node.lineno, value


def layer_violations(root: Path) -> list[str]:
    """Every use of an app from an app on the same floor or below it, as "file:line: app -> app (why)"."""
    found = []
    for app, floor in FLOOR.items():
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root)
            if "migrations" in relative.parts:
                continue
            package = relative.with_suffix("").parts[:-1]
            for line, module in _uses(ast.parse(path.read_text(encoding="utf-8")), package):
                used = module.split(".")[0]
                if used == app or used not in FLOOR:
                    continue
                if FLOOR[used] < floor or (str(relative), used) in TEMPORARILY_ALLOWED:
                    continue
                why = "same floor" if FLOOR[used] == floor else "a floor above"
                found.append(f"{relative}:{line}: {app} -> {used} ({module}; {why})")
    return found


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_every_app_of_ours_stands_on_a_floor():
    ours = {config.name for config in apps.get_app_configs() if Path(config.path).parent == Path(settings.BASE_DIR)}
    assert ours == set(FLOOR), "Thêm app mới vào LAYERS (và bảng tầng trong docs/DEVELOPING.md)."


def test_no_app_uses_its_own_floor_or_one_above():
    found = layer_violations(Path(settings.BASE_DIR))
    assert found == [], "Dùng ngược tầng (docs/DEVELOPING.md, Layers):\n" + "\n".join(found)


def test_the_temporary_allowances_are_still_needed():
    root = Path(settings.BASE_DIR)
    for (relative, used), reason in TEMPORARILY_ALLOWED.items():
        text = (root / relative).read_text(encoding="utf-8")
        package = Path(relative).with_suffix("").parts[:-1]
        still = any(module.split(".")[0] == used for _, module in _uses(ast.parse(text), package))
        assert still, f"{relative} no longer uses {used}: remove its allowance ({reason})"


def test_the_check_sees_every_way_up_and_sideways(tmp_path):
    _write(
        tmp_path,
        {
            "core/text.py": "def f():\n    from projects.models import Project\n",  # inside a function
            "documents/views.py": "import beneficiaries.models\n",
            "beneficiaries/selectors.py": "from importlib import import_module\nimport_module('projects.models')\n",
            "beneficiaries/models.py": "from django.db import models\nx = models.ForeignKey('budgets.FundingLine')\n",
            "field/tasks.py": "from contest import selectors\n",  # same floor
            "budgets/views.py": "from .. import monitoring\n",  # relative, out of the app
            "budgets/migrations/0001_initial.py": "import monitoring\n",  # migrations are not read
            "projects/views.py": "from beneficiaries.selectors import beneficiary_list\nfrom . import services\n",
            "monitoring/views.py": "import field.models, contest.models, core.text\n",
        },
    )
    found = layer_violations(tmp_path)
    assert [line.split(" (")[0] for line in found] == [
        "core/text.py:2: core -> projects",
        "documents/views.py:1: documents -> beneficiaries",
        "beneficiaries/models.py:2: beneficiaries -> budgets",
        "beneficiaries/selectors.py:2: beneficiaries -> projects",
        "budgets/views.py:1: budgets -> monitoring",
        "field/tasks.py:1: field -> contest",
    ]
    assert found[-1].endswith("(contest; same floor)") and found[0].endswith("(projects.models; a floor above)")
