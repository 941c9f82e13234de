"""Style capture: render a page, keep only the styles that differ from the browser's defaults."""

from pathlib import Path

STYLES_JS = (Path(__file__).with_name("styles.js")).read_text(encoding="utf-8")
