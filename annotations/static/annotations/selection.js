// Turn the current text selection inside an article text element into code point
// offsets, as the server counts them. Same rules as the annotate page: segments carry
// data-start, the text root carries data-length, spaces at either end are left out.
(function () {
  "use strict";

  const codePoints = (s) => Array.from(s).length;

  function pointToOffset(root, node, offset) {
    let seg = null;
    let within = 0; // UTF-16 units into the segment's text
    if (node.nodeType === Node.TEXT_NODE) {
      seg = node.parentElement.closest("[data-start]");
      if (!seg || !root.contains(seg)) return null;
      const walker = document.createTreeWalker(seg, NodeFilter.SHOW_TEXT);
      let n;
      while ((n = walker.nextNode()) && n !== node) within += n.data.length;
      within += offset;
    } else if (node === root || root.contains(node)) {
      const child = node.childNodes[offset];
      if (!child) return Number(root.dataset.length);
      seg = child.nodeType === Node.ELEMENT_NODE
        ? child.closest("[data-start]") || child.querySelector("[data-start]")
        : child.parentElement.closest("[data-start]");
      if (!seg) return null;
    } else {
      return null;
    }
    return Number(seg.dataset.start) + codePoints(seg.textContent.slice(0, within));
  }

  // {empty: true}, {error: "..."} or {start, end, quote}.
  function read(root) {
    const sel = window.getSelection();
    if (!root || !sel || sel.rangeCount === 0 || sel.isCollapsed) return { empty: true };
    const range = sel.getRangeAt(0);
    const inStart = root.contains(range.startContainer);
    const inEnd = root.contains(range.endContainer);
    if (!inStart && !inEnd) return { empty: true };
    if (!inStart || !inEnd) return { error: "Select text inside the article only." };
    let start = pointToOffset(root, range.startContainer, range.startOffset);
    let end = pointToOffset(root, range.endContainer, range.endOffset);
    if (start === null || end === null) return { error: "Select text inside the article only." };
    const chars = Array.from(root.textContent);
    if (chars.length !== Number(root.dataset.length)) {
      return { error: "The page text is out of date; reload the page." };
    }
    while (start < end && /\s/u.test(chars[start])) start++;
    while (end > start && /\s/u.test(chars[end - 1])) end--;
    if (start >= end) return { error: "Select some words, not just spaces." };
    return { start: start, end: end, quote: chars.slice(start, end).join("") };
  }

  window.WorkbenchSelection = { read: read, codePoints: codePoints };
})();
