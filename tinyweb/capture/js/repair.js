// A fragment of the in-page capture script: tinyweb/capture/__init__.py joins the files of
// this folder, in the order it lists, into one function body `(args) => { ... }`.
// Decide each element's declarations: a guess from defaults and inheritance, then verify
// against the original's computed values and repair until they agree.

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

  // setDecl(rec, i): declare property i on a record's styled element; false when rejected.
  function declarer(stats) {
    return function setDecl(rec, i) {
      const name = PROPS[i];
      const value = declaredValue(rec, i);
      rec.dst.style.setProperty(name, value);
      if (rec.dst.style.getPropertyValue(name) === "") {
        stats.rejected++;
        return false;
      }
      rec.decl.set(i, value);
      return true;
    };
  }

  // Properties not compared on materialised pseudo-elements (see TYPED).
  function notOnPseudoIndices() {
    return new Set([CONTENT_I, ...TYPED.map((p) => INDEX.get(p))]);
  }

  // Initial guess: what differs from the tag default, or from the parent when inherited.
  function guessDeclarations(records, defaults, setDecl) {
    const bodyDefaults = defaults.get("body");
    const notOnPseudo = notOnPseudoIndices();
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
  }

  // Only what the user-agent stylesheet or another property can change needs checking at
  // first: everything else is exactly predicted by the guess.
  function firstCheckIndices(defaults) {
    const baseline = defaults.get(BASELINE_KEY);
    const indices = [];
    for (let i = 0; i < PROPS.length; i++) {
      let touched = DEPENDENT.has(PROPS[i]) || CURRENT_COLOR.has(PROPS[i]);
      for (const row of defaults.values()) if (row[i] !== baseline[i]) touched = true;
      if (touched) indices.push(i);
    }
    return indices;
  }

  // Verify and repair until the styled copy computes what the original computed.
  function verifyAndRepair(records, firstCheck, setDecl) {
    const allIndices = PROPS.map((_, i) => i);
    const notOnPseudo = notOnPseudoIndices();
    const failed = new Set();
    const roundSizes = [];
    let dirty = records;
    let checks = null; // after round 1: which properties to check on each dirty record
    let rounds = 0;
    let unresolved = 0;
    while (dirty.length && rounds < MAX_ROUNDS) {
      rounds++;
      roundSizes.push(dirty.length);
      const fixes = [];
      const deferred = [];
      // Per record, the inherited properties that differ on it or on an ancestor this round:
      // a descendant that differs in one of them may just be inheriting the old value.
      const changed = new Map();
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
      unresolved = fixes.length;
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
    return { rounds, unresolved, roundSizes };
  }

  // Complete mostly-present shorthand groups with their (equal) computed values so they
  // can be written as one declaration.
  function completeShorthands(records, setDecl) {
    for (const rec of records) {
      for (const group of SHORTHANDS) {
        const idx = group.longhands.map((p) => INDEX.get(p));
        if (idx.includes(undefined)) continue;
        const present = idx.filter((i) => rec.decl.has(i)).length;
        if (present < 2 || present === idx.length) continue;
        for (const i of idx) if (!rec.decl.has(i)) setDecl(rec, i);
      }
    }
  }
