"""Only services write models: a scan of the source for writes anywhere else.

Views, commands, API views, the import pipeline and selectors parse, read, call a service and
render; the services (a module named services.py, or a services/ package) are the only code
that saves, creates, updates or deletes records, so every change has its actor, its
transaction and its change-log row. Migrations may write too; tests are not scanned.

The scan reads the syntax tree: a call of save(), delete(), bulk_create(), bulk_update(),
get_or_create(), update_or_create() or executemany(); create() or update() on a manager or
queryset (`X.objects…`, `….filter(…)…`); raw SQL that writes. It can be fooled, but not by
accident: it is a tripwire for a write put in the wrong place.
"""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "investpromo"

# Modules that write on the services' behalf: only services may import their writers.
WRITE_HELPERS = {
    "core/audit.py": "the change-log helpers every service writes its audit rows through",
    "core/bulk.py": "the services' fast path for many rows (executemany, deferred indexes)",
}
HELPER_WRITERS = {
    "investpromo.core.bulk": {"insert", "DeferredIndexes", "large_page_cache"},
    "investpromo.core.audit": {
        "record_change",
        "record_updates",
        "record_creations",
        "save_and_record_update",
        "record_deletion",
        "delete_and_record",
    },
}
_ALWAYS = {
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "executemany",
}
_QUERYSET_CALLS = {"filter", "exclude", "all", "select_for_update", "using", "select_related"}
_SQL_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|DROP|CREATE|ALTER)\b", re.IGNORECASE)
# Receivers whose save() and delete() are no model's: workbooks, Word documents, the cache.
_NOT_MODELS = re.compile(r"workbook|book$|document$|cache", re.IGNORECASE)


def _chain(node: ast.AST) -> tuple[list[str], str]:
    """The attribute and call names along a receiver (a.b.filter().c → [b, filter, c]), root."""
    names = []
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            root = node.id if isinstance(node, ast.Name) else type(node).__name__
            return list(reversed(names)), root


def _sql_text(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return ""


def writes_in(source: str) -> list[tuple[int, str]]:
    """(line, call) of every model write the scan finds in a module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method = node.func.attr
        names, root = _chain(node.func.value)
        receiver = ".".join([root, *names])
        if method in _ALWAYS:
            found.append((node.lineno, f"{receiver}.{method}()"))
        elif method in {"save", "delete"}:
            if root == "super" or _NOT_MODELS.search(names[-1] if names else root):
                continue
            found.append((node.lineno, f"{receiver}.{method}()"))
        elif method in {"create", "update"}:
            if "objects" in names or _QUERYSET_CALLS & set(names):
                found.append((node.lineno, f"{receiver}.{method}()"))
        elif method == "execute" and node.args and _SQL_WRITE.match(_sql_text(node.args[0])):
            found.append((node.lineno, f"{receiver}.execute({_sql_text(node.args[0])[:30]!r})"))
    return found


def is_service(relative: str) -> bool:
    parts = Path(relative).parts
    return parts[-1] == "services.py" or "services" in parts[:-1]


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/migrations/" in f"/{relative}":
            continue
        yield relative, path.read_text(encoding="utf-8")


def test_only_services_write_models():
    outside = {}
    for relative, source in modules():
        if is_service(relative) or relative in WRITE_HELPERS:
            continue
        found = writes_in(source)
        if found:
            outside[relative] = found
    assert not outside, (
        "models written outside services (move the write into the domain's services): "
        + "; ".join(
            f"{name}: " + ", ".join(f"line {line} {call}" for line, call in calls)
            for name, calls in sorted(outside.items())
        )
    )


def helper_writers_used(source: str) -> list[str]:
    """The write helpers a module uses: imported by name, or through their module."""
    used, modules_as = [], {}
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        for alias in node.names:
            module = f"{node.module}.{alias.name}"
            if node.module in HELPER_WRITERS and alias.name in HELPER_WRITERS[node.module]:
                used.append(f"{node.module}.{alias.name}")
            elif module in HELPER_WRITERS:
                modules_as[alias.asname or alias.name] = module
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules_as
            and node.attr in HELPER_WRITERS[modules_as[node.value.id]]
        ):
            used.append(f"{modules_as[node.value.id]}.{node.attr}")
    return sorted(set(used))


def test_only_services_use_the_write_helpers():
    offenders = []
    for relative, source in modules():
        if is_service(relative) or relative in WRITE_HELPERS:
            continue
        offenders.extend(f"{relative}: {name}" for name in helper_writers_used(source))
    assert not offenders, "write helpers used outside services: " + "; ".join(offenders)


def test_the_scan_finds_writes_and_leaves_reads():
    source = """
Project.objects.filter(event=event).update(name="x")
Project.objects.create(name="x")
project.save()
project.delete()
Organisation.objects.bulk_create(rows)
cursor.execute("INSERT INTO projects_project VALUES (1)")
cursor.execute(f"DROP INDEX {name}")
values.update(extra)
digest.update(chunk)
workbook.save(path)
cache.delete(key)
super().save()
cursor.execute("SELECT 1")
Project.objects.filter(pk=1).exists()
"""
    assert [line for line, _ in writes_in(source)] == [2, 3, 4, 5, 6, 7, 8]


def test_the_scan_finds_the_write_helpers_however_imported():
    source = """
from investpromo.core import bulk
from investpromo.core.audit import record_change, snapshot
bulk.build(Project, {})
bulk.insert(Project, [], with_ids=True)
"""
    assert helper_writers_used(source) == [
        "investpromo.core.audit.record_change",
        "investpromo.core.bulk.insert",
    ]
