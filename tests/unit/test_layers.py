"""The import layers of the library: shared modules import no stage, the briefing and the national
pages know nothing of the engine or the formats, and the engine knows of the briefing only its
contract. Read from the source (every import, at any depth, except under TYPE_CHECKING)."""

from __future__ import annotations

from import_graph import SRC, import_graph

STAGES = ("ingest", "clean", "extract", "briefing", "national", "build", "outputs")
# Commands, not shared modules: they wire stages together (the command line, the rule-book audit
# over every briefing, the new-section scaffold).
FRONT_DOORS = {"analysis.cli", "analysis.audit", "analysis.newsection"}


def _package(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else ""


def _violations(rule) -> list[str]:
    return [
        f"{mod} imports {dep}"
        for mod, deps in sorted(import_graph().items())
        for dep in sorted(deps)
        if rule(mod, dep)
    ]


def test_every_stage_package_exists_and_the_graph_sees_their_modules():
    graph = import_graph()
    for stage in STAGES:
        assert any(m.startswith(f"analysis.{stage}.") for m in graph), stage
    assert "analysis.briefing.contract" in graph["analysis.build.plan"]  # the reader sees real imports


def test_shared_modules_import_no_stage():
    def rule(mod: str, dep: str) -> bool:
        shared = mod.count(".") == 1 and _package(mod) not in STAGES and mod not in FRONT_DOORS
        return shared and _package(dep) in STAGES

    assert _violations(rule) == []


def test_briefing_and_national_never_import_the_engine_or_the_formats():
    def rule(mod: str, dep: str) -> bool:
        return _package(mod) in ("briefing", "national") and _package(dep) in ("build", "outputs")

    assert _violations(rule) == []


def test_the_engine_imports_of_the_briefing_only_its_contract():
    def rule(mod: str, dep: str) -> bool:
        return (
            _package(mod) == "build" and _package(dep) == "briefing" and dep != "analysis.briefing.contract"
        )

    assert _violations(rule) == []


def test_formats_never_import_the_engine():
    assert _violations(lambda mod, dep: _package(mod) == "outputs" and _package(dep) == "build") == []


def test_no_module_over_450_lines():
    sizes = {
        str(p.relative_to(SRC)): len(p.read_text(encoding="utf-8").splitlines()) for p in SRC.rglob("*.py")
    }
    assert sizes and not {n: k for n, k in sizes.items() if k > 450}


def test_no_import_circles():
    graph = import_graph()
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for dep in graph.get(node, ()):
            if dep in path:
                cycles.append([*path[path.index(dep) :], dep])
            elif dep not in seen:
                seen.add(dep)
                visit(dep, [*path, dep])

    seen: set[str] = set()
    for start in sorted(graph):
        if start not in seen:
            seen.add(start)
            visit(start, [start])
    assert not cycles, cycles


def test_unit_tests_mirror_the_packages_and_no_test_module_imports_another():
    """tests/unit/<package>/ exists only for a package of src/analysis; test modules lend nothing to
    each other (shared helpers live in tests/*.py), so moving a test file never breaks another."""
    import ast
    from pathlib import Path

    tests = Path(__file__).resolve().parents[1]
    folders = [p.relative_to(tests / "unit") for p in (tests / "unit").rglob("*") if p.is_dir()]
    folders = [f for f in folders if "__pycache__" not in f.parts]
    assert folders, "unit tests are grouped by package"
    assert not [f for f in folders if not (SRC / f / "__init__.py").is_file()]
    borrowed = []
    for path in tests.rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            borrowed += [f"{path.name} imports {n}" for n in names if n.split(".")[0].startswith("test_")]
    assert not borrowed, borrowed
