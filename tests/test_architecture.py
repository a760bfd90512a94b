"""The layout rules the code keeps: dependencies run one way, modules stay readable, and
nothing reads outside the repository."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("tracker", "claims", "sources")
MAX_MODULE_LINES = 400


def app_modules(*apps: str) -> list[Path]:
    return sorted(
        path
        for app in apps
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    )


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):  # function-level imports too: no dodging a cycle
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", app_modules("sources"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_sources_app_imports_nothing_from_claims(path):
    assert not {m for m in imported_modules(path) if m == "claims" or m.startswith("claims.")}


def test_the_sources_app_names_no_claims_module_even_as_a_string():
    for path in app_modules("sources"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""["']claims[.:]""", text), path


@pytest.mark.parametrize("path", app_modules(*APPS), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_of_app_code_is_over_about_400_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines"


def test_nothing_in_the_project_reads_outside_the_repository():
    # Users have only the repository: no code, test, template or script may reach for a
    # sibling folder (the seed articles first came from one), so nothing may name one.
    outside = re.compile(r"\.\./shared|shared/seeds|BASE_DIR\.parent|parent\s*/\s*[\"']shared")
    checked = 0
    for path in ROOT.rglob("*"):
        if not path.is_file() or {".git", ".venv", "node_modules"} & set(path.parts):
            continue
        if any(part.endswith(".egg-info") for part in path.parts):
            continue  # pip's build metadata, which copies the README
        if (
            path.suffix not in {".py", ".html", ".toml", ".cfg", ".txt", ".json", ""}
            and path.name != "Makefile"
        ):
            continue
        if path == Path(__file__):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not outside.search(text), f"{path.relative_to(ROOT)} reads outside the repo"
        checked += 1
    assert checked > 50


def test_the_claims_app_is_told_of_corrected_source_texts_by_a_signal_not_an_import():
    from sources.signals import body_changed

    receivers = [r[1]() for r in body_changed.receivers]
    names = {f"{r.__module__}.{r.__qualname__}" for r in receivers if r is not None}
    assert "claims.receivers.reanchor_after_body_change" in names
