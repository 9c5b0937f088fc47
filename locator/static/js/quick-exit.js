// "Leave this site quickly": replace this page in the history (so Back does not return here) and go.
// Esc pressed twice does the same. Without JavaScript the link still leaves, as an ordinary link.
(function () {
  "use strict";
  function leave(event) {
    if (event) event.preventDefault();
    var target = document.querySelector("[data-quick-exit]");
    window.location.replace(target ? target.href : "https://www.weather.gov/");
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
