// A fragment of the in-page capture script: tinyweb/capture/__init__.py joins the files of
// this folder, in the order it lists, into one function body `(args) => { ... }`.
// The entry point, run by page.evaluate(STYLES_JS, args):
//
// args.mode === "defaults": returns {tag: {property: value}} measured in a clean
//   same-origin document with no author CSS (the table `tinyweb defaults` prints).
// args.mode === "capture" (default): returns {html, title, description, lang, charset, text,
//   stats} where html is a standalone document whose elements carry only `style` attributes.
//
// How it stays exact and small:
// 1. Computed values are read with the root set to display:none. Unrendered elements
//    report computed values (width: auto, 50%, repeat(3, 1fr)) instead of resolved pixel
//    values, so layout sizes that were never authored are not written out. The typed OM
//    fills in what that pass gets wrong (transform, min sizes, unitless line-height) and
//    numbers the string form rounds.
// 2. Each element starts with the properties that differ from its tag's default or, for
//    inherited properties, from its parent's value (repair.js: guessDeclarations).
// 3. Verify and repair: the styled copy is built in a clean same-origin iframe; every
//    element's computed style there is compared with the original's and any property that
//    differs is added back, until nothing differs (equal computed values on the same tree
//    render the same).
// 4. Complete shorthand groups are written as one declaration, colours as hex.

  function capture() {
    const t0 = performance.now();
    if (!NAIVE) useProperties(pageProperties());
    const root = document.documentElement;
    const info = {
      title: (document.title || "").trim(),
      description: (document.querySelector('meta[name="description" i]')?.getAttribute("content") || "").trim(),
      lang: root.getAttribute("lang") || "",
      charset: document.characterSet,
      text: (document.body || root).innerText || "",
    };
    const doctype = doctypeString(document.doctype);
    const frame = cleanFrame(doctype);
    const pseudoTransforms = NAIVE ? null : readPseudoTransforms();
    const savedRootStyle = root.getAttribute("style");
    if (!NAIVE) root.style.setProperty("display", "none", "important");
    try {
      const out = frame.contentDocument;
      const firstLetters = NAIVE ? new Map() : firstLetterTargets();
      const copy = buildStyledCopy(out, frame, pseudoTransforms, firstLetters);
      const head = out.createElement("head");
      const hide = head.appendChild(out.createElement("style"));
      hide.textContent = HIDE_CSS;
      copy.root.insertBefore(head, copy.root.firstChild);
      out.replaceChild(copy.root, out.documentElement);
      const tWalk = performance.now();

      const defaultsFrame = cleanFrame(doctype);
      const defaults = measureDefaults(defaultsFrame.contentDocument, [...copy.keys, BASELINE_KEY]);
      defaultsFrame.remove();
      const setDecl = declarer(copy.stats);
      guessDeclarations(copy.records, defaults, setDecl);
      const firstCheck = firstCheckIndices(defaults);
      const repair = NAIVE ? { rounds: 0, unresolved: 0, roundSizes: [] } : verifyAndRepair(copy.records, firstCheck, setDecl);
      const tRepair = performance.now();
      if (!NAIVE) completeShorthands(copy.records, setDecl);

      const counts = writeStyles(copy.records);
      hide.remove();
      writeHead(out, head, info, document.querySelector('meta[name="viewport" i]'));
      const html = (doctype ? doctype + "\n" : "") + copy.root.outerHTML;
      return Object.assign(info, {
        html,
        stats: Object.assign(copy.stats, counts, {
          properties_compared: PROPS.length,
          properties_verified_first: firstCheck.length,
          repair_rounds: repair.rounds,
          records_checked_per_round: repair.roundSizes,
          unresolved: repair.unresolved,
          ms_walk: Math.round(tWalk - t0),
          ms_repair: Math.round(tRepair - tWalk),
          ms_total: Math.round(performance.now() - t0),
        }),
      });
    } finally {
      if (savedRootStyle === null) root.removeAttribute("style");
      else root.setAttribute("style", savedRootStyle);
      frame.remove();
    }
  }

  if (args.mode === "defaults") return defaultsTable(args.tags);
  return capture();
