// Annotate page, the verdict form: evidence rows, errors that clear as the field changes,
// and the draft (passage, verdict, note, links) kept in this browser until the server
// confirms the save, so a closed tab, Esc or a failed request loses nothing.
(function () {
  "use strict";

  const D = window.WorkbenchDesk;
  const desk = D.$(".workbench");
  if (!desk) return;
  const KEY = "desk-draft:" + desk.dataset.article;

  function readDraft() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY) || "null");
    } catch (e) {
      return null;
    }
  }
  function writeDraft(draft) {
    try {
      if (draft) window.localStorage.setItem(KEY, JSON.stringify(draft));
      else window.localStorage.removeItem(KEY);
    } catch (e) {
      /* storage full or disabled: the form still works, only without a draft */
    }
    showDraftBar();
  }

  function formOf(box) {
    return box && box.querySelector("form");
  }

  // What the open form holds, as a draft.
  function snapshot(box) {
    const form = formOf(box);
    if (!form || !form.elements.note) return null;
    const draft = { mode: box.dataset.mode, note: form.elements.note.value, links: [] };
    const checked = form.querySelector('input[name="verdict"]:checked');
    draft.verdict = checked ? checked.value : "";
    D.$$(".evidence-row", form).forEach((row) => {
      const url = row.querySelector('input[name="evidence_url"]').value;
      const title = row.querySelector('input[name="evidence_title"]').value;
      if (url || title) draft.links.push({ url: url, title: title });
    });
    if (draft.mode === "edit") {
      draft.annotation = box.dataset.annotation;
      draft.quote = (box.querySelector(".form-quote") || {}).textContent || "";
    } else {
      draft.start = Number(form.elements.start.value);
      draft.end = Number(form.elements.end.value);
      draft.quote = form.elements.quote.value;
      draft.key = form.elements.client_key ? form.elements.client_key.value : "";
      if (!draft.quote) return null;
    }
    return draft;
  }

  function sameTarget(draft, box) {
    if (!draft || !box) return false;
    if (draft.mode === "edit") return box.dataset.mode === "edit" && box.dataset.annotation === String(draft.annotation);
    const form = formOf(box);
    return box.dataset.mode === "new" && Number(form.elements.start.value) === draft.start && Number(form.elements.end.value) === draft.end;
  }

  // Put a draft's verdict, note and links into the open form.
  function fill(box, draft) {
    const form = formOf(box);
    if (draft.key && form.elements.client_key) form.elements.client_key.value = draft.key;
    // A verdict key pressed just now wins over the draft's verdict.
    if (draft.verdict && !form.querySelector('input[name="verdict"]:checked')) D.setVerdict(form, draft.verdict);
    form.elements.note.value = draft.note || "";
    const rows = form.querySelector('[data-role="evidence-rows"]');
    const links = draft.links && draft.links.length ? draft.links : [{ url: "", title: "" }];
    while (rows.querySelectorAll(".evidence-row").length < links.length) addEvidenceRow(form, false);
    D.$$(".evidence-row", rows).forEach((row, i) => {
      const link = links[i] || { url: "", title: "" };
      row.querySelector('input[name="evidence_url"]').value = link.url;
      row.querySelector('input[name="evidence_title"]').value = link.title;
    });
  }

  function showDraftBar() {
    const bar = D.$("#draft-bar");
    if (!bar) return;
    const draft = readDraft();
    const box = D.formBox();
    const open = box && !box.hidden;
    bar.hidden = !draft || open;
    if (draft) {
      const quote = (draft.quote || "").slice(0, 80);
      bar.querySelector('[data-role="draft-quote"]').textContent = "“" + quote + (draft.quote.length > 80 ? "…”" : "”");
    }
  }

  let resumingEdit = false; // an edit draft fills the edit form only when asked to

  function resume() {
    const draft = readDraft();
    if (!draft) return;
    if (draft.mode === "edit") {
      resumingEdit = true;
      const url = desk.dataset.editUrl.replace("0", String(draft.annotation));
      window.htmx.ajax("GET", url, { target: "#annotation-form", swap: "outerHTML" });
      return;
    }
    const root = D.textRoot();
    const range = window.WorkbenchSelection.rangeOf(root, draft.start, draft.end);
    const rect = range ? range.getBoundingClientRect() : null;
    D.openNewForm(draft.verdict, { start: draft.start, end: draft.end, quote: draft.quote, key: draft.key, range: range, rect: rect });
  }

  // Evidence rows: add / remove.
  function addEvidenceRow(form, focus) {
    const list = form.querySelector('[data-role="evidence-rows"]');
    const row = list.querySelector(".evidence-row").cloneNode(true);
    row.classList.remove("has-error");
    D.$$(".field-error", row).forEach((e) => e.remove());
    D.$$("input", row).forEach((i) => (i.value = ""));
    list.appendChild(row);
    if (focus !== false) row.querySelector("input").focus();
  }

  function removeEvidenceRow(button) {
    const row = button.closest(".evidence-row");
    const list = row.parentElement;
    if (list.querySelectorAll(".evidence-row").length > 1) {
      row.remove();
      const last = list.querySelector(".evidence-row:last-child input");
      if (last) last.focus();
    } else {
      D.$$("input", row).forEach((i) => (i.value = ""));
      D.$$(".field-error", row).forEach((e) => e.remove());
    }
  }

  // An error belongs to the field it is about; once that field changes it is stale.
  function clearStaleErrors(field) {
    const row = field.closest(".evidence-row");
    if (row) {
      row.classList.remove("has-error");
      D.$$(".field-error", row).forEach((e) => e.remove());
    }
    const group = field.closest("fieldset");
    if (group) D.$$(":scope > .field-error", group).forEach((e) => e.remove());
    if (field.name === "note") {
      let next = field.nextElementSibling;
      while (next && next.classList.contains("field-error")) {
        const gone = next;
        next = next.nextElementSibling;
        gone.remove();
      }
    }
  }

  document.addEventListener("click", (event) => {
    const action = event.target.closest("[data-action]");
    if (!action) return;
    const form = action.closest("form");
    if (action.dataset.action === "add-evidence" && form) addEvidenceRow(form);
    if (action.dataset.action === "remove-evidence") {
      removeEvidenceRow(action);
      writeDraft(snapshot(D.formBox()) || readDraft());
    }
    if (action.dataset.action === "resume-draft") resume();
    if (action.dataset.action === "discard-draft") writeDraft(null);
  });

  ["input", "change"].forEach((type) =>
    document.addEventListener(type, (event) => {
      const box = D.formBox();
      if (!box || box.hidden || !box.contains(event.target)) return;
      clearStaleErrors(event.target);
      const draft = snapshot(box);
      if (draft) writeDraft(draft);
    })
  );

  document.addEventListener("desk:form-opened", (event) => {
    const box = event.detail.box;
    const draft = readDraft();
    // Another passage's draft stays until something is typed here.
    const wanted = draft && (draft.mode === "new" || resumingEdit);
    if (wanted && sameTarget(draft, box)) fill(box, draft);
    resumingEdit = false;
    showDraftBar();
  });
  document.addEventListener("desk:form-closed", showDraftBar);

  // The server confirmed: only now is the draft done with. (beforeSwap, while the form is
  // still in the page: events on a swapped-out element reach no listener.)
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const config = event.detail.requestConfig || {};
    const elt = config.elt;
    const xhr = event.detail.xhr;
    if (!elt || elt.tagName !== "FORM" || !elt.closest("#annotation-form") || config.verb !== "post") return;
    if (xhr && xhr.status >= 200 && xhr.status < 300) writeDraft(null);
  });

  showDraftBar();
  D.readDraft = readDraft;
})();
