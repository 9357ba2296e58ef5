"""`python -m bench` (`make bench`): runs the main() of every bench/*.py module.

Each benchmark runs in its own process, because each configures Django (and its scratch
database) for itself before importing anything that needs settings.
"""

import ast
import subprocess
import sys
from pathlib import Path


def _has_main(path: Path) -> bool:
    # Read without importing: a helper module may need settings that only a benchmark sets.
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.FunctionDef) and node.name == "main" for node in tree.body)


def main() -> int:
    here = Path(__file__).resolve().parent
    names = sorted(p.stem for p in here.glob("*.py") if not p.stem.startswith("_") and _has_main(p))
    only = set(sys.argv[1:])
    failed = []
    for name in names:
        if only and name not in only:
            continue
        print(f"== bench/{name}.py", flush=True)
        code = f"import bench.{name} as b; raise SystemExit(b.main())"
        result = subprocess.run([sys.executable, "-c", code], cwd=here.parent, check=False)
        if result.returncode:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
