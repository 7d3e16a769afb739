"""Dependency audit for CI: pip-audit over requirements.txt, failing on any known vulnerability.

pip-audit asks PyPI's JSON API (or OSV) about each pinned package. Where neither is reachable (a registry
mirror without the JSON API, as on the CI machines here), nothing can be audited: that is reported loudly and,
unless --strict, does not fail the build, since a red CI would then say nothing about our code.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    strict = "--strict" in sys.argv
    command = [
        str(Path(sys.executable).parent / "pip-audit"),
        "-r",
        str(ROOT / "requirements.txt"),
        "--vulnerability-service",
        "pypi",
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603 - our own argv
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stderr, file=sys.stderr)
        print("audit: pip-audit gave no report", file=sys.stderr)
        return 2
    dependencies = report["dependencies"]
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        ids = ", ".join(v["id"] for v in dependency["vulns"])
        print(f"audit: {dependency['name']} {dependency['version']}: {ids}")
    print(f"audit: {len(audited)} of {len(dependencies)} pinned packages audited, {len(vulnerable)} vulnerable")
    if vulnerable:
        return 1
    if len(audited) < len(dependencies):
        print("audit: WARNING: the vulnerability service could not be reached for every package", file=sys.stderr)
        return 1 if strict else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
