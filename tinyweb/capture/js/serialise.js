// A fragment of the in-page capture script: tinyweb/capture/__init__.py joins the files of
// this folder, in the order it lists, into one function body `(args) => { ... }`.
// Turn declarations into style attributes and finish the standalone document.

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

  // Write each record's declarations as its style attribute; returns the counts.
  function writeStyles(records) {
    let declarations = 0;
    for (const rec of records) {
      const entries = NAIVE ? [...rec.decl].map(([i, v]) => `${PROPS[i]}: ${v}`) : serialise(rec.decl);
      if (!entries.length) {
        rec.dst.removeAttribute("style");
        continue;
      }
      declarations += entries.length;
      rec.dst.setAttribute("style", entries.join("; ") + ";");
    }
    return { elements: records.length, declarations };
  }

  // The styled page's head: charset, viewport, title and description of the original.
  function writeHead(out, head, info, viewport) {
    const add = (tag, attributes, text) => {
      const el = out.createElement(tag);
      for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
      if (text) el.textContent = text;
      head.appendChild(el);
    };
    add("meta", { charset: "utf-8" });
    if (viewport) add("meta", { name: "viewport", content: viewport.getAttribute("content") || "" });
    if (info.title) add("title", {}, info.title);
    if (info.description) add("meta", { name: "description", content: info.description });
  }
