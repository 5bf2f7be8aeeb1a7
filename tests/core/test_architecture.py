"""The layout's rules, read from the source: the core names no capability app, and no capability
app imports another unless it declares it in ``needs_apps`` (registrations builds on events);
what they share goes through the core, see docs/architecture.md.

Imports inside functions count as much as those at the top of a module.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps

from kokreative_wagtail.capabilities import CapabilityConfig

PACKAGE = Path(__file__).resolve().parents[2] / "kokreative_wagtail"


def capability_packages() -> set[str]:
    """Our capability apps (their config is a ``CapabilityConfig``), as dotted package names."""
    return {
        config.name
        for config in apps.get_app_configs()
        if isinstance(config, CapabilityConfig) and config.name.startswith("kokreative_wagtail.")
    }


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def imported(module: str, path: Path) -> list[tuple[str, int]]:
    """Every module of ours ``module`` imports, with its line, wherever the import stands."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            targets += [(target, node.lineno)]
            targets += [(f"{target}.{alias.name}", node.lineno) for alias in node.names]
        elif isinstance(node, ast.Import):
            targets += [(alias.name, node.lineno) for alias in node.names]
    return [(t, line) for t, line in targets if t.startswith("kokreative_wagtail")]


def owner(module: str, capabilities: set[str]) -> str:
    """The capability package a module belongs to, or ``"core"``."""
    for package in capabilities:
        if module == package or module.startswith(package + "."):
            return package
    return "core"


def declared_needs() -> dict[str, set[str]]:
    """The capability apps each capability app declares in ``needs_apps`` (it may import them)."""
    return {
        config.name: {name for name, _entry in config.needs_apps}
        for config in apps.get_app_configs()
        if isinstance(config, CapabilityConfig)
    }


def crossings() -> list[str]:
    capabilities = capability_packages()
    needs = declared_needs()
    found = []
    for module, path in modules().items():
        source = owner(module, capabilities)
        for target, line in imported(module, path):
            destination = owner(target, capabilities)
            if destination not in ("core", source, *needs.get(source, ())):
                found.append(f"{module}:{line} imports {target}")
    return found


def test_the_capability_apps_are_the_four():
    assert capability_packages() == {
        "kokreative_wagtail.offers",
        "kokreative_wagtail.events",
        "kokreative_wagtail.consultations",
        "kokreative_wagtail.consent",
        "kokreative_wagtail.registrations",
        "kokreative_wagtail.accessibility",
    }


def test_no_import_crosses_from_the_core_or_between_capability_apps():
    assert crossings() == []


def test_the_check_finds_a_crossing(tmp_path, monkeypatch):
    """The rule above is not vacuous: a core module importing an app is found."""
    real = imported

    def with_one_more(module, path):
        extra = (
            [("kokreative_wagtail.events.models", 1)]
            if module == "kokreative_wagtail.queries"
            else []
        )
        return real(module, path) + extra

    monkeypatch.setitem(globals(), "imported", with_one_more)
    assert crossings() == ["kokreative_wagtail.queries:1 imports kokreative_wagtail.events.models"]


def test_the_core_names_no_capability_app_in_its_code():
    """Not as a string either (``apps.is_installed("kokreative_wagtail.events")``): the core asks
    ``capabilities`` what is installed. Docstrings may mention them."""
    capabilities = capability_packages()
    labels = {config.label for config in apps.get_app_configs() if config.name in capabilities}
    names = capabilities | {f"{label}." for label in labels}  # "kokreative_events.EventPage"
    found = []
    for module, path in modules().items():
        if owner(module, capabilities) != "core":
            continue
        tree = ast.parse(path.read_text())
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and any(name in node.value for name in names)
            ):
                found.append(f"{module}:{node.lineno} {node.value[:60]!r}")
    assert found == []


def import_graph() -> dict[str, set[str]]:
    """Module → the modules of ours it imports (a package's ``__init__`` for ``from . import x``
    counts as the module ``x`` where there is one)."""
    known = modules()
    graph: dict[str, set[str]] = {}
    for module, path in known.items():
        targets = {target for target, _line in imported(module, path) if target in known}
        package = module.rpartition(".")[0]
        # ``from .x import y`` names the package too, which is no dependency of its own
        graph[module] = {t for t in targets if t != module and t != package}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_also_through_imports_inside_functions():
    assert cycles(import_graph()) == []


def test_the_cycle_check_finds_one():
    graph = import_graph()
    assert "kokreative_wagtail.conf" in graph["kokreative_wagtail.checks"]
    graph["kokreative_wagtail.conf"].add("kokreative_wagtail.checks")  # and back
    [component] = cycles(graph)
    assert {"kokreative_wagtail.checks", "kokreative_wagtail.conf"} <= set(component)


def test_an_import_inside_a_function_says_why():
    """Allowed inside a function: an ``AppConfig.ready()`` (Django's app loading), a ``try``
    (a version switch), or an import under a comment that gives the reason."""
    unexplained = []
    for module, path in modules().items():
        source = path.read_text().splitlines()
        tree = ast.parse(path.read_text())
        in_try = {
            id(sub)
            for node in ast.walk(tree)
            if isinstance(node, ast.Try)
            for sub in ast.walk(node)
        }
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if not isinstance(node, ast.Import | ast.ImportFrom) or id(node) in in_try:
                    continue
                if function.name == "ready" and path.name == "apps.py":
                    continue
                if (
                    source[node.lineno - 2].strip().startswith("#")
                    or "#" in source[node.lineno - 1]
                ):
                    continue
                unexplained.append(f"{module}:{node.lineno}")
    assert unexplained == []


def test_a_catch_all_except_says_why():
    """``except Exception`` only where a library's errors cannot be named, with the reason in a
    comment on its line or the next."""
    unexplained = []
    for module, path in modules().items():
        source = path.read_text().splitlines()
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ExceptHandler) or node.type is None:
                continue
            names = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            if not any(isinstance(name, ast.Name) and name.id == "Exception" for name in names):
                continue
            here, after = source[node.lineno - 1], source[node.lineno]
            if "#" not in here and not after.strip().startswith("#"):
                unexplained.append(f"{module}:{node.lineno}")
    assert unexplained == []


def test_hooks_are_named_by_their_constants():
    """Every hook of ours is registered and called as ``hook_names.X``: a typo in a string would
    silently register a hook nobody calls."""
    from kokreative_wagtail import hook_names

    ours = {value for name, value in vars(hook_names).items() if name.isupper()}
    literal = []
    for module, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", None) in ("register", "get_hooks")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value in ours
            ):
                literal.append(f"{module}:{node.lineno}")
    assert ours and literal == []


def test_tests_live_beside_their_capability():
    """The tests folder holds helpers; test modules sit in core/ or a capability's folder."""
    tests = Path(__file__).resolve().parents[1]
    assert sorted(p.name for p in tests.glob("test_*.py")) == []
    folders = {p.parent.name for p in tests.glob("*/test_*.py")}
    assert folders == {
        "core",
        "offers",
        "events",
        "consultations",
        "consent",
        "registrations",
        "accessibility",
        "browser",
        "localize",
    }
    for capability in ("offers", "events", "consultations", "registrations", "accessibility"):
        assert (tests / capability / "factories.py").exists(), capability


def test_migrations_run_on_wagtail_7_without_a_page_model_setting():
    """Wagtail 8's makemigrations writes ``settings.WAGTAIL_PAGE_MODEL`` (a swappable page
    model); Wagtail 7.x has no such setting, so a migration must read it with a default."""
    found = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("migrations/*.py")
        if "settings.WAGTAIL_PAGE_MODEL" in path.read_text()
    ]
    assert found == []


def test_migrations_depend_on_wagtail_migrations_that_wagtail_7_0_has():
    """Wagtail 8's makemigrations names its newest migrations as dependencies; Wagtail 7.0 LTS
    ends its ``wagtailcore`` migrations at 0094 (the oldest version we support)."""
    newer = re.compile(r"\('wagtailcore', '0(09[5-9]|1\d\d)_")
    found = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("migrations/*.py")
        if newer.search(path.read_text())
    ]
    assert found == []
