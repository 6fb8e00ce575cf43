// Annotate page: turn a text selection into code point offsets, open the verdict form in a
// panel that stays in view, move between annotations. The server re-checks every offset.
// annotate-cards.js, annotate-draft.js and annotate-caret.js use window.WorkbenchDesk.
(function () {
  "use strict";

  const VERDICT_KEYS = { 1: "verified", 2: "disputed", 3: "opinion" };
  let pending = null; // {start, end, quote, rect, range} of the current selection
  let clickCycle = { key: "", index: 0 };

  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const textRoot = () => $("#article-text .article-text");
  const workbench = () => $(".workbench");
  const canAnnotate = () => workbench() && workbench().dataset.annotate === "on";
  const formBox = () => $("#annotation-form");
  const narrow = () => window.matchMedia("(max-width: 900px)").matches;

  function isTyping(el) {
    if (!el) return false;
    const tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  // The selection in the article text as code point offsets (selection.js loads first).
  const readSelection = () => window.WorkbenchSelection.read(textRoot());

  function showMessage(text) {
    const box = $("#selection-message");
    if (!box) return;
    box.textContent = text || "";
    box.hidden = !text;
  }

  // The verdict toolbar goes under the selection, or above it near the window's bottom.
  function placeAdder(adder, rect) {
    const host = $(".reading");
    if (!adder || !host || !rect) return;
    const hostRect = host.getBoundingClientRect();
    const below = rect.bottom + 8 + adder.offsetHeight <= window.innerHeight;
    const top = below ? rect.bottom - hostRect.top + 8 : rect.top - hostRect.top - adder.offsetHeight - 8;
    const maxLeft = Math.max(0, host.clientWidth - adder.offsetWidth);
    adder.style.top = top + "px";
    adder.style.left = Math.min(Math.max(0, rect.left - hostRect.left), maxLeft) + "px";
  }

  // The form is a fixed panel (CSS): beside the text on wide windows, a bottom sheet on
  // narrow ones. There, scroll the passage into the part of the window left above it.
  function keepPassageVisible(box, rect) {
    if (!rect || !narrow()) return;
    const room = window.innerHeight - box.offsetHeight;
    if (rect.top < 8 || rect.bottom > room - 8) {
      window.scrollBy({ top: rect.top - Math.max(8, (room - rect.height) / 3), behavior: "instant" });
    }
  }

  // Keep the chosen passage visibly marked while focus is in the form (the browser's own
  // selection fades once the note field has focus). No DOM change, so offsets stay put.
  function markPending(range) {
    if (!window.CSS || !CSS.highlights || typeof Highlight === "undefined") return;
    if (range) CSS.highlights.set("pending-annotation", new Highlight(range));
    else CSS.highlights.delete("pending-annotation");
  }

  function hideAdder() {
    const adder = $("#adder");
    if (adder) adder.hidden = true;
  }

  function onSelectionDone() {
    if (!canAnnotate()) return;
    const box = formBox();
    if (box && !box.hidden && box.contains(document.activeElement)) return;
    const picked = readSelection();
    if (picked.empty || picked.error) {
      pending = null;
      hideAdder();
      showMessage(picked.error || "");
      return;
    }
    showMessage("");
    pending = picked;
    const adder = $("#adder");
    if (adder) {
      adder.hidden = false;
      placeAdder(adder, picked.rect);
    }
  }

  function setVerdict(form, verdict) {
    const radio = form && form.querySelector('input[name="verdict"][value="' + verdict + '"]');
    if (radio) radio.checked = true;
  }

  function resetNewForm(box) {
    const form = box.querySelector("form");
    form.reset();
    $$(".field-error, .form-problem", box).forEach((el) => el.remove());
    $$(".evidence-row", box).slice(1).forEach((r) => r.remove());
  }

  // A copy of the blank "new annotation" form, put back when an edit form is closed.
  let blankForm = null;
  function rememberBlankForm() {
    const box = formBox();
    if (box && box.dataset.mode === "new") blankForm = box.cloneNode(true);
    // Opened on an edit ("Edit and resubmit"): the page sends the blank form alongside.
    const spare = document.getElementById("blank-annotation-form");
    if (!blankForm && spare) blankForm = spare.content.firstElementChild.cloneNode(true);
  }

  function restoreBlankForm() {
    const box = formBox();
    if (!box || !blankForm) return box;
    const fresh = blankForm.cloneNode(true);
    fresh.hidden = true;
    box.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    return fresh;
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function showForm(box, rect) {
    box.hidden = false;
    keepPassageVisible(box, rect);
    const note = box.querySelector("textarea");
    if (note) note.focus({ preventScroll: true });
  }

  // Open the new-annotation form on `span` ({start, end, quote, range?, rect?}).
  function openNewForm(verdict, span) {
    span = span || pending;
    if (!span) return null;
    const box = restoreBlankForm();
    if (!box) return null;
    resetNewForm(box);
    const form = box.querySelector("form");
    form.elements.start.value = span.start;
    form.elements.end.value = span.end;
    form.elements.quote.value = span.quote;
    // One key per draft: the server stores a draft sent twice only once.
    if (form.elements.client_key) form.elements.client_key.value = span.key || newKey();
    const preview = box.querySelector('[data-role="quote-preview"]');
    if (preview) preview.textContent = span.quote;
    if (verdict) setVerdict(form, verdict);
    markPending(span.range || null);
    hideAdder();
    showForm(box, span.rect);
    document.dispatchEvent(new CustomEvent("desk:form-opened", { detail: { box: box } }));
    return box;
  }

  // Esc and Cancel close the form; the draft stays in the browser (annotate-draft.js).
  function closeForm() {
    const box = formBox();
    markPending(null);
    hideAdder();
    showMessage("");
    if (!box) return;
    // Blur now: hiding a focused field moves focus only at the next frame, and that late
    // blur would drop a selection the reader makes right after closing the form.
    if (box.contains(document.activeElement)) document.activeElement.blur();
    box.hidden = true;
    if (box.dataset.mode === "edit") restoreBlankForm();
    document.dispatchEvent(new CustomEvent("desk:form-closed"));
  }

  function highlightsOf(id) {
    return $$("#article-text [data-ids]").filter((el) => el.dataset.ids.split(" ").includes(String(id)));
  }

  function markCurrent(id) {
    $$("#article-text .is-current").forEach((el) => el.classList.remove("is-current"));
    const marks = highlightsOf(id);
    marks.forEach((el) => el.classList.add("is-current"));
    return marks;
  }

  document.addEventListener("mouseup", (event) => {
    if (event.target.closest && event.target.closest("#adder, #annotation-form, dialog")) return;
    // Let the browser finish updating the selection first.
    window.setTimeout(onSelectionDone, 0);
  });

  document.addEventListener("click", (event) => {
    const target = event.target;
    const verdictButton = target.closest("#adder [data-verdict]");
    if (verdictButton) {
      openNewForm(verdictButton.dataset.verdict);
      return;
    }
    const action = target.closest("[data-action]");
    if (action) {
      if (action.dataset.action === "close-form") closeForm();
      return;
    }
    const mark = target.closest("#article-text [data-ids]");
    const sel = window.getSelection();
    if (mark && (!sel || sel.isCollapsed) && window.WorkbenchDesk.focusCardById) {
      // Repeated clicks on the same overlap cycle through its annotations, innermost first.
      const ids = mark.dataset.ids.split(" ").reverse();
      const key = mark.dataset.ids;
      clickCycle = clickCycle.key === key ? { key, index: (clickCycle.index + 1) % ids.length } : { key, index: 0 };
      window.WorkbenchDesk.focusCardById(ids[clickCycle.index]);
    }
  });

  document.addEventListener("keydown", (event) => {
    const box = formBox();
    const inForm = box && !box.hidden && box.contains(event.target);
    if (inForm && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      const form = box.querySelector("form");
      if (form) form.requestSubmit();
      event.preventDefault();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {
      if ($("dialog[open]")) return;
      if ((box && !box.hidden) || !$("#adder")?.hidden) {
        closeForm();
        event.preventDefault();
      }
      return;
    }
    if (isTyping(event.target)) return;
    if (VERDICT_KEYS[event.key] && canAnnotate()) {
      const verdict = VERDICT_KEYS[event.key];
      if (box && !box.hidden) {
        setVerdict(box.querySelector("form"), verdict);
        event.preventDefault();
        return;
      }
      onSelectionDone();
      if (pending) {
        openNewForm(verdict);
        event.preventDefault();
      }
    }
  });

  // Keyboard selections (shift + arrows) end with a keyup, not a mouseup.
  document.addEventListener("keyup", (event) => {
    if (event.shiftKey && !isTyping(event.target)) onSelectionDone();
  });

  rememberBlankForm();
  // Opened straight on an edit form: it is in view, its note field ready.
  if (formBox() && !formBox().hidden && formBox().dataset.mode === "edit") {
    window.requestAnimationFrame(() => focusOpenEdit(formBox()));
    // A field cannot take focus before it is laid out: if the stylesheets were still
    // loading at that frame, focus stayed on the body. Try again once the page has loaded.
    window.addEventListener("load", () => {
      if (document.activeElement === document.body) focusOpenEdit(formBox());
    });
  }
  // A fresh CSRF token (after logging in again) goes into the kept blank form too.
  document.addEventListener("desk:csrf", (event) => {
    if (!blankForm) return;
    blankForm.querySelectorAll('input[name="csrfmiddlewaretoken"]').forEach((i) => (i.value = event.detail.token));
  });

  document.body.addEventListener("htmx:afterSwap", (event) => {
    const box = formBox();
    if (!box || event.detail.target.id !== "annotation-form") return;
    if (box.hidden) {
      markPending(null);
      rememberBlankForm();
      pending = null;
      document.dispatchEvent(new CustomEvent("desk:form-closed"));
      return;
    }
    let rect = null;
    if (box.dataset.mode === "edit") {
      const mark = markCurrent(box.dataset.annotation)[0];
      if (mark) rect = mark.getBoundingClientRect();
    }
    box.hidden = false;
    keepPassageVisible(box, rect);
    const problem = box.querySelector(".form-problem, .field-error");
    const first = problem ? box.querySelector(".has-error input, textarea, input[type=radio]") : box.querySelector("textarea");
    if (first) first.focus({ preventScroll: true });
    document.dispatchEvent(new CustomEvent("desk:form-opened", { detail: { box: box } }));
  });

  function focusOpenEdit(box) {
    const mark = markCurrent(box.dataset.annotation)[0];
    if (mark) mark.scrollIntoView({ block: "center" });
    const note = box.querySelector("textarea");
    if (note) note.focus({ preventScroll: true });
  }

  window.WorkbenchDesk = Object.assign(window.WorkbenchDesk || {}, {
    $: $,
    $$: $$,
    textRoot: textRoot,
    formBox: formBox,
    isTyping: isTyping,
    onSelectionDone: onSelectionDone,
    openNewForm: openNewForm,
    closeForm: closeForm,
    setVerdict: setVerdict,
    markCurrent: markCurrent,
    highlightsOf: highlightsOf,
  });
})();
