// Style capture: one in-page pass, run by page.evaluate(SOURCE, args).
//
// args.mode === "defaults": returns {tag: {property: value}} measured in a clean
//   same-origin document with no author CSS (the table `tinyweb defaults` prints).
// args.mode === "capture" (default): returns {html, title, description, lang, text, stats}
//   where html is a standalone document whose elements carry only `style` attributes.
//
// How it stays exact and small:
// 1. Computed values are read with the root set to display:none. Unrendered elements
//    report computed values (width: auto, 50%, repeat(3, 1fr)) instead of resolved
//    pixel values, so layout sizes that were never authored are not written out.
// 2. Each element starts with the properties that differ from its tag's default or,
//    for inherited properties, from its parent's value.
// 3. Verify-and-repair: the styled copy is built in a clean same-origin iframe; every
//    element's computed style there is compared with the original's and any property
//    that differs is added back, until nothing differs (equal computed values on the
//    same tree render the same).
// 4. Shorthand groups that are mostly present are completed with their (equal) computed
//    values so the browser serialises them as one shorthand.
(args) => {
  args = args || {};
  const SVG_NS = "http://www.w3.org/2000/svg";
  const HTML_NS = "http://www.w3.org/1999/xhtml";
  const HIDE_CSS = "html{display:none!important}";
  const MAX_ROUNDS = 8;
  // args.naive: the baseline a plain computed-style diff gives (what tinyweb replaces, kept for
  // the benchmark): resolved values of every property against tag defaults, no inheritance,
  // no aliases dropped, no pseudo-elements, no repair, no shorthands.
  const NAIVE = args.naive === true;

  const SKIP_TAGS = new Set(["script", "style", "link", "meta", "template", "head", "title", "base", "slot"]);
  const NO_PSEUDO_TAGS = new Set(["img", "input", "br", "select", "textarea", "iframe", "video", "audio",
    "canvas", "embed", "object", "svg", "math", "wbr", "area", "source", "track", "option", "optgroup"]);
  const KEEP_ATTRS = new Set(["href", "src", "alt", "type", "value", "placeholder", "colspan", "rowspan",
    "span", "checked", "selected", "disabled", "readonly", "multiple", "size", "rows", "cols", "name",
    "for", "label", "start", "reversed", "open", "lang", "dir", "poster", "controls", "min", "max", "step"]);
  const SIZED_TAGS = new Set(["img", "video", "canvas", "iframe", "embed", "object"]);
  // title changes rendering on these: a broken image shows it, abbr[title] is underlined.
  const TITLED_TAGS = new Set(["img", "abbr", "acronym"]);
  // Element names whose output tag is renamed: noscript renders its content when JS is off.
  const RENAME = { noscript: "span" };

  const INHERITED = new Set([
    "border-collapse", "caption-side", "caret-color", "clip-rule", "color", "color-interpolation",
    "color-interpolation-filters", "color-rendering", "color-scheme", "cursor", "direction",
    "dominant-baseline", "empty-cells", "fill", "fill-opacity", "fill-rule", "font", "font-family",
    "font-feature-settings", "font-kerning", "font-optical-sizing", "font-palette", "font-size",
    "font-size-adjust", "font-stretch", "font-style", "font-synthesis-small-caps",
    "font-synthesis-style", "font-synthesis-weight", "font-variant", "font-variant-alternates",
    "font-variant-caps", "font-variant-east-asian", "font-variant-emoji", "font-variant-ligatures",
    "font-variant-numeric", "font-variant-position", "font-variation-settings", "font-weight",
    "forced-color-adjust", "hyphenate-character", "hyphenate-limit-chars", "hyphens",
    "image-orientation", "image-rendering", "letter-spacing", "line-break", "line-height",
    "list-style-image", "list-style-position", "list-style-type", "marker-end", "marker-mid",
    "marker-start", "math-depth", "math-shift", "math-style", "orphans", "overflow-wrap",
    "paint-order", "pointer-events", "print-color-adjust", "quotes", "ruby-align", "ruby-position",
    "shape-rendering", "stroke", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-opacity", "stroke-width", "tab-size",
    "text-align", "text-align-last", "text-anchor", "text-autospace", "text-box-trim",
    "text-decoration-skip-ink", "text-emphasis-color", "text-emphasis-position",
    "text-emphasis-style", "text-indent", "text-orientation", "text-rendering", "text-shadow",
    "text-size-adjust", "text-spacing-trim", "text-transform", "text-underline-offset",
    "text-underline-position", "text-wrap", "text-wrap-mode", "text-wrap-style", "visibility",
    "white-space", "white-space-collapse", "widows", "word-break", "word-spacing", "word-wrap",
    "writing-mode", "-webkit-border-horizontal-spacing", "-webkit-border-vertical-spacing",
    "-webkit-font-smoothing", "-webkit-locale", "-webkit-rtl-ordering", "-webkit-text-combine",
    "-webkit-text-fill-color", "-webkit-text-security", "-webkit-text-stroke-color",
    "-webkit-text-stroke-width", "-webkit-user-modify", "-webkit-highlight", "-webkit-line-break",
    "-webkit-tap-highlight-color", "-webkit-hyphenate-character", "interactivity",
    "-webkit-text-decorations-in-effect",
  ]);
  // Colours whose default is currentColor: equal to `color` means "not authored".
  const CURRENT_COLOR = new Set(["border-top-color", "border-right-color", "border-bottom-color",
    "border-left-color", "outline-color", "text-decoration-color", "column-rule-color",
    "text-emphasis-color", "-webkit-text-fill-color", "-webkit-text-stroke-color", "caret-color",
    "row-rule-color"]);
  // Properties with no effect on a static rendering. Animations too: their @keyframes do
  // not travel with inline styles.
  const NON_VISUAL = /^(transition|animation|-webkit-tap-highlight-color$|will-change$|touch-action$|scroll-behavior$|speak$|-webkit-user-drag$|interpolate-size$|view-transition-)/;
  // Logical properties are aliases resolved to physical ones at cascade time.
  const LOGICAL = /(^|-)(inline|block)(-|$)|^border-(start|end)-(start|end)-radius$/;
  // Shorthands written when all their longhands are declared (groups that are mostly
  // present are completed with their computed values, which changes nothing).
  const boxSides = ([top, right, bottom, left]) =>
    right !== left ? `${top} ${right} ${bottom} ${left}`
      : top !== bottom ? `${top} ${right} ${bottom}`
        : top !== right ? `${top} ${right}` : top;
  const pair = ([a, b]) => (a === b ? a : `${a} ${b}`);
  const SHORTHANDS = [
    { name: "margin", longhands: ["margin-top", "margin-right", "margin-bottom", "margin-left"], join: boxSides },
    { name: "padding", longhands: ["padding-top", "padding-right", "padding-bottom", "padding-left"], join: boxSides },
    { name: "border-width", longhands: ["border-top-width", "border-right-width", "border-bottom-width", "border-left-width"], join: boxSides },
    { name: "border-style", longhands: ["border-top-style", "border-right-style", "border-bottom-style", "border-left-style"], join: boxSides },
    { name: "border-color", longhands: ["border-top-color", "border-right-color", "border-bottom-color", "border-left-color"], join: boxSides },
    {
      name: "border-radius",
      longhands: ["border-top-left-radius", "border-top-right-radius", "border-bottom-right-radius", "border-bottom-left-radius"],
      join: (v) => (v.some((x) => x.includes(" ")) ? null : boxSides(v)), // elliptical corners stay longhands
    },
    { name: "inset", longhands: ["top", "right", "bottom", "left"], join: boxSides },
    { name: "overflow", longhands: ["overflow-x", "overflow-y"], join: pair },
    { name: "gap", longhands: ["row-gap", "column-gap"], join: pair },
    { name: "flex", longhands: ["flex-grow", "flex-shrink", "flex-basis"], join: (v) => v.join(" ") },
    { name: "outline", longhands: ["outline-color", "outline-style", "outline-width"], join: ([c, s, w]) => `${w} ${s} ${c}` },
  ];
  const BORDER_PARTS = ["border-width", "border-style", "border-color"];

  // Properties whose computed value depends on other properties or on kept attributes:
  // always verified, as are those the user-agent stylesheet sets for some tag.
  const DEPENDENT = new Set(["display", "float", "position", "overflow-x", "overflow-y", "font-size",
    "line-height", "border-top-width", "border-right-width", "border-bottom-width", "border-left-width",
    "outline-width", "column-rule-width", "direction", "unicode-bidi", "width", "height", "aspect-ratio",
    "border-spacing", "-webkit-border-horizontal-spacing", "-webkit-border-vertical-spacing", "color",
    "list-style-type", "list-style-position", "list-style-image", "quotes"]);
  const BASELINE_KEY = "tinyweb-baseline";
  // In the display:none pass getComputedStyle reports transform as none and
  // min-width/min-height: auto as 0px; the typed OM has the true computed values. Pseudo-
  // elements have no typed OM: their transform is read from the rendered page, and these
  // properties are not compared on them.
  const TYPED = ["transform", "min-width", "min-height"];
  // Elements always verified in full: foreign ones (SVG, MathML) keep presentation
  // attributes, and the user-agent stylesheet resets inherited properties to their initial
  // values on these, which the defaults table cannot show.
  const FULL_CHECK_TAGS = new Set(["input", "select", "textarea", "button", "option", "optgroup", "meter",
    "progress", "table", "marquee", "legend", "fieldset", "datalist", "output"]);

  function propertyList() {
    const cs = getComputedStyle(document.documentElement);
    const all = new Set();
    for (let i = 0; i < cs.length; i++) all.add(cs[i]);
    const out = [];
    for (const name of all) {
      if (name.startsWith("--")) continue;
      if (NAIVE) {
        out.push(name);
        continue;
      }
      if (NON_VISUAL.test(name) || LOGICAL.test(name)) continue;
      if (name.startsWith("-webkit-") && all.has(name.slice(8))) continue;
      out.push(name);
    }
    return out;
  }

  // Properties any page may set through the user-agent stylesheet or presentational
  // attributes; every other property is compared only when an author rule mentions it.
  const ALWAYS = /^(display|position|float|clear|box-sizing|(min-|max-)?(width|height)$|margin|padding|border|outline|background|color$|opacity|visibility|overflow|z-index|top$|right$|bottom$|left$|vertical-align|text-|white-space|word-|overflow-wrap|letter-spacing|line-height|font|list-style|direction|unicode-bidi|writing-mode|quotes|cursor|content$|table-layout|caption-side|empty-cells|-webkit-|aspect-ratio|object-|caret-color|column-rule|appearance|resize|flex|align-|justify-|order$|gap$|row-gap|column-gap|grid|transform|box-shadow|filter|clip|inset|user-select|pointer-events|hyphens|tab-size)/;
  const ALL_PROPS = propertyList();
  let PROPS, INDEX, IS_INHERITED, COLOR_I, DISPLAY_I, CONTENT_I, LINE_HEIGHT_I;

  function useProperties(list) {
    PROPS = list;
    INDEX = new Map(PROPS.map((p, i) => [p, i]));
    IS_INHERITED = PROPS.map((p) => INHERITED.has(p));
    COLOR_I = INDEX.get("color");
    DISPLAY_I = INDEX.get("display");
    CONTENT_I = INDEX.get("content");
    LINE_HEIGHT_I = INDEX.get("line-height");
  }
  useProperties(ALL_PROPS);

  // The properties worth comparing on this page: ALWAYS plus every longhand that a
  // same-origin rule (keyframes included) or a style attribute sets. A logical property
  // brings its whole family, as it maps to physical sides. An unreadable (cross-origin)
  // sheet that did load means every property.
  function pageProperties() {
    const used = new Set();
    const addStyle = (style) => {
      for (let i = 0; i < style.length; i++) used.add(style[i]);
    };
    let readable = true;
    const visit = (rules) => {
      for (const rule of rules) {
        if (rule.style) addStyle(rule.style);
        if (rule.cssRules) visit(rule.cssRules);
      }
    };
    const failed = new Set(args.failedSheets || []);
    for (const sheet of document.styleSheets) {
      if (sheet.href && failed.has(sheet.href)) continue; // never loaded: no rules
      try {
        visit(sheet.cssRules);
      } catch (e) {
        readable = false;
      }
    }
    if (!readable) return ALL_PROPS;
    document.querySelectorAll("[style]").forEach((el) => el.style && addStyle(el.style));
    const families = new Set();
    for (const name of used) {
      const bare = name.startsWith("-webkit-") ? name.slice(8) : name;
      families.add(LOGICAL.test(bare) ? bare.split("-")[0] : bare);
    }
    return ALL_PROPS.filter((p) => ALWAYS.test(p) || families.has(p) || families.has(p.split("-")[0]));
  }

  // Computed values of every property, in PROPS order. Two values come from the typed OM:
  // line-height, because getComputedStyle resolves a unitless factor (1.5) to pixels that
  // children would then inherit as a fixed length; and any single number that the string
  // form rounds to six digits (83.3333% for 83.33333333%), which would shift layouts.
  function readStyle(el, pseudo, indices) {
    const cs = el.ownerDocument.defaultView.getComputedStyle(el, pseudo || null);
    const values = new Array(PROPS.length);
    const typed = pseudo || !el.computedStyleMap ? null : el.computedStyleMap();
    const read = (i) => {
      const value = cs.getPropertyValue(PROPS[i]);
      values[i] = typed && value.indexOf(".") !== -1 && mayBeRounded(value) ? precise(typed, PROPS[i], value) : value;
    };
    if (indices) for (const i of indices) read(i);
    else for (let i = 0; i < PROPS.length; i++) read(i);
    if (typed) {
      for (const name of TYPED) {
        const i = INDEX.get(name);
        const value = i !== undefined && values[i] !== undefined && typed.get(name);
        if (value) values[i] = value.toString();
      }
    }
    if (typed && LINE_HEIGHT_I !== undefined && values[LINE_HEIGHT_I] !== undefined) {
      const lineHeight = typed.get("line-height");
      if (lineHeight) values[LINE_HEIGHT_I] = precise(typed, "line-height", lineHeight.toString());
    }
    return values;
  }

  // A number with six or more digits around its decimal point (a leading zero counts:
  // a false positive only costs a typed-OM read).
  const SIX_DIGITS = /\d{6}|\d\.\d{5}|\d{2}\.\d{4}|\d{3}\.\d{3}|\d{4}\.\d{2}|\d{5}\.\d/;
  function mayBeRounded(value) {
    return SIX_DIGITS.test(value);
  }

  const UNIT_SUFFIX = { percent: "%", number: "" };

  // The shortest decimal that names the same 32-bit float Blink stores.
  function precise(typed, name, fallback) {
    let value;
    try {
      value = typed.get(name);
    } catch (e) {
      return fallback;
    }
    // A CSSUnitValue (checked by shape: the styled copy's values come from another realm).
    if (!value || typeof value.value !== "number" || typeof value.unit !== "string") return fallback;
    const target = Math.fround(value.value);
    let text = String(value.value);
    for (let digits = 6; digits <= 17; digits++) {
      const candidate = value.value.toPrecision(digits);
      if (Math.fround(parseFloat(candidate)) === target) {
        text = String(parseFloat(candidate));
        break;
      }
    }
    const unit = value.unit in UNIT_SUFFIX ? UNIT_SUFFIX[value.unit] : value.unit;
    return text + unit;
  }

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

  // The value to declare for a computed value. Chromium reports a line-clamped
  // `display: -webkit-box` as flow-root, but only -webkit-box clamps.
  function declaredValue(rec, i) {
    const value = rec.values[i];
    if (i === DISPLAY_I && (value === "flow-root" || value === "inline flow-root" || value === "inline-flow-root")) {
      const clamp = INDEX.get("-webkit-line-clamp");
      if (clamp !== undefined && rec.values[clamp] && rec.values[clamp] !== "none") {
        return value === "flow-root" ? "-webkit-box" : "-webkit-inline-box";
      }
    }
    return value;
  }

  // ---- pseudo-element content -------------------------------------------------------

  function pseudoText(content, el) {
    let out = "";
    let i = 0;
    const s = content;
    while (i < s.length) {
      const ch = s[i];
      if (ch === '"' || ch === "'") {
        i++;
        while (i < s.length && s[i] !== ch) {
          if (s[i] === "\\") {
            const hex = /^[0-9a-fA-F]{1,6} ?/.exec(s.slice(i + 1, i + 8));
            if (hex) {
              out += String.fromCodePoint(parseInt(hex[0], 16));
              i += 1 + hex[0].length;
            } else {
              out += s[i + 1] || "";
              i += 2;
            }
          } else {
            out += s[i++];
          }
        }
        i++;
      } else if (s.startsWith("attr(", i)) {
        const end = s.indexOf(")", i);
        out += el.getAttribute(s.slice(i + 5, end).trim()) || "";
        i = end + 1;
      } else if (s.startsWith("open-quote", i)) {
        out += "\u201C";
        i += 10;
      } else if (s.startsWith("close-quote", i)) {
        out += "\u201D";
        i += 11;
      } else if (s.startsWith(" / ", i)) {
        break; // alternative text follows; it does not render
      } else {
        // url(), counter(), counters(), no-open-quote: not representable as text
        const m = /^[\w-]+\((?:[^()"']|"[^"]*"|'[^']*')*\)|^\S+/.exec(s.slice(i));
        i += m ? m[0].length : 1;
      }
    }
    return out;
  }

  // Transforms of rendered ::before/::after, read before the root is hidden.
  function readPseudoTransforms() {
    const maps = { "::before": new Map(), "::after": new Map() };
    for (const el of document.querySelectorAll("body, body *")) {
      for (const which of ["::before", "::after"]) {
        const ps = getComputedStyle(el, which);
        const transform = ps.getPropertyValue("transform");
        if (transform && transform !== "none" && ps.getPropertyValue("content") !== "none") maps[which].set(el, transform);
      }
    }
    return maps;
  }

  function hasPseudo(values) {
    const c = values[CONTENT_I];
    return c && c !== "none" && c !== "normal" && values[DISPLAY_I] !== "none";
  }

  // ---- ::first-letter ----------------------------------------------------------------

  // Elements that some author rule gives a ::first-letter style (from same-origin sheets).
  function firstLetterElements() {
    const selectors = [];
    const visit = (rules) => {
      for (const rule of rules) {
        if (rule.selectorText && /::?first-letter/i.test(rule.selectorText)) {
          for (const part of rule.selectorText.split(",")) {
            if (/::?first-letter/i.test(part)) selectors.push(part.replace(/::?first-letter/gi, "").trim() || "*");
          }
        }
        if (rule.cssRules) visit(rule.cssRules);
      }
    };
    for (const sheet of document.styleSheets) {
      try {
        visit(sheet.cssRules);
      } catch (e) {
        // cross-origin sheet: its rules are not readable
      }
    }
    const found = new Set();
    for (const sel of selectors) {
      try {
        document.querySelectorAll(sel).forEach((el) => found.add(el));
      } catch (e) {
        // a selector this browser cannot query
      }
    }
    return found;
  }

  // Map the first text node of each ::first-letter element to [letter length, pseudo values].
  function firstLetterTargets() {
    const targets = new Map();
    for (const el of firstLetterElements()) {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let node;
      while ((node = walker.nextNode()) && !node.data.trim()) {}
      if (!node) continue;
      const m = /^\s*[\p{P}\s]*[^\s\p{P}]\p{P}*/u.exec(node.data);
      if (m) targets.set(node, [m[0].length, readStyle(el, "::first-letter")]);
    }
    return targets;
  }

  // ---- the capture -------------------------------------------------------------------

  function collapsesSpace(values) {
    const wsc = INDEX.has("white-space-collapse") ? values[INDEX.get("white-space-collapse")] : null;
    if (wsc !== null) return wsc === "collapse";
    const ws = values[INDEX.get("white-space")];
    return ws === "normal" || ws === "nowrap";
  }

  function copyAttributes(src, dst, key) {
    const foreign = src.namespaceURI !== HTML_NS;
    for (const attr of Array.from(src.attributes)) {
      const name = attr.name;
      if (name === "class" || name === "style" || name.startsWith("on")) continue;
      if (foreign) {
        if (name.startsWith("data-")) continue;
        try {
          dst.setAttributeNS(attr.namespaceURI || null, name, attr.value);
        } catch (e) {
          // a malformed name (xlink: with no local part) that the parser let through: drop it
        }
        continue;
      }
      const kept = KEEP_ATTRS.has(name)
        || ((name === "width" || name === "height") && SIZED_TAGS.has(src.localName))
        || (name === "title" && TITLED_TAGS.has(src.localName));
      if (!kept) continue;
      let value = attr.value;
      if (name === "href") value = /^\s*javascript:/i.test(value) ? "#" : src.href || value;
      else if (name === "src") value = src.currentSrc || src.src || value;
      dst.setAttribute(name, value);
    }
    if (key && key.startsWith("input")) {
      const t = src.type;
      if (t !== "file" && t !== "checkbox" && t !== "radio" && src.value) dst.setAttribute("value", src.value);
      if (src.checked) dst.setAttribute("checked", "");
      else dst.removeAttribute("checked");
    }
    if (src.localName === "img" && !dst.hasAttribute("src") && src.currentSrc) dst.setAttribute("src", src.currentSrc);
    if (src.localName === "option") {
      if (src.selected) dst.setAttribute("selected", "");
      else dst.removeAttribute("selected");
    }
  }

  function capture() {
    const t0 = performance.now();
    if (!NAIVE) useProperties(pageProperties());
    const root = document.documentElement;
    const body = document.body || root;
    const text = body.innerText || "";
    const rootDisplay = getComputedStyle(root).display;
    const metaDesc = document.querySelector('meta[name="description" i]');
    const metaViewport = document.querySelector('meta[name="viewport" i]');
    const info = {
      title: (document.title || "").trim(),
      description: metaDesc ? (metaDesc.getAttribute("content") || "").trim() : "",
      lang: root.getAttribute("lang") || "",
      charset: document.characterSet,
      text,
    };
    const doctype = doctypeString(document.doctype);
    const frame = cleanFrame(doctype);
    const pseudoTransforms = NAIVE ? null : readPseudoTransforms();
    const savedRootStyle = root.getAttribute("style");
    if (!NAIVE) root.style.setProperty("display", "none", "important");
    try {
      const out = frame.contentDocument;
      const records = [];
      const keys = new Set(["span"]);
      const stats = { hidden_removed: 0, pseudo_elements: 0, rejected: 0 };

      function addRecord(src, dst, parent, values, key, isPseudo) {
        const rec = {
          src, dst, parent, values, key, pseudo: isPseudo, decl: new Map(), index: records.length, end: 0,
          fullCheck: src !== null && (src.namespaceURI !== HTML_NS || FULL_CHECK_TAGS.has(src.localName)),
        };
        records.push(rec);
        keys.add(key);
        return rec;
      }

      function materialisePseudo(el, which, dstParent, parentRec) {
        const content = getComputedStyle(el, which).getPropertyValue("content");
        if (content === "none" || content === "normal" || !content) return;
        const values = readStyle(el, which);
        if (pseudoTransforms && INDEX.has("transform")) values[INDEX.get("transform")] = pseudoTransforms[which].get(el) || "none";
        if (!hasPseudo(values)) return;
        const span = out.createElement("span");
        if (args.markPseudo) span.setAttribute("data-tw-pseudo", which); // for debugging tools
        const txt = pseudoText(values[CONTENT_I], el);
        if (txt) span.textContent = txt;
        if (which === "::before") dstParent.insertBefore(span, dstParent.firstChild);
        else dstParent.appendChild(span);
        const rec = addRecord(null, span, parentRec, values, "span", true);
        rec.end = records.length;
        stats.pseudo_elements++;
      }

      function walk(src, dstParent, parentRec) {
        const tag = src.localName;
        if (src === frame || (src.namespaceURI === HTML_NS && SKIP_TAGS.has(tag))) return;
        if (src !== root && getComputedStyle(src).getPropertyValue("display") === "none") {
          stats.hidden_removed++; // checked before the full read: hidden subtrees can be large
          return;
        }
        const values = readStyle(src);
        const key = defaultKey(src) || tag;
        const dst = src.namespaceURI === HTML_NS
          ? out.createElement(RENAME[tag] || tag)
          : out.createElementNS(src.namespaceURI, src.tagName);
        copyAttributes(src, dst, key);
        if (dstParent) dstParent.appendChild(dst);
        const rec = addRecord(src, dst, parentRec, values, RENAME[tag] || key, false);
        const collapse = collapsesSpace(values);
        const pseudoOk = src.namespaceURI === HTML_NS && !NO_PSEUDO_TAGS.has(tag);
        if (tag === "textarea") {
          dst.textContent = src.value;
        } else {
          for (const child of src.childNodes) {
            if (child.nodeType === Node.ELEMENT_NODE) walk(child, dst, rec);
            else if (child.nodeType === Node.TEXT_NODE) {
              const letter = firstLetters.get(child);
              if (letter) {
                const span = dst.appendChild(out.createElement("span"));
                span.textContent = child.data.slice(0, letter[0]);
                addRecord(null, span, rec, letter[1], "span", true).end = records.length;
                stats.pseudo_elements++;
              }
              const data = letter ? child.data.slice(letter[0]) : child.data;
              const t = collapse ? data.replace(/[ \t\n\r\f]+/g, (m) => (m.includes("\n") ? "\n" : " ")) : data;
              if (t) dst.appendChild(out.createTextNode(t));
            }
          }
        }
        if (pseudoOk && !NAIVE) {
          materialisePseudo(src, "::before", dst, rec);
          materialisePseudo(src, "::after", dst, rec);
        }
        rec.end = records.length;
        return dst;
      }

      const firstLetters = NAIVE ? new Map() : firstLetterTargets();
      const outRoot = walk(root, null, null);
      const outHead = out.createElement("head");
      const hide = out.createElement("style");
      hide.textContent = HIDE_CSS;
      outHead.appendChild(hide);
      if (outRoot.firstChild) outRoot.insertBefore(outHead, outRoot.firstChild);
      else outRoot.appendChild(outHead);
      out.replaceChild(outRoot, out.documentElement);
      const tWalk = performance.now();

      const defaultsFrame = cleanFrame(doctype);
      const defaults = measureDefaults(defaultsFrame.contentDocument, [...keys, BASELINE_KEY]);
      defaultsFrame.remove();
      const bodyDefaults = defaults.get("body");

      const notOnPseudo = new Set([CONTENT_I, ...TYPED.map((p) => INDEX.get(p))]);

      // Initial guess: what differs from the tag default, or from the parent when inherited.
      for (const rec of records) {
        const dflt = defaults.get(rec.key) || defaults.get("span");
        const v = rec.values;
        for (let i = 0; i < PROPS.length; i++) {
          if (rec.pseudo && notOnPseudo.has(i) && PROPS[i] !== "transform") continue;
          if (rec.parent === null && i === DISPLAY_I) continue;
          let natural;
          if (!NAIVE && IS_INHERITED[i] && rec.parent && dflt[i] === bodyDefaults[i]) natural = rec.parent.values[i];
          else natural = dflt[i];
          if (v[i] === natural) continue;
          if (!NAIVE && CURRENT_COLOR.has(PROPS[i]) && v[i] === v[COLOR_I] && dflt[i] === dflt[COLOR_I]) continue;
          setDecl(rec, i);
        }
      }

      function setDecl(rec, i) {
        const name = PROPS[i];
        const value = declaredValue(rec, i);
        rec.dst.style.setProperty(name, value);
        if (rec.dst.style.getPropertyValue(name) === "") {
          stats.rejected++;
          return false;
        }
        rec.decl.set(i, value);
        return true;
      }

      // Only what the user-agent stylesheet or another property can change needs checking
      // at first: everything else is exactly predicted by the guess above.
      const baseline = defaults.get(BASELINE_KEY);
      const firstCheck = [];
      for (let i = 0; i < PROPS.length; i++) {
        let touched = DEPENDENT.has(PROPS[i]) || CURRENT_COLOR.has(PROPS[i]);
        for (const row of defaults.values()) if (row[i] !== baseline[i]) touched = true;
        if (touched) firstCheck.push(i);
      }
      const allIndices = PROPS.map((_, i) => i);

      // Verify and repair until the styled copy computes what the original computed.
      let dirty = NAIVE ? [] : records;
      let checks = null; // after round 1: which properties to check on each dirty record
      const roundSizes = [];
      let rounds = 0;
      const failed = new Set();
      let mismatches = 0;
      while (dirty.length && rounds < MAX_ROUNDS) {
        rounds++;
        const fixes = [];
        // Per record, the inherited properties fixed on it or on an ancestor this round: a
        // descendant that differs in one of them may just be inheriting the old value.
        const changed = new Map();
        const deferred = [];
        roundSizes.push(dirty.length);
        for (const rec of dirty) {
          const check = args.verifyAll || (rounds === 1 && rec.fullCheck) ? allIndices
            : rounds === 1 ? firstCheck : checks.get(rec);
          const now = readStyle(rec.dst, null, check);
          const above = rec.parent && changed.get(rec.parent);
          let mine = null;
          for (const i of check) {
            if (now[i] === rec.values[i]) continue;
            if (rec.pseudo && notOnPseudo.has(i)) continue;
            if (rec.parent === null && i === DISPLAY_I) continue;
            if (failed.has(rec.index * PROPS.length + i)) continue;
            if (!mine) mine = new Set();
            mine.add(i);
            if (IS_INHERITED[i] && above && above.has(i)) {
              deferred.push(rec);
              continue;
            }
            fixes.push([rec, i]);
          }
          if (above || mine) changed.set(rec, new Set([...(above || []), ...(mine || [])].filter((i) => IS_INHERITED[i])));
        }
        mismatches = fixes.length;
        if (!fixes.length && !deferred.length) break;
        for (const [rec, i] of fixes) {
          if (rec.decl.has(i) || !setDecl(rec, i)) failed.add(rec.index * PROPS.length + i);
        }
        // Next round: fixed and deferred records in full; below a fix, an ancestor's change
        // can only reach inherited properties and those the user-agent stylesheet ties to it.
        const next = new Map(deferred.map((rec) => [rec, allIndices]));
        const inheritedFixes = new Set(fixes.filter(([, i]) => IS_INHERITED[i]).map(([, i]) => i));
        const below = [...new Set([...firstCheck, ...inheritedFixes])];
        for (const [rec] of fixes) {
          next.set(rec, allIndices);
          for (let j = rec.index + 1; j < rec.end; j++) {
            const child = records[j];
            if (!next.has(child)) next.set(child, child.fullCheck ? allIndices : below);
          }
        }
        checks = next;
        dirty = Array.from(next.keys()).sort((a, b) => a.index - b.index);
      }
      const tRepair = performance.now();

      // Complete mostly-present shorthand groups so they can be written as one declaration.
      for (const rec of NAIVE ? [] : records) {
        for (const group of SHORTHANDS) {
          const idx = group.longhands.map((p) => INDEX.get(p));
          if (idx.includes(undefined)) continue;
          const present = idx.filter((i) => rec.decl.has(i)).length;
          if (present < 2 || present === idx.length) continue;
          for (const i of idx) if (!rec.decl.has(i)) setDecl(rec, i);
        }
      }

      let declarations = 0;
      let elements = 0;
      for (const rec of records) {
        elements++;
        const entries = NAIVE ? [...rec.decl].map(([i, v]) => `${PROPS[i]}: ${v}`) : serialise(rec.decl);
        if (!entries.length) {
          rec.dst.removeAttribute("style");
          continue;
        }
        declarations += entries.length;
        rec.dst.setAttribute("style", entries.join("; ") + ";");
      }
      hide.remove();
      const meta = out.createElement("meta");
      meta.setAttribute("charset", "utf-8");
      outHead.appendChild(meta);
      if (metaViewport) {
        const vp = out.createElement("meta");
        vp.setAttribute("name", "viewport");
        vp.setAttribute("content", metaViewport.getAttribute("content") || "");
        outHead.appendChild(vp);
      }
      if (info.title) {
        const t = out.createElement("title");
        t.textContent = info.title;
        outHead.appendChild(t);
      }
      if (info.description) {
        const d = out.createElement("meta");
        d.setAttribute("name", "description");
        d.setAttribute("content", info.description);
        outHead.appendChild(d);
      }
      const html = (doctype ? doctype + "\n" : "") + outRoot.outerHTML;
      const tEnd = performance.now();
      return Object.assign(info, {
        html,
        stats: Object.assign(stats, {
          elements,
          declarations,
          properties_compared: PROPS.length,
          properties_verified_first: firstCheck.length,
          repair_rounds: rounds,
          records_checked_per_round: roundSizes,
          unresolved: mismatches,
          ms_walk: Math.round(tWalk - t0),
          ms_repair: Math.round(tRepair - tWalk),
          ms_total: Math.round(tEnd - t0),
        }),
      });
    } finally {
      if (savedRootStyle === null) root.removeAttribute("style");
      else root.setAttribute("style", savedRootStyle);
      frame.remove();
    }
  }

  // Declarations (index -> value) as "name: value" strings in property order, with
  // complete shorthand groups joined. Written by hand rather than read from cssText, which
  // would round numbers to six digits again.
  function serialise(decl) {
    const byName = new Map();
    for (const [i, value] of decl) byName.set(PROPS[i], shortenColours(value));
    const joined = new Map();
    for (const group of SHORTHANDS) {
      if (!group.longhands.every((p) => byName.has(p))) continue;
      const text = group.join(group.longhands.map((p) => byName.get(p)));
      if (text !== null) joined.set(group.name, text);
    }
    // `border` also resets border-image, so it is only written when that is not declared.
    const borderImage = [...byName.keys()].some((p) => p.startsWith("border-image"));
    const sides = (g) => SHORTHANDS.find((x) => x.name === g).longhands.map((p) => byName.get(p));
    const uniform = (g) => sides(g).every((v) => v !== undefined && v === sides(g)[0]);
    if (!borderImage && BORDER_PARTS.every(uniform)) {
      joined.set("border", BORDER_PARTS.map((g) => sides(g)[0]).join(" "));
      BORDER_PARTS.forEach((g) => joined.delete(g));
    }
    const owner = new Map();
    for (const group of SHORTHANDS) {
      const name = joined.has(group.name) ? group.name : BORDER_PARTS.includes(group.name) && joined.has("border") ? "border" : null;
      if (name) group.longhands.forEach((p) => owner.set(p, name));
    }
    const out = [];
    const written = new Set();
    for (const [name, value] of [...byName].sort((a, b) => INDEX.get(a[0]) - INDEX.get(b[0]))) {
      const group = owner.get(name);
      if (!group) out.push(`${name}: ${value}`);
      else if (!written.has(group)) {
        written.add(group);
        out.push(`${group}: ${joined.get(group)}`);
      }
    }
    return out;
  }

  function shortenColours(css) {
    return css.replace(/rgb\((\d+), (\d+), (\d+)\)/g, (_, r, g, b) => {
      const hex = [r, g, b].map((n) => Number(n).toString(16).padStart(2, "0")).join("");
      const short = hex[0] === hex[1] && hex[2] === hex[3] && hex[4] === hex[5];
      return "#" + (short ? hex[0] + hex[2] + hex[4] : hex);
    });
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

  if (args.mode === "defaults") return defaultsTable(args.tags);
  return capture();
}
