// A fragment of the in-page capture script: tinyweb/capture/__init__.py joins the files of
// this folder, in the order it lists, into one function body `(args) => { ... }`.
// Clean same-origin documents: where defaults are measured and the styled copy is built.

  // ---- clean documents -------------------------------------------------------------

  function doctypeString(dt) {
    if (!dt) return "";
    let s = "<!DOCTYPE " + dt.name;
    if (dt.publicId) s += ' PUBLIC "' + dt.publicId + '"';
    if (dt.systemId) s += (dt.publicId ? "" : " SYSTEM") + ' "' + dt.systemId + '"';
    return s + ">";
  }

  function cleanFrame(doctype) {
    const frame = document.createElement("iframe");
    frame.setAttribute("aria-hidden", "true");
    document.documentElement.appendChild(frame);
    const doc = frame.contentDocument;
    doc.open();
    const hide = NAIVE ? "" : "<style>" + HIDE_CSS + "</style>";
    doc.write(doctype + "<html><head>" + hide + "</head><body></body></html>");
    doc.close();
    return frame;
  }

  function defaultKey(el) {
    const tag = el.localName;
    if (el.namespaceURI === SVG_NS) return "svg:" + tag;
    if (el.namespaceURI && el.namespaceURI !== HTML_NS) return null;
    if (tag === "input") return "input[type=" + (el.getAttribute("type") || "text").toLowerCase() + "]";
    if (tag === "a" && el.hasAttribute("href")) return "a[href]";
    return tag;
  }

  function makeForKey(doc, key) {
    if (key.startsWith("svg:")) {
      const svg = doc.createElementNS(SVG_NS, "svg");
      const el = key === "svg:svg" ? svg : svg.appendChild(doc.createElementNS(SVG_NS, key.slice(4)));
      return [svg, el];
    }
    const m = /^([\w-]+)(?:\[(\w+)(?:=([\w-]+))?\])?$/.exec(key);
    if (!m) return [null, null];
    const el = doc.createElement(m[1]);
    if (m[2]) el.setAttribute(m[2], m[3] === undefined ? "#" : m[3]);
    return [el, el];
  }

  // Default computed values per key, measured under a clean body.
  function measureDefaults(doc, keys) {
    const table = new Map();
    table.set("html", readStyle(doc.documentElement));
    table.set("body", readStyle(doc.body));
    for (const key of keys) {
      if (table.has(key)) continue;
      const [outer, el] = makeForKey(doc, key);
      if (!el) continue;
      doc.body.appendChild(outer);
      table.set(key, readStyle(el));
      outer.remove();
    }
    return table;
  }

  function defaultsTable(tags) {
    const frame = cleanFrame("<!DOCTYPE html>");
    try {
      const keys = tags && tags.length ? tags : [];
      const table = measureDefaults(frame.contentDocument, keys);
      const result = {};
      for (const [key, values] of table) {
        const row = {};
        PROPS.forEach((p, i) => (row[p] = values[i]));
        result[key] = row;
      }
      if (result.html) result.html.display = "block"; // our measuring rule hides the root
      return result;
    } finally {
      frame.remove();
    }
  }
