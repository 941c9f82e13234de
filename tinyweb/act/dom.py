"""Screens from a live page's DOM: visible words (Range boxes) and interactive elements with names."""

from __future__ import annotations

from tinyweb.act.screen import Item, Screen, group_lines

SCREEN_JS = r"""
({maxWords}) => {
  const vw = window.innerWidth, vh = window.innerHeight;
  const skip = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "OPTION", "TITLE", "HEAD"]);
  const visibleCache = new Map();
  const visible = (el) => {
    if (visibleCache.has(el)) return visibleCache.get(el);
    let ok = true;
    const st = getComputedStyle(el);
    if (st.visibility === "hidden" || st.visibility === "collapse" || st.display === "none") ok = false;
    else if (parseFloat(st.opacity) === 0) ok = false;
    else if (/rect\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\)/.test(st.clip) || st.clipPath === "inset(50%)") ok = false;
    else if (st.overflow === "hidden" && (parseFloat(st.width) <= 1 || parseFloat(st.height) <= 1)) ok = false;
    else if (el.parentElement) ok = visible(el.parentElement);
    visibleCache.set(el, ok);
    return ok;
  };
  const inked = (el) => {  // text drawn in a visible colour and size
    const st = getComputedStyle(el);
    const alpha = st.color.startsWith("rgba") ? parseFloat(st.color.split(",")[3]) : 1;
    return (isNaN(alpha) || alpha > 0.05) && parseFloat(st.fontSize) >= 4;
  };
  const inView = (r) => r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < vw && r.top < vh;
  const words = [];
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node && words.length < maxWords; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || skip.has(parent.tagName) || !node.data.trim() || !visible(parent) || !inked(parent)) continue;
    const re = /\S+/g;
    let m;
    while ((m = re.exec(node.data)) && words.length < maxWords) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
      if (!rects.length || !inView(rects[0])) continue;
      const r = rects[0];
      if ((r.top + r.bottom) / 2 > vh || (r.left + r.right) / 2 > vw) continue;  // mostly cut off: unreadable
      const top = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
      if (top && top !== parent && !parent.contains(top) && !top.contains(parent)) continue;  // under an overlay
      words.push([m[0], [r.left, r.top, r.right, r.bottom]]);
    }
  }
  const clean = (s) => (s || "").replace(/\s+/g, " ").trim().slice(0, 120);
  const byIds = (ids) => clean(ids.split(/\s+/).map((id) => {
    const el = document.getElementById(id); return el ? el.textContent : "";
  }).join(" "));
  const kindOf = (el) => {
    const tag = el.tagName, type = (el.getAttribute("type") || "text").toLowerCase(), role = el.getAttribute("role");
    if (role === "link") return "link";
    if (role === "button" || role === "tab" || role === "menuitem") return "button";
    if (role === "textbox" || role === "searchbox") return "field";
    if (role === "checkbox" || role === "radio" || role === "switch") return "checkbox";
    if (tag === "A") return "link";
    if (tag === "BUTTON" || tag === "SUMMARY") return "button";
    if (tag === "SELECT") return "select";
    if (tag === "TEXTAREA") return "field";
    if (tag === "INPUT") {
      if (["submit", "button", "reset", "image"].includes(type)) return "button";
      if (["checkbox", "radio"].includes(type)) return "checkbox";
      if (["range", "color", "file"].includes(type)) return "button";
      return "field";
    }
    return "button";
  };
  const nameOf = (el, kind) => {
    const aria = clean(el.getAttribute("aria-label"));
    if (aria) return aria;
    const by = el.getAttribute("aria-labelledby");
    if (by && byIds(by)) return byIds(by);
    if (el.tagName === "INPUT" && ["submit", "button", "reset"].includes((el.type || "").toLowerCase())) {
      return clean(el.value) || clean(el.type);
    }
    if (kind === "field" || kind === "checkbox" || kind === "select") {
      const labels = el.labels ? Array.from(el.labels).map((l) => clean(l.innerText)).filter(Boolean) : [];
      if (labels.length) return labels[0];
      return clean(el.getAttribute("placeholder")) || clean(el.getAttribute("title")) || "";
    }
    const text = clean(el.innerText);
    if (text) return text;
    const img = el.querySelector("img[alt]");
    return clean(img && img.getAttribute("alt")) || clean(el.getAttribute("title")) || clean(el.getAttribute("alt"));
  };
  const selector = "a, button, input:not([type=hidden]), textarea, select, summary, " +
    "[role=button], [role=link], [role=textbox], [role=searchbox], [role=checkbox], [role=radio], " +
    "[role=switch], [role=tab], [role=menuitem]";
  const elements = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el) || el.disabled) continue;
    const r = el.getBoundingClientRect();
    if (!inView(r)) continue;
    const cx = Math.min(Math.max((r.left + r.right) / 2, 0), vw - 1);
    const cy = Math.min(Math.max((r.top + r.bottom) / 2, 0), vh - 1);
    const top = document.elementFromPoint(cx, cy);
    if (top && top !== el && !el.contains(top) && !(top.control === el)) continue;
    const kind = kindOf(el);
    elements.push([nameOf(el, kind), [r.left, r.top, r.right, r.bottom], kind]);
  }
  return {width: vw, height: vh, words, elements};
}
"""

MAX_WORDS = 4000
"""Words read per screen: a viewport rarely holds more; this caps pathological pages."""


async def dom_screen(page, screenshot: bool = True) -> Screen:
    """Read the visible viewport of a loaded Playwright page into a Screen (words + elements)."""
    data = await page.evaluate(SCREEN_JS, {"maxWords": MAX_WORDS})
    image = await page.screenshot(animations="disabled") if screenshot else None
    screen = Screen(int(data["width"]), int(data["height"]), [], "dom", image, page.url)
    words = [(text, _clip(box, screen)) for text, box in data["words"]]
    for (text, box), line in zip(words, group_lines(words), strict=True):
        screen.items.append(Item(text, screen.normalise(box), "word", line))
    for name, box, kind in data["elements"]:
        screen.items.append(Item(name, screen.normalise(_clip(box, screen)), kind))
    label_unnamed_fields(screen)
    return screen


def _clip(box: list[float], screen: Screen) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = box
    return max(0.0, x0), max(0.0, y0), min(float(screen.width), x1), min(float(screen.height), y1)


def label_unnamed_fields(screen: Screen) -> None:
    """Name a field that has no label, placeholder or aria name after the nearest text to its left or above."""
    lines: dict[int, list[Item]] = {}
    for word in screen.words:
        lines.setdefault(word.line, []).append(word)
    for index, item in enumerate(screen.items):
        if item.kind not in ("field", "select", "checkbox") or item.text:
            continue
        best, best_distance = None, 80.0
        for words in lines.values():
            x0 = min(w.box[0] for w in words)
            x1 = max(w.box[2] for w in words)
            y0 = min(w.box[1] for w in words)
            y1 = max(w.box[3] for w in words)
            left = x1 <= item.box[0] + 5 and abs((y0 + y1) / 2 - item.center[1]) < 25
            above = y1 <= item.box[1] + 5 and x0 < item.box[2] and x1 > item.box[0] - 20
            if not (left or above):
                continue
            distance = (item.box[0] - x1) if left else (item.box[1] - y1) * 2
            if distance < best_distance:
                best, best_distance = " ".join(w.text for w in words), distance
        if best:
            screen.items[index] = Item(best, item.box, item.kind, item.line)
