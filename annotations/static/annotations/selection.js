// Turn the current text selection inside an article text element into code point
// offsets, as the server counts them. Used by the annotate and re-attach pages: segments
// carry data-start, the text root carries data-length, spaces at either end are left out.
(function () {
  "use strict";

  // Code points in a string (a surrogate pair counts once), as the server counts them.
  const codePoints = (s) => Array.from(s).length;

  // Offset (code points from the article start) of a DOM boundary point inside the text.
  function pointToOffset(root, node, offset) {
    if (node.nodeType !== Node.TEXT_NODE) {
      if (node !== root && !root.contains(node)) return null;
      // An element boundary: the point sits just before child[offset], or at its end.
      const child = node.childNodes[offset];
      if (child && child.nodeType === Node.TEXT_NODE) return pointToOffset(root, child, 0);
      if (child) {
        const first = child.matches("[data-start]") ? child : child.querySelector("[data-start]");
        if (first) return Number(first.dataset.start);
      }
      if (node === root) return Number(root.dataset.length);
      const seg = node.closest("[data-start]");
      return seg ? Number(seg.dataset.start) + codePoints(seg.textContent) : null;
    }
    const seg = node.parentElement.closest("[data-start]");
    if (!seg || !root.contains(seg)) return null;
    // UTF-16 units into the segment: the text nodes before this one, then the offset.
    let within = 0;
    const walker = document.createTreeWalker(seg, NodeFilter.SHOW_TEXT);
    let n;
    while ((n = walker.nextNode()) && n !== node) within += n.data.length;
    within += offset;
    return Number(seg.dataset.start) + codePoints(seg.textContent.slice(0, within));
  }

  // {empty: true}, {error: "..."} or {start, end, quote, rect, range}.
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
    // Leave out spaces and line breaks at either end, as a careful reader would.
    while (start < end && /\s/u.test(chars[start])) start++;
    while (end > start && /\s/u.test(chars[end - 1])) end--;
    if (start >= end) return { error: "Select some words, not just spaces." };
    return {
      start: start,
      end: end,
      quote: chars.slice(start, end).join(""),
      rect: range.getBoundingClientRect(),
      range: range.cloneRange(),
    };
  }

  // The DOM point at a code point offset: the segment holding it, then the UTF-16 index
  // inside its text node. The inverse of pointToOffset, for ranges made from offsets.
  function pointAt(root, offset) {
    const segs = root.querySelectorAll(".seg[data-start]");
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (Number(segs[mid].dataset.start) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const seg = segs[lo];
    if (!seg) return null;
    const node = seg.firstChild || seg;
    const chars = Array.from(seg.textContent);
    const within = Math.max(0, Math.min(chars.length, offset - Number(seg.dataset.start)));
    return { node: node, offset: chars.slice(0, within).join("").length };
  }

  function rangeOf(root, start, end) {
    const a = pointAt(root, start);
    const b = pointAt(root, end);
    if (!a || !b) return null;
    const range = document.createRange();
    range.setStart(a.node, a.offset);
    range.setEnd(b.node, b.offset);
    return range;
  }

  window.WorkbenchSelection = { read: read, codePoints: codePoints, pointAt: pointAt, rangeOf: rangeOf };
})();
