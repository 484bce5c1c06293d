"""Says exactly which Debian/Ubuntu packages are missing for PDFs (WeasyPrint) and browser tests.

`--for-tests` also checks Chromium; with CI=true anything missing fails the run instead of warning.
"""

import os
import shutil
import subprocess
import sys


def missing_packages(for_tests: bool) -> list[str]:
    missing = []
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except OSError:
        missing += ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "libfontconfig1"]
    if not shutil.which("fc-list"):
        missing += ["fontconfig", "fonts-liberation"]
    else:
        fonts = subprocess.run(["fc-list", ":family=Liberation Serif"], capture_output=True, text=True)
        if "Liberation Serif" not in fonts.stdout:
            missing.append("fonts-liberation")
    if for_tests and not os.path.exists("/usr/bin/chromium"):
        missing.append("chromium")
    return missing


def main() -> int:
    for_tests = "--for-tests" in sys.argv
    missing = missing_packages(for_tests)
    if not missing:
        return 0
    print("Thiếu gói hệ thống (missing system packages) — cài bằng / install with:")
    print("  sudo apt-get install -y " + " ".join(sorted(set(missing))))
    return 1 if os.environ.get("CI") == "true" else 0


if __name__ == "__main__":
    sys.exit(main())
