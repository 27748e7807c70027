"""Check the system libraries Finsam needs and say exactly what to install when one is missing."""

import sys


def main() -> int:
    problems = []
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        problems.append(
            "WeasyPrint hittar inte Pango (PDF-rapporterna behöver det).\n"
            "  Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
            "libharfbuzz-subset0\n"
            "  Fedora:        sudo dnf install pango\n"
            "  macOS:         brew install pango\n"
            f"  (felet var: {exc})"
        )
    if problems:
        print("Systemet saknar något som Finsam behöver:\n", file=sys.stderr)
        print("\n\n".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
