// The queue page: say when requests have come in since it was loaded, and put their number in the tab's
// title, so a queue left open behind other windows still shows that someone is waiting. Asked once a
// minute; the asking is not activity, so the page still times out when nobody is at it.
(function () {
  "use strict";
  var news = document.querySelector(".queue-arrivals");
  if (!news || !window.fetch) return;
  var text = news.querySelector("[data-text]");
  var link = news.querySelector("a");
  var title = document.title;
  var shown = 0;

  function show(state) {
    if (!state || state.count === shown) return;
    shown = state.count;
    text.textContent = state.text;
    link.hidden = !state.count;
    news.classList.toggle("has-news", state.count > 0);
    news.classList.toggle("urgent", state.urgent > 0);
    document.title = state.count ? "(" + state.count + ") " + title : title;
  }

  function check() {
    fetch(news.dataset.url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(show, function () {})
      .then(function () { setTimeout(check, 60000); });
  }
  setTimeout(check, 60000);
})();
