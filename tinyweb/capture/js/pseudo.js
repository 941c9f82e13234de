// A fragment of the in-page capture script: tinyweb/capture/__init__.py joins the files of
// this folder, in the order it lists, into one function body `(args) => { ... }`.
// ::before, ::after and ::first-letter, which become real elements.

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
