// Annotate page, the card list: cards load a page at a time (htmx), so a card may not be
// on the page yet. Focus one from its highlight (fetching it if needed), j/k between
// them, and put a card a save sent back in its place in text order.
(function () {
  "use strict";

  const D = window.WorkbenchDesk;
  const list = () => D.$("#card-list");
  const cards = () => D.$$("#card-list > .card");

  function focusCard(card, opts) {
    if (!card) return;
    D.$$(".card.is-current").forEach((c) => c.classList.remove("is-current"));
    card.classList.add("is-current");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
    const marks = D.markCurrent(card.dataset.id);
    if (opts && opts.scrollText && marks[0]) marks[0].scrollIntoView({ block: "center" });
  }

  // A highlight's card: on the page already, or the list fetched from that card on.
  function focusCardById(id, opts) {
    const card = document.getElementById("card-" + id);
    if (card && !card.closest("#card-inbox")) {
      focusCard(card, opts);
      return;
    }
    const panel = D.$("#annotation-panel");
    if (!panel || !window.htmx) return;
    const url = panel.dataset.cardsUrl + "?from=" + encodeURIComponent(id);
    window.htmx.ajax("GET", url, { target: "#card-list", swap: "outerHTML" }).then(() => {
      focusCard(document.getElementById("card-" + id), opts);
    });
  }

  function moveCard(step) {
    const all = cards();
    if (!all.length) return;
    const active = document.activeElement && document.activeElement.closest ? document.activeElement.closest(".card") : null;
    let at = all.indexOf(active);
    if (at < 0) at = all.findIndex((c) => c.classList.contains("is-current"));
    let next = at < 0 ? (step > 0 ? 0 : all.length - 1) : at + step;
    next = Math.max(0, Math.min(all.length - 1, next));
    focusCard(all[next], { scrollText: true });
  }

  function openCard(card) {
    const edit = card && card.querySelector('[data-action="edit"]');
    if (edit) edit.click();
    else focusCard(card, { scrollText: true });
  }

  // Compare "start.end.id" keys in text order.
  function keyOf(card) {
    return (card.dataset.key || "0.0.0").split(".").map(Number);
  }
  function before(a, b) {
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i];
    return false;
  }

  // A new card goes where text order puts it among the loaded ones; past the last loaded
  // card it is left for the next page to bring.
  function placeInbox() {
    const inbox = D.$("#card-inbox");
    const target = list();
    if (!inbox || !target) return;
    Array.from(inbox.children).forEach((card) => {
      const key = keyOf(card);
      const next = cards().find((c) => before(key, keyOf(c)));
      const more = target.querySelector(":scope > .more");
      target.querySelector(":scope > .empty")?.remove();
      if (next) target.insertBefore(card, next);
      else if (more) card.remove();
      else target.appendChild(card);
      if (window.htmx) window.htmx.process(card);
    });
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || D.isTyping(event.target)) return;
    if (D.$("dialog[open]")) return;
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

  document.body.addEventListener("htmx:afterSettle", () => {
    placeInbox();
    const tally = D.$("#desk-tally");
    if (tally && tally.dataset.focus) {
      const id = tally.dataset.focus;
      delete tally.dataset.focus;
      const card = document.getElementById("card-" + id);
      // A keyboard caret user stays in the text; the card is only marked.
      if (card && !(D.caretActive && D.caretActive())) focusCard(card);
      else {
        if (card) card.classList.add("is-current");
        D.markCurrent(id);
      }
    }
  });

  D.focusCard = focusCard;
  D.focusCardById = focusCardById;
})();
