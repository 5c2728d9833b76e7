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
