"""Style capture: render a page, keep only the styles that differ from the browser's defaults."""

from pathlib import Path

# The in-page script is one function body split into files by concern; order matters only
# for the constants (rules, properties) and for main.js, which holds the return.
SCRIPT_PARTS = [
    "rules.js",
    "properties.js",
    "documents.js",
    "pseudo.js",
    "clone.js",
    "repair.js",
    "serialise.js",
    "main.js",
]


def _script() -> str:
    folder = Path(__file__).with_name("js")
    body = "\n".join((folder / name).read_text(encoding="utf-8") for name in SCRIPT_PARTS)
    return "(args) => {\n  args = args || {};\n" + body + "\n}"


STYLES_JS = _script()
