// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";

  // Buttons marked data-confirm ask before submitting their form.
  document.addEventListener("submit", function (event) {
    const submitter = event.submitter;
    const message = submitter && submitter.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // Forms marked data-guard-edits remember edits not yet saved. Every button of such a form
  // sends them (the pages are built so); a button of another form on the page would reload
  // the page without them, so it asks first (data-guard-message). An autosave that succeeds
  // clears the mark.
  const unsaved = new Set();
  function markUnsaved(event) {
    const form = event.target.form || (event.target.closest && event.target.closest("form"));
    if (form && form.matches("[data-guard-edits]")) unsaved.add(form);
  }
  document.addEventListener("input", markUnsaved);
  document.addEventListener("change", markUnsaved);
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.detail.elt;
    if (event.detail.successful && unsaved.has(form) && !form.querySelector(".is-invalid")) {
      unsaved.delete(form);
    }
  });
  document.addEventListener(
    "submit",
    function (event) {
      const form = event.target;
      const others = Array.from(unsaved).filter(function (f) {
        return f !== form && document.body.contains(f);
      });
      if (others.length && !window.confirm(others[0].dataset.guardMessage || "")) {
        event.preventDefault();
        event.stopImmediatePropagation();
        return;
      }
      unsaved.delete(form);
    },
    true
  );

  // A submit button disables itself once its form is sent, so a double click sends once.
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return;
    const submitter = event.submitter;
    if (submitter && !submitter.hasAttribute("data-allow-repeat")) {
      window.setTimeout(function () {
        submitter.disabled = true;
      }, 0);
    }
  });

  // Coming back through the history cache must not leave buttons disabled.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("button[type=submit][disabled]").forEach(function (button) {
      if (!button.hasAttribute("data-stay-disabled")) button.disabled = false;
    });
  });

  // A refused form's error summary (templates/forms/error_summary.html) takes the focus, so
  // it is read first; its links move the focus to their field, clear of sticky bars.
  function focusErrorSummary() {
    const summary = document.querySelector("[data-error-summary]");
    if (summary && document.activeElement !== summary) summary.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrorSummary);
  } else {
    focusErrorSummary();
  }
  document.addEventListener("click", function (event) {
    const link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    const focusable = "input:not([type=hidden]), select, textarea, button";
    const field = target.matches(focusable) ? target : target.querySelector(focusable) || target;
    if (!field.matches(focusable) && !field.hasAttribute("tabindex")) {
      field.setAttribute("tabindex", "-1");
    }
    field.scrollIntoView({ block: "center", behavior: "instant" });
    field.focus({ preventScroll: true });
  });

  // <time data-countdown datetime="..."> counts down to its moment.
  function renderCountdown(el) {
    const target = Date.parse(el.getAttribute("datetime"));
    if (Number.isNaN(target)) return;
    const left = Math.max(0, target - Date.now());
    const days = Math.floor(left / 86400000);
    const hours = Math.floor((left % 86400000) / 3600000);
    const minutes = Math.floor((left % 3600000) / 60000);
    const seconds = Math.floor((left % 60000) / 1000);
    const out = el.querySelector("[data-countdown-text]") || el;
    out.textContent =
      left === 0
        ? el.dataset.closedText || "0s"
        : (days ? days + "d " : "") + hours + "h " + minutes + "m " + seconds + "s";
  }
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(renderCountdown);
  }
  if (document.querySelector("[data-countdown]")) {
    tick();
    window.setInterval(tick, 1000);
  }

  // --- Forms keep working across a new sign-in ----------------------------------------------
  // Signing in (for instance in another tab after the session ended) gives a new CSRF token;
  // the one in a form already on the page would be refused. The cookie always holds the
  // current one, so forms and htmx requests send that.
  function csrfToken() {
    const name = (document.querySelector('meta[name="csrf-cookie-name"]') || {}).content;
    const match = name && document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : null;
  }
  document.addEventListener("submit", function (event) {
    const token = csrfToken();
    const field = event.target.querySelector('input[name="csrfmiddlewaretoken"]');
    if (token && field) field.value = token;
  }, true);

  // --- htmx requests that could not be served say so, and keep what was typed ------------
  // The server answers 401 (signed out), 403 (page expired, second factor missing, not
  // allowed) with a one-line reason as plain text; nothing is swapped into the page, so the
  // fields keep their text, and the message says what to do.
  const messages = {
    savePrefix: "Not saved: ",
    loadPrefix: "Not updated: ",
    signedOut: "You are signed out.",
    signIn: "Sign in again in a new tab",
    keep: "What you typed stays on this page; it is saved as soon as you are back.",
    unreachable: "The portal could not be reached. What you typed stays on this page; it is saved with your next change.",
    failed: "The portal could not save it this time. What you typed stays on this page; try again in a moment.",
    gone: "This is no longer there.",
    forbidden: "You may not change this (any more).",
  };
  const pendingRetry = new Set();

  function reasonOf(xhr, fallback) {
    const type = xhr.getResponseHeader("Content-Type") || "";
    const text = (xhr.responseText || "").trim();
    return type.indexOf("text/plain") === 0 && text && text.length < 300 ? text : fallback;
  }

  function showRefusal(target, verb, reason, signInLink) {
    if (!target) return;
    const box = document.createElement("div");
    box.className = "htmx-refusal";
    box.setAttribute("role", "alert");
    const icon = document.createElement("i");
    icon.className = "bi bi-exclamation-octagon";
    icon.setAttribute("aria-hidden", "true");
    box.appendChild(icon);
    box.appendChild(document.createTextNode(" " + (verb === "get" ? messages.loadPrefix : messages.savePrefix) + reason));
    if (signInLink) {
      box.appendChild(document.createTextNode(" "));
      const link = document.createElement("a");
      link.href = signInLink;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = messages.signIn;
      box.appendChild(link);
      box.appendChild(document.createTextNode(". " + messages.keep));
    }
    target.replaceChildren(box);
  }

  function signInUrl() {
    const login = (document.querySelector('meta[name="login-url"]') || {}).content || "/accounts/login/";
    return login + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
  }

  function refuse(detail, status) {
    const xhr = detail.xhr;
    const verb = (detail.requestConfig && detail.requestConfig.verb) || "post";
    const target = detail.target;
    if (status === 401) {
      showRefusal(target, verb, reasonOf(xhr, messages.signedOut), signInUrl());
      if (detail.elt) pendingRetry.add(detail.elt);
    } else if (status === 403) {
      showRefusal(target, verb, reasonOf(xhr, messages.forbidden));
    } else if (status === 404) {
      showRefusal(target, verb, reasonOf(xhr, messages.gone));
    } else {
      showRefusal(target, verb, messages.failed);
    }
  }

  document.addEventListener("htmx:configRequest", function (event) {
    const token = csrfToken();
    if (!token) return;
    event.detail.headers["X-CSRFToken"] = token;
    if (event.detail.verb !== "get") {
      // FormData in htmx 2: set() replaces the stale token a form carries.
      const params = event.detail.parameters;
      if (typeof params.set === "function") params.set("csrfmiddlewaretoken", token);
      else params.csrfmiddlewaretoken = token;
    }
  });

  // A response that was redirected to the sign-in page (by anything the server did not turn
  // into a 401) is not an answer to show.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const xhr = event.detail.xhr;
    const landed = xhr.responseURL ? new URL(xhr.responseURL).pathname : "";
    const login = (document.querySelector('meta[name="login-url"]') || {}).content || "/accounts/login/";
    if (xhr.status === 200 && landed === login && event.detail.pathInfo.requestPath !== login) {
      event.detail.shouldSwap = false;
      refuse(event.detail, 401);
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    refuse(event.detail, event.detail.xhr.status);
  });

  document.addEventListener("htmx:sendError", function (event) {
    showRefusal(event.detail.target, (event.detail.requestConfig || {}).verb, messages.unreachable);
  });

  // Back from signing in (in the other tab): save what is waiting.
  window.addEventListener("focus", function () {
    if (!window.htmx) return;
    pendingRetry.forEach(function (elt) {
      pendingRetry.delete(elt);
      if (document.body.contains(elt)) window.htmx.trigger(elt, "change");
    });
  });

  // A sticky Save/Submit bar never hides the focused field: the page keeps room for it below.
  const stickyBar = document.querySelector(".sticky-actions");
  if (stickyBar && window.ResizeObserver) {
    new window.ResizeObserver(function () {
      document.documentElement.style.scrollPaddingBottom = stickyBar.offsetHeight + 16 + "px";
    }).observe(stickyBar);
  }

  // Copy buttons: <button data-copy-target="#id">.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy-target]");
    if (!button) return;
    const target = document.querySelector(button.dataset.copyTarget);
    if (target && navigator.clipboard) {
      navigator.clipboard.writeText(target.textContent.trim());
      button.textContent = button.dataset.copiedText || "Copied";
    }
  });
})();
