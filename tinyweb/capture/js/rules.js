// A fragment of the in-page capture script: tinyweb/capture/__init__.py joins the files of
// this folder, in the order it lists, into one function body `(args) => { ... }`.
// Constants: which tags, attributes and properties the capture treats specially.

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
