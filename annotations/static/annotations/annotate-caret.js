// Annotate page, keyboard-only annotating: a caret in the article text. Tab to the text (or
// press c), ←/→ move by word, [ and ] by sentence, Shift extends, then 1/2/3 as with a
// mouse selection. The caret sets the real selection, so the offsets are read the same way.
(function () {
  "use strict";

  const D = window.WorkbenchDesk;
  const S = window.WorkbenchSelection;
  const root = D.textRoot();
  if (!root || !D.$(".workbench") || D.$(".workbench").dataset.annotate !== "on") return;
  let chars = null; // the text as code points, read once
  let anchor = 0;
  let focus = 0;
  let placed = false; // the caret has a place (so focusing the text again keeps it)
  let used = false; // the last selection came from the keyboard

  const text = () => chars || (chars = Array.from(root.textContent));
  const isSpace = (c) => c !== undefined && /\s/u.test(c);
  const ends = (c) => c === "." || c === "!" || c === "?" || c === "…";
  const closers = (c) => c === '"' || c === "”" || c === "’" || c === ")" || c === "»";

  // Word ends and starts, and sentence ends and starts, as code point offsets.
  function wordEnd(i) {
    const t = text();
    while (i < t.length && isSpace(t[i])) i++;
    while (i < t.length && !isSpace(t[i])) i++;
    return i;
  }
  function nextWordStart(i) {
    const t = text();
    while (i < t.length && !isSpace(t[i])) i++;
    while (i < t.length && isSpace(t[i])) i++;
    return i;
  }
  function prevWordStart(i) {
    const t = text();
    while (i > 0 && isSpace(t[i - 1])) i--;
    while (i > 0 && !isSpace(t[i - 1])) i--;
    return i;
  }
  function sentenceEnd(i) {
    const t = text();
    while (i < t.length && isSpace(t[i])) i++;
    while (i < t.length) {
      if (t[i] === "\n") return i;
      if (ends(t[i]) && (i + 1 >= t.length || isSpace(t[i + 1]) || closers(t[i + 1]))) {
        i++;
        while (i < t.length && closers(t[i])) i++;
        return i;
      }
      i++;
    }
    return i;
  }
  function nextSentenceStart(i) {
    const t = text();
    i = sentenceEnd(i);
    while (i < t.length && isSpace(t[i])) i++;
    return i;
  }
  function prevSentenceStart(i) {
    const t = text();
    let j = i;
    while (j > 0 && isSpace(t[j - 1])) j--;
    // Back to the start of this sentence; if already there, of the one before.
    let k = j > 0 ? j - 1 : 0;
    while (k > 0 && !(t[k - 1] === "\n" || (isSpace(t[k - 1]) && k - 2 >= 0 && (ends(t[k - 2]) || closers(t[k - 2]))))) k--;
    if (k === i && i > 0) return prevSentenceStart(k - 1 > 0 ? k - 1 : 0);
    return k;
  }

  function show() {
    const a = S.pointAt(root, anchor);
    const f = S.pointAt(root, focus);
    if (!a || !f) return;
    const sel = window.getSelection();
    sel.setBaseAndExtent(a.node, a.offset, f.node, f.offset);
    if (window.CSS && CSS.highlights && typeof Highlight !== "undefined") {
      const caret = S.rangeOf(root, focus, Math.min(text().length, focus + 1));
      if (caret && anchor === focus) CSS.highlights.set("desk-caret", new Highlight(caret));
      else CSS.highlights.delete("desk-caret");
    }
    const node = f.node.nodeType === Node.TEXT_NODE ? f.node.parentElement : f.node;
    if (node && node.getBoundingClientRect) {
      const r = node.getBoundingClientRect();
      if (r.top < 60 || r.bottom > window.innerHeight - 60) node.scrollIntoView({ block: "center" });
    }
    D.onSelectionDone();
  }

  // The caret starts at the first word on screen, so it begins where the reader is.
  function start() {
    const segs = root.querySelectorAll(".seg[data-start]");
    let at = 0;
    for (const seg of segs) {
      const r = seg.getBoundingClientRect();
      if (r.bottom > 0 && r.height > 0) {
        at = Number(seg.dataset.start);
        break;
      }
    }
    anchor = focus = isSpace(text()[at]) ? nextWordStart(at) : at;
    placed = used = true;
    root.focus({ preventScroll: true });
    show();
  }

  root.addEventListener("focus", () => {
    // A click focuses the text too; the mouse makes its own selection then.
    if (!root.matches(":focus-visible")) return;
    const sel = window.getSelection();
    if (sel && sel.rangeCount && !sel.isCollapsed && root.contains(sel.anchorNode)) return;
    if (placed) show();
    else start();
  });
  root.addEventListener("blur", () => {
    if (window.CSS && CSS.highlights) CSS.highlights.delete("desk-caret");
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "c" && !D.isTyping(event.target) && document.activeElement !== root) {
      const box = D.formBox();
      if (box && !box.hidden) return;
      start();
      event.preventDefault();
      return;
    }
    if (document.activeElement !== root) return;
    const moves = {
      ArrowRight: () => (event.shiftKey ? wordEnd(focus) : nextWordStart(focus)),
      ArrowLeft: () => prevWordStart(focus),
      BracketRight: () => (event.shiftKey ? sentenceEnd(focus) : nextSentenceStart(focus)),
      BracketLeft: () => prevSentenceStart(focus),
      Home: () => 0,
      End: () => text().length,
    };
    const move = moves[event.code] || moves[event.key];
    if (!move) {
      if (event.key === "Escape") {
        anchor = focus;
        show();
      }
      return;
    }
    event.preventDefault();
    used = true;
    focus = move();
    if (!event.shiftKey) anchor = focus;
    show();
  });

  // Back to the caret after the form closes, if that is where the reader came from.
  root.addEventListener("mouseup", () => {
    used = false;
  });
  document.addEventListener("desk:form-closed", () => {
    if (!used) return;
    anchor = focus;
    root.focus({ preventScroll: true });
  });
  D.caretActive = () => used && document.activeElement === root;
  // A save redraws chunks, not the text; its characters stay the same.
  D.caretOffsets = () => ({ anchor: anchor, focus: focus });
})();
