// A fragment of the in-page capture script: tinyweb/capture/__init__.py joins the files of
// this folder, in the order it lists, into one function body `(args) => { ... }`.
// The property list for a page, and reading computed values exactly.

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
