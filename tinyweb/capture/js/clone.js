// A fragment of the in-page capture script: tinyweb/capture/__init__.py joins the files of
// this folder, in the order it lists, into one function body `(args) => { ... }`.
// Build the styled copy: the same tree without scripts, hidden elements or unused attributes.

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

  // Walk the original (root hidden) and build the styled copy in `out`: one record per
  // element or materialised pseudo-element, in document order, with its computed values.
  // A record's descendants are records[index + 1 .. end - 1].
  function buildStyledCopy(out, frame, pseudoTransforms, firstLetters) {
    const root = document.documentElement;
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

    function addPseudoElement(el, which, dstParent, parentRec) {
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
      addRecord(null, span, parentRec, values, "span", true).end = records.length;
      stats.pseudo_elements++;
    }

    function addText(node, dst, rec, collapse) {
      const letter = firstLetters.get(node);
      if (letter) {
        const span = dst.appendChild(out.createElement("span"));
        span.textContent = node.data.slice(0, letter[0]);
        addRecord(null, span, rec, letter[1], "span", true).end = records.length;
        stats.pseudo_elements++;
      }
      const data = letter ? node.data.slice(letter[0]) : node.data;
      const text = collapse ? data.replace(/[ \t\n\r\f]+/g, (m) => (m.includes("\n") ? "\n" : " ")) : data;
      if (text) dst.appendChild(out.createTextNode(text));
    }

    function walk(src, dstParent, parentRec) {
      const tag = src.localName;
      if (src === frame || (src.namespaceURI === HTML_NS && SKIP_TAGS.has(tag))) return null;
      if (src !== root && getComputedStyle(src).getPropertyValue("display") === "none") {
        stats.hidden_removed++; // checked before the full read: hidden subtrees can be large
        return null;
      }
      const values = readStyle(src);
      const key = defaultKey(src) || tag;
      const dst = src.namespaceURI === HTML_NS
        ? out.createElement(RENAME[tag] || tag)
        : out.createElementNS(src.namespaceURI, src.tagName);
      copyAttributes(src, dst, key);
      if (dstParent) dstParent.appendChild(dst);
      const rec = addRecord(src, dst, parentRec, values, RENAME[tag] || key, false);
      if (tag === "textarea") {
        dst.textContent = src.value;
      } else {
        const collapse = collapsesSpace(values);
        for (const child of src.childNodes) {
          if (child.nodeType === Node.ELEMENT_NODE) walk(child, dst, rec);
          else if (child.nodeType === Node.TEXT_NODE) addText(child, dst, rec, collapse);
        }
      }
      if (!NAIVE && src.namespaceURI === HTML_NS && !NO_PSEUDO_TAGS.has(tag)) {
        addPseudoElement(src, "::before", dst, rec);
        addPseudoElement(src, "::after", dst, rec);
      }
      rec.end = records.length;
      return dst;
    }

    return { root: walk(root, null, null), records, keys, stats };
  }
