"""Module boundaries: no module of newsloom reaches into another module's private names (a name with a
leading underscore is that module's own business, free to change)."""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "newsloom"


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_path(f: Path, level: int, module: str | None) -> Path | None:
    """Where an import of `f` points: a folder or a module file without its suffix."""
    if level == 0:
        if not module or not (module == "newsloom" or module.startswith("newsloom.")):
            return None
        base = PACKAGE.parent
        parts = module.split(".")
    else:
        base = f.parent
        for _ in range(level - 1):
            base = base.parent
        parts = module.split(".") if module else []
    return base.joinpath(*parts)


def _is_module(path: Path) -> bool:
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def violations(f: Path) -> list[str]:
    tree = ast.parse(f.read_text(encoding="utf-8"))
    modules: set[str] = set()  # local names bound to newsloom modules
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = _module_path(f, node.level, node.module)
            if target is None:
                continue
            for alias in node.names:
                if _private(alias.name):
                    out.append(f"{f.relative_to(PACKAGE)}:{node.lineno} imports {alias.name}")
                elif _is_module(target / alias.name):
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("newsloom.") and alias.asname:
                    modules.add(alias.asname)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _private(node.attr)
        ):
            out.append(f"{f.relative_to(PACKAGE)}:{node.lineno} uses {node.value.id}.{node.attr}")
    return out


def declared(module: Path) -> set[str] | None:
    """The names a module declares public (its `__all__`), None when it declares none; `module` is a
    module file without its suffix or a package folder."""
    f = module / "__init__.py" if module.is_dir() else module.with_suffix(".py")
    if not f.exists():
        return None
    for node in ast.parse(f.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return {e.value for e in ast.walk(node.value) if isinstance(e, ast.Constant)}
    return None


def undeclared(f: Path) -> list[str]:
    """Names `f` imports from a newsloom module that the module does not declare in `__all__`."""
    out = []
    for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        target = _module_path(f, node.level, node.module)
        if target is None:
            continue
        public = declared(target)
        for alias in node.names:
            if _is_module(target / alias.name) or _private(alias.name):
                continue  # a submodule; private names are the other test's
            if public is None or alias.name not in public:
                out.append(
                    f"{f.relative_to(PACKAGE)}:{node.lineno} imports {alias.name}, not in {target.name}.__all__"
                )
    return out


def test_every_module_declares_its_public_names():
    missing = [
        str(f.relative_to(PACKAGE))
        for f in sorted(PACKAGE.rglob("*.py"))
        if f.name != "__main__.py" and declared(f.with_suffix("")) is None and f.name != "__init__.py"
    ]
    assert not missing, f"modules without __all__: {missing}"
    assert (PACKAGE / "py.typed").exists()


def test_modules_import_only_declared_names():
    found = [v for f in sorted(PACKAGE.rglob("*.py")) for v in undeclared(f)]
    assert not found, "\n".join(found)


def test_no_module_uses_another_modules_private_names():
    found = [v for f in sorted(PACKAGE.rglob("*.py")) for v in violations(f)]
    assert not found, "\n".join(found)


def test_the_check_sees_both_kinds_of_reach(tmp_path, monkeypatch):
    pkg = tmp_path / "newsloom"
    (pkg / "sub").mkdir(parents=True)
    for p in (pkg / "__init__.py", pkg / "sub" / "__init__.py", pkg / "sub" / "mod.py"):
        p.write_text("", encoding="utf-8")
    user = pkg / "user.py"
    user.write_text(
        "from .sub.mod import _hidden\nfrom .sub import mod\nmod._inner()\nmod.public()\n", encoding="utf-8"
    )
    monkeypatch.setattr(__import__(__name__), "PACKAGE", pkg)
    assert violations(user) == ["user.py:1 imports _hidden", "user.py:3 uses mod._inner"]


# --- SQL lives in the store package -------------------------------------------------------------------

_SQL_RX = re.compile(
    r"^\s*(?:SELECT\s|INSERT\s+(?:OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|REPLACE\s+INTO\s"
    r"|WITH\s+\w+\s+AS\s|PRAGMA\s|ATTACH\s+DATABASE\s|DETACH\s+DATABASE\s|(?:CREATE|DROP|ALTER)\s+(?:TABLE|INDEX|VIEW|TRIGGER)\s)"
)
_SQL_CALLS = {"execute", "executemany", "executescript", "query", "query_in"}


def sql_outside_store(f: Path) -> list[str]:
    """SQL statements (string constants starting with a statement's keyword) and calls that run SQL
    (`.execute`, `.query`...) in a module outside `newsloom.store`."""
    tree = ast.parse(f.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL_RX.match(node.value):
            out.append(f"{f.relative_to(PACKAGE)}:{node.lineno} SQL {node.value.strip()[:40]!r}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _SQL_CALLS
        ):
            out.append(f"{f.relative_to(PACKAGE)}:{node.lineno} calls .{node.func.attr}()")
    return sorted(out, key=lambda v: int(v.split(":")[1].split()[0]))


def test_no_sql_outside_the_store_package():
    found = [
        v
        for f in sorted(PACKAGE.rglob("*.py"))
        if (PACKAGE / "store") not in f.parents
        for v in sql_outside_store(f)
    ]
    assert not found, "\n".join(found)


def test_the_sql_check_sees_statements_and_calls(tmp_path, monkeypatch):
    pkg = tmp_path / "newsloom"
    pkg.mkdir()
    mod = pkg / "mod.py"
    mod.write_text(
        'q = f"SELECT id FROM t WHERE x IN ({marks})"\ndb.execute(q)\nprint("selected")\n', encoding="utf-8"
    )
    monkeypatch.setattr(__import__(__name__), "PACKAGE", pkg)
    assert sql_outside_store(mod) == [
        "mod.py:1 SQL 'SELECT id FROM t WHERE x IN ('",
        "mod.py:2 calls .execute()",
    ]


def test_the_package_api_resolves_and_shadows_no_module():
    import newsloom

    for name in newsloom.__all__:
        assert getattr(newsloom, name) is not None, name
        assert not _is_module(PACKAGE / name), f"newsloom.{name} would hide the module of that name"
