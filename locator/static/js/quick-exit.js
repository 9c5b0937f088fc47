// "Leave this site quickly": replace this page in the history (so Back does not return here) and go.
// Esc pressed twice does the same. Without JavaScript the link still leaves, as an ordinary link.
// Pages without the link (the staff pages) have no shortcut either.
(function () {
  "use strict";
  var target = document.querySelector("[data-quick-exit]");
  if (!target) return;
  function leave(event) {
    if (event) event.preventDefault();
    window.location.replace(target.href);
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-quick-exit]")) leave(event);
  });
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - lastEscape < 800) leave(event);
    lastEscape = now;
  });
})();
