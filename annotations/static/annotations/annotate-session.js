// Annotate page, when a save does not arrive: a network failure shows a message with Retry;
// an expired session (401) opens a login dialog and then sends the same save; a 403 after
// logging in elsewhere (the CSRF token rotated) fetches a fresh token and sends it again.
(function () {
  "use strict";

  const D = window.WorkbenchDesk;
  const desk = D.$(".workbench");
  if (!desk) return;
  let waiting = null; // the form or button whose request should be sent again

  function retry() {
    const elt = waiting;
    if (!elt || !document.contains(elt)) return;
    clearProblem(elt);
    if (elt.tagName === "FORM") {
      // hx-confirm asked once already; the reader has not changed their mind.
      elt.dataset.confirmed = "yes";
      elt.requestSubmit();
    } else window.htmx.trigger(elt, "click");
  }

  function problemHost(elt) {
    return elt.closest("#annotation-form form") || null;
  }

  function clearProblem(elt) {
    const host = elt && problemHost(elt);
    if (host) D.$$(":scope > .request-problem", host).forEach((e) => e.remove());
    const status = D.$("#desk-status");
    if (status) status.hidden = true;
  }

  // Say what went wrong next to the form (or at the foot of the window), with Retry.
  function showProblem(elt, text) {
    waiting = elt;
    const host = problemHost(elt);
    let box;
    if (host) {
      D.$$(":scope > .request-problem", host).forEach((e) => e.remove());
      box = document.createElement("div");
      box.className = "request-problem";
      box.setAttribute("role", "alert");
      host.insertBefore(box, host.querySelector("h2").nextSibling);
    } else {
      box = D.$("#desk-status");
      box.hidden = false;
      box.textContent = "";
    }
    const p = document.createElement("p");
    p.textContent = text;
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.action = "retry-request";
    button.textContent = "Retry";
    box.append(p, button);
    if (host) button.focus({ preventScroll: true });
  }

  function setToken(token) {
    document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": token }));
    D.$$('input[name="csrfmiddlewaretoken"]').forEach((i) => (i.value = token));
    document.dispatchEvent(new CustomEvent("desk:csrf", { detail: { token: token } }));
  }

  async function sessionState() {
    const response = await fetch(desk.dataset.sessionUrl, { credentials: "same-origin", cache: "no-store" });
    return response.json();
  }

  // Log in from the dialog; the login redirects to the session state on success.
  async function logIn(form) {
    const problem = form.querySelector('[data-role="login-problem"]');
    problem.hidden = true;
    const anonymous = await sessionState();
    const body = new URLSearchParams({
      csrfmiddlewaretoken: anonymous.csrfToken,
      username: form.elements.username.value,
      password: form.elements.password.value,
      next: desk.dataset.sessionUrl,
    });
    const response = await fetch(anonymous.loginUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": anonymous.csrfToken },
    });
    const type = response.headers.get("Content-Type") || "";
    const state = type.includes("json") ? await response.json() : null;
    if (!state || !state.authenticated) {
      problem.textContent = response.status === 429 || response.status === 403 ? "Too many failed attempts; wait, then try again." : "That username and password did not match.";
      problem.hidden = false;
      return;
    }
    form.elements.password.value = "";
    D.$("#session-dialog").close();
    setToken(state.csrfToken);
    retry();
  }

  function openLogin() {
    const dialog = D.$("#session-dialog");
    if (!dialog.open) dialog.showModal();
    dialog.querySelector('input[name="username"]').focus();
  }

  async function onRefused(elt, xhr) {
    if (xhr.status === 401) {
      showProblem(elt, "Your session has ended. Log in again to save; your draft is kept.");
      openLogin();
      return;
    }
    if (xhr.status === 403 && elt.dataset.tokenRetried !== "yes") {
      let state = null;
      try {
        state = await sessionState();
      } catch (e) {
        showProblem(elt, "Could not reach the server. Your draft is kept.");
        return;
      }
      if (!state.authenticated) {
        showProblem(elt, "Your session has ended. Log in again to save; your draft is kept.");
        openLogin();
        return;
      }
      // Logged in again elsewhere: same person, new token. Send it once more.
      elt.dataset.tokenRetried = "yes";
      setToken(state.csrfToken);
      waiting = elt;
      retry();
      return;
    }
    const text = xhr.status === 403 ? "You may not make this change." : "The server could not save this (error " + xhr.status + "). Your draft is kept.";
    showProblem(elt, text);
  }

  function owned(elt) {
    return elt && elt.closest && elt.closest("#annotation-form, #card-list, .orphans");
  }

  document.body.addEventListener("htmx:confirm", (event) => {
    const elt = event.detail.elt;
    if (elt && elt.dataset.confirmed === "yes") {
      delete elt.dataset.confirmed;
      event.preventDefault();
      event.detail.issueRequest(true);
    }
  });
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (owned(event.detail.elt)) clearProblem(event.detail.elt);
  });
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const elt = (event.detail.requestConfig || {}).elt;
    if (owned(elt) && event.detail.xhr.status < 400) delete elt.dataset.tokenRetried;
  });
  document.body.addEventListener("htmx:sendError", (event) => {
    if (owned(event.detail.elt)) showProblem(event.detail.elt, "Could not reach the server: check the connection, then Retry. Your draft is kept.");
  });
  document.body.addEventListener("htmx:responseError", (event) => {
    if (owned(event.detail.elt)) onRefused(event.detail.elt, event.detail.xhr);
  });

  document.addEventListener("click", (event) => {
    const action = event.target.closest("[data-action]");
    if (!action) return;
    if (action.dataset.action === "retry-request") retry();
    if (action.dataset.action === "session-retry") {
      sessionState().then((state) => {
        if (!state.authenticated) return;
        D.$("#session-dialog").close();
        setToken(state.csrfToken);
        retry();
      });
    }
    if (action.dataset.action === "session-cancel") D.$("#session-dialog").close();
  });
  document.addEventListener("submit", (event) => {
    if (event.target.id !== "session-login") return;
    event.preventDefault();
    logIn(event.target).catch(() => {
      const problem = event.target.querySelector('[data-role="login-problem"]');
      problem.textContent = "Could not reach the server.";
      problem.hidden = false;
    });
  });
})();
