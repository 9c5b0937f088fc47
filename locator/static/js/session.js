// Staff pages: warn before a session times out for inactivity, and leave the page once it has, so that
// nobody's details stay on the screen of an empty desk (HIPAA's automatic logoff).
// The server keeps the clocks. GET /staff/session says how long is left and is not itself activity;
// a key, a click, a touch or the wheel here is, and the next check says so with a POST that restarts the
// idle clock. Without JavaScript the server's timeout applies all the same, at the next click.
(function () {
  "use strict";
  var dialog = document.getElementById("session-warning");
  if (!dialog || !window.fetch || !dialog.showModal) return;
  var EVERY = 60000;
  var WARN = Number(dialog.dataset.warnSeconds) * 1000;
  var token = document.querySelector('input[name="csrf_token"]');
  var active = false;
  var timer = 0;
  var showing = null;  // the warning open: "idle", or "limit" (the absolute limit, which nothing puts off)
  var limitSeen = false;  // that one is shown once

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(1000, ms));
  }

  function check() {
    var options = { credentials: "same-origin", cache: "no-store" };
    if (active && token) {
      options.method = "POST";
      options.headers = { "X-CSRFToken": token.value };
    }
    active = false;
    fetch(dialog.dataset.statusUrl, options)
      .then(function (response) {
        if (response.status === 401) return { signed_in: false };
        return response.ok ? response.json() : null;
      })
      .then(update, function () { schedule(EVERY); });
  }

  function update(state) {
    if (!state) return schedule(EVERY);
    if (!state.signed_in) {
      window.location.replace(dialog.dataset.signInUrl);
      return;
    }
    var left = state.seconds_left * 1000;
    if (left > WARN) {
      close();
      schedule(Math.min(EVERY, left - WARN));
      return;
    }
    if (state.extendable || !limitSeen) warn(state.extendable);
    schedule(Math.min(10000, left));
  }

  function warn(extendable) {
    showing = extendable ? "idle" : "limit";
    dialog.querySelectorAll("[data-when]").forEach(function (part) {
      part.hidden = part.dataset.when !== showing;
    });
    dialog.setAttribute("aria-describedby", "session-warning-" + showing);  // read out with its title
    if (!dialog.open) dialog.showModal();  // focuses its button
  }

  function close() {
    if (showing === "limit") limitSeen = true;
    showing = null;
    if (dialog.open) dialog.close();
  }

  // A key, a click, a touch or the wheel, by the person (not a script), means someone is here. With the
  // idle warning open that includes its button and Escape: close it, and tell the server now.
  function here(event) {
    if (!event.isTrusted) return;
    active = true;
    if (showing === "idle") {
      close();
      check();
    }
  }
  ["keydown", "pointerdown", "wheel", "input"].forEach(function (type) {
    document.addEventListener(type, here, { capture: true, passive: true });
  });
  dialog.addEventListener("cancel", close);
  dialog.querySelector('button[data-when="limit"]').addEventListener("click", close);
  // A tab brought back, or a laptop woken: its timers may have slept through the timeout.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") check();
  });
  schedule(EVERY);
})();
