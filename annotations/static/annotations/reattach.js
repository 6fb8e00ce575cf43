// Re-attach page: selecting a passage fills the new span's offsets and quote.
(function () {
  "use strict";

  function setup() {
    const root = document.querySelector(".reattach-page .article-text");
    const form = document.getElementById("reattach-form");
    if (!root || !form || !window.WorkbenchSelection) return;
    const status = form.querySelector('[data-role="selection-status"]');

    function pick() {
      const picked = window.WorkbenchSelection.read(root);
      if (picked.empty) return;
      if (picked.error) {
        status.textContent = picked.error;
        status.classList.remove("is-picked");
        return;
      }
      form.elements.start.value = picked.start;
      form.elements.end.value = picked.end;
      form.elements.quote.value = picked.quote;
      const words = picked.quote.length > 80 ? picked.quote.slice(0, 77) + "…" : picked.quote;
      status.textContent = "Selected “" + words + "” (" + picked.start + "–" + picked.end + ").";
      status.classList.add("is-picked");
    }

    document.addEventListener("mouseup", () => window.setTimeout(pick, 0));
    document.addEventListener("keyup", (event) => {
      if (event.shiftKey || event.key.startsWith("Arrow")) pick();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
