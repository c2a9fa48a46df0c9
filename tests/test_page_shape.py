"""Every page has one shape: `render()` opens with the prologue; one call at the end."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from stats.app.db import Db, open_database
from stats.config import ROOT

PAGES = sorted((ROOT / "src" / "stats" / "app" / "pages").glob("[!_]*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_page_ends_with_one_call_to_render(path: Path) -> None:
    body = _tree(path).body
    renders = [n for n in body if isinstance(n, ast.FunctionDef) and n.name == "render"]
    assert len(renders) == 1, f"{path.name}: no module-level render()"
    last = body[-1]
    assert ast.unparse(last) == "render()", f"{path.name} ends with {ast.unparse(last)!r}"
    # nothing else runs at import: only the docstring, imports, constants and definitions
    calls = [n for n in body[1:-1] if isinstance(n, ast.Expr | ast.Try | ast.With | ast.If)]
    assert not calls, f"{path.name}: module-level statements {[ast.unparse(c) for c in calls]}"


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_render_starts_with_the_prologue(path: Path) -> None:
    [render] = [
        n for n in _tree(path).body if isinstance(n, ast.FunctionDef) and n.name == "render"
    ]
    statements = [n for n in render.body if not isinstance(n, ast.Expr)]
    first = statements[0]
    assert isinstance(first, ast.With), f"{path.name}: render() does not open with page(...)"
    call = first.items[0].context_expr
    assert isinstance(call, ast.Call) and ast.unparse(call.func) == "page"


def test_open_database_names_path_and_signature(snapshot_db: Path) -> None:
    db = open_database()
    assert isinstance(db, Db)
    assert db.path == str(snapshot_db) and db.signature == tuple(db)[1]


def test_open_database_without_a_file_is_none(tmp_path: Path) -> None:
    assert open_database() is None
