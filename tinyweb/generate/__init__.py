"""Generate pages from a description: sample from a run's model, repair, wrap with framework.css.

`standalone_page(html, framework_css)` is the one function every stage shares: eval wraps
both reference and generated pages with it, so both render under the same rules.
"""

from tinyweb.generate.repair import RepairedPage, repair_html, standalone_page

__all__ = ["RepairedPage", "repair_html", "standalone_page"]
