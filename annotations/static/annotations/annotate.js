// Annotate page: turn a text selection into code point offsets, open the verdict form,
// move between annotations from the keyboard. The server re-checks every offset.
(function () {
  "use strict";

  const VERDICT_KEYS = { 1: "verified", 2: "disputed", 3: "opinion" };
  let pending = null; // {start, end, quote, rect} of the current selection
  let lastPosition = null; // where the form was shown, re-applied after htmx swaps it
  let clickCycle = { key: "", index: 0 };

  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const textRoot = () => $("#article-text .article-text");
  const workbench = () => $(".workbench");
  const canAnnotate = () => workbench() && workbench().dataset.annotate === "on";
  const formBox = () => $("#annotation-form");

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

  // Place an absolutely positioned box under a viewport rect, inside the reading column.
  function placeUnder(box, rect) {
    const host = $(".reading");
    if (!box || !host || !rect) return;
    const hostRect = host.getBoundingClientRect();
    const top = rect.bottom - hostRect.top + 8;
    const maxLeft = Math.max(0, host.clientWidth - box.offsetWidth);
    const left = Math.min(Math.max(0, rect.left - hostRect.left), maxLeft);
    box.style.top = top + "px";
    box.style.left = left + "px";
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
    if (picked.empty) {
      pending = null;
      hideAdder();
      return;
    }
    if (picked.error) {
      pending = null;
      hideAdder();
      showMessage(picked.error);
      return;
    }
    showMessage("");
    pending = picked;
    const adder = $("#adder");
    if (adder) {
      adder.hidden = false;
      placeUnder(adder, picked.rect);
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
    const rows = $$(".evidence-row", box);
    rows.slice(1).forEach((r) => r.remove());
  }

  // A copy of the blank "new annotation" form, put back when an edit form is closed.
  let blankForm = null;
  function rememberBlankForm() {
    const box = formBox();
    if (box && box.dataset.mode === "new") blankForm = box.cloneNode(true);
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

  function openNewForm(verdict) {
    if (!pending) return;
    const box = restoreBlankForm();
    if (!box) return;
    resetNewForm(box);
    const form = box.querySelector("form");
    form.elements.start.value = pending.start;
    form.elements.end.value = pending.end;
    form.elements.quote.value = pending.quote;
    const preview = box.querySelector('[data-role="quote-preview"]');
    if (preview) preview.textContent = pending.quote;
    setVerdict(form, verdict);
    markPending(pending.range);
    hideAdder();
    box.hidden = false;
    lastPosition = pending.rect;
    placeUnder(box, pending.rect);
    const note = form.elements.note;
    if (note) note.focus({ preventScroll: true });
  }

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
  }

  function cards() {
    return $$("#annotation-panel .cards:not(.orphans) > .card");
  }

  function highlightsOf(id) {
    return $$("#article-text [data-ids]").filter((el) => el.dataset.ids.split(" ").includes(String(id)));
  }

  function focusCard(card, opts) {
    if (!card) return;
    $$(".card.is-current").forEach((c) => c.classList.remove("is-current"));
    $$("#article-text .is-current").forEach((el) => el.classList.remove("is-current"));
    card.classList.add("is-current");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest", behavior: "smooth" });
    const marks = highlightsOf(card.dataset.id);
    marks.forEach((el) => el.classList.add("is-current"));
    if (opts && opts.scrollText && marks[0]) {
      marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
    }
  }

  function moveCard(step) {
    const list = cards();
    if (!list.length) return;
    const current = list.indexOf(document.activeElement.closest ? document.activeElement.closest(".card") : null);
    const currentIndex = current >= 0 ? current : list.findIndex((c) => c.classList.contains("is-current"));
    let next = currentIndex < 0 ? (step > 0 ? 0 : list.length - 1) : currentIndex + step;
    next = Math.max(0, Math.min(list.length - 1, next));
    focusCard(list[next], { scrollText: true });
  }

  function openCard(card) {
    if (!card) return;
    const edit = card.querySelector('[data-action="edit"]');
    if (edit) {
      edit.click();
    } else {
      focusCard(card, { scrollText: true });
    }
  }

  // Evidence rows: add / remove.
  function addEvidenceRow(form) {
    const list = form.querySelector('[data-role="evidence-rows"]');
    const first = list.querySelector(".evidence-row");
    const row = first.cloneNode(true);
    row.classList.remove("has-error");
    $$(".field-error", row).forEach((e) => e.remove());
    $$("input", row).forEach((i) => (i.value = ""));
    list.appendChild(row);
    row.querySelector("input").focus();
  }

  function removeEvidenceRow(button) {
    const row = button.closest(".evidence-row");
    const list = row.parentElement;
    if (list.querySelectorAll(".evidence-row").length > 1) {
      row.remove();
      const last = list.querySelector(".evidence-row:last-child input");
      if (last) last.focus();
    } else {
      $$("input", row).forEach((i) => (i.value = ""));
      $$(".field-error", row).forEach((e) => e.remove());
    }
  }

  document.addEventListener("mouseup", (event) => {
    if (event.target.closest && event.target.closest("#adder, #annotation-form")) return;
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
      const form = action.closest("form");
      if (action.dataset.action === "close-form") closeForm();
      if (action.dataset.action === "add-evidence" && form) addEvidenceRow(form);
      if (action.dataset.action === "remove-evidence") removeEvidenceRow(action);
      return;
    }
    const mark = target.closest("#article-text [data-ids]");
    const sel = window.getSelection();
    if (mark && (!sel || sel.isCollapsed)) {
      // Repeated clicks on the same overlap cycle through its annotations, innermost first.
      const ids = mark.dataset.ids.split(" ").reverse();
      const key = mark.dataset.ids;
      clickCycle = clickCycle.key === key ? { key, index: (clickCycle.index + 1) % ids.length } : { key, index: 0 };
      focusCard(document.getElementById("card-" + ids[clickCycle.index]));
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const box = formBox();
    if (event.key === "Escape") {
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
      return;
    }
    if (event.key === "j" || event.key === "k") {
      moveCard(event.key === "j" ? 1 : -1);
      event.preventDefault();
      return;
    }
    if (event.key === "Enter") {
      const card = event.target.closest && event.target.closest(".card");
      if (card && event.target === card) {
        openCard(card);
        event.preventDefault();
      }
    }
  });

  // Keyboard selections (shift + arrows) end with a keyup, not a mouseup.
  document.addEventListener("keyup", (event) => {
    if (event.shiftKey && !isTyping(event.target)) onSelectionDone();
  });

  rememberBlankForm();

  document.body.addEventListener("htmx:afterSwap", (event) => {
    const box = formBox();
    if (!box || event.detail.target.id !== "annotation-form") return;
    if (box.hidden) {
      markPending(null);
      rememberBlankForm();
      pending = null;
      return;
    }
    if (box.dataset.mode === "edit") {
      const mark = highlightsOf(box.dataset.annotation)[0];
      const card = document.getElementById("card-" + box.dataset.annotation);
      if (mark) lastPosition = mark.getBoundingClientRect();
      else if (card) lastPosition = null;
    }
    if (lastPosition) placeUnder(box, lastPosition);
    const problem = box.querySelector(".form-problem, .field-error");
    const first = problem ? box.querySelector(".has-error input, textarea, input[type=radio]") : box.querySelector("textarea");
    if (first) first.focus({ preventScroll: true });
  });

  document.body.addEventListener("htmx:afterSettle", () => {
    const panel = $("#annotation-panel");
    if (panel && panel.dataset.focus) {
      const card = document.getElementById("card-" + panel.dataset.focus);
      delete panel.dataset.focus;
      focusCard(card);
    }
  });
})();
