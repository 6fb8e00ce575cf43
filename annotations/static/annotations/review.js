/* Review queue keyboard: j/k move, a approve, r reject, c request changes.
   r and c need a comment: they focus the comment box, and Ctrl+Enter sends it. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var current = 0;

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("#review-queue .queue-item"));
  }

  function select(index, focus) {
    var list = items();
    if (!list.length) { current = 0; return; }
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach(function (el, i) {
      el.classList.toggle("is-current", i === current);
      if (i === current) { el.setAttribute("aria-current", "true"); }
      else { el.removeAttribute("aria-current"); }
    });
    if (focus) {
      list[current].focus({ preventScroll: true });
      list[current].scrollIntoView({ block: "nearest" });
    }
  }

  function submit(form, decision) {
    var button = form.querySelector('button[name="decision"][value="' + decision + '"]');
    // A real click, so htmx sends the button's name and value with the form.
    if (button && !form.classList.contains("htmx-request")) { button.click(); }
  }

  function decide(decision) {
    var item = items()[current];
    var form = item && item.querySelector("form.decide");
    if (!form) { return; }
    var comment = form.querySelector('textarea[name="comment"]');
    if (decision !== "approve" && !comment.value.trim()) {
      form.dataset.pending = decision;
      item.classList.add("needs-comment");
      comment.placeholder = "Say why, then press Ctrl+Enter to " +
        (decision === "reject" ? "reject" : "request changes");
      comment.focus();
      return;
    }
    submit(form, decision);
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.matches && target.matches('textarea[name="comment"]')) {
      var form = target.form;
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && form.dataset.pending) {
        event.preventDefault();
        submit(form, form.dataset.pending);
      } else if (event.key === "Escape") {
        target.blur();
        select(current, true);
      }
      return;
    }
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (target.closest && target.closest("input, textarea, select, [contenteditable], summary")) {
      return;
    }
    var actions = {
      j: function () { select(current + 1, true); },
      k: function () { select(current - 1, true); },
      a: function () { decide("approve"); },
      r: function () { decide("reject"); },
      c: function () { decide("request_changes"); },
    };
    if (actions[event.key]) {
      event.preventDefault();
      actions[event.key]();
    }
  });

  // Clicking or tabbing into an item makes it the current one.
  document.addEventListener("focusin", function (event) {
    var item = event.target.closest && event.target.closest("#review-queue .queue-item");
    if (item) { select(items().indexOf(item), false); }
  });

  // A conflict (409) or a form error (422) comes back as the queue with the message in it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var box = document.getElementById("review-status");
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    } else if (status >= 400 && box) {
      box.textContent = status === 403
        ? "You are not allowed to do that. Nothing changed."
        : "Something went wrong (" + status + "). Nothing changed; reload the page and try again.";
    }
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("review-status");
    if (box) { box.textContent = "The server did not answer. Nothing changed; try again."; }
  });

  // After a decision the decided item has left the list, so the same position holds the
  // next one; an item with an error keeps the focus instead.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.target || event.target.id !== "review-queue") { return; }
    var box = document.getElementById("review-status");
    if (box && event.detail.xhr && event.detail.xhr.status < 400) { box.textContent = ""; }
    var list = items();
    var flagged = document.querySelector("#review-queue .queue-item[data-focus]");
    select(flagged ? list.indexOf(flagged) : current, true);
    if (flagged && event.detail.xhr && event.detail.xhr.status === 422) {
      var comment = flagged.querySelector('textarea[name="comment"]');
      if (comment) { comment.focus(); }
    }
  });

  select(0, false);
})();
