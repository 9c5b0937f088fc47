// Progressive enhancement for the search and program pages. Everything here is optional: the
// server-rendered list, links and forms work without it.
//  - a Leaflet map whose numbered (clustered) markers match the numbered list items;
//  - live results: changing a filter fetches the new results and updates the URL (shareable);
//  - "Use my location" fills lat/lon from the browser and searches.
(function () {
  "use strict";

  var map = null;
  var layer = null;

  function markerIcon(number) {
    return L.divIcon({
      className: "map-marker",
      html: "<span>" + number + "</span>",
      iconSize: [30, 30],
      iconAnchor: [15, 15],
    });
  }

  function drawMap() {
    var element = document.getElementById("map");
    if (map) { map.remove(); map = null; }
    if (!element || typeof L === "undefined") return;
    var items = document.querySelectorAll(".program-card[data-lat]");
    if (!items.length) return;
    element.hidden = false;
    map = L.map(element, { scrollWheelZoom: false });
    var tiles = L.tileLayer(element.dataset.tiles, { maxZoom: 18, attribution: element.dataset.attribution });
    tiles.addTo(map);  // if tiles fail to load the markers and the list still work
    layer = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup({ maxClusterRadius: 40 }) : L.layerGroup();
    var bounds = [];
    items.forEach(function (item) {
      var point = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)];
      bounds.push(point);
      var marker = L.marker(point, { icon: markerIcon(item.dataset.number), title: item.dataset.number + ". " + item.dataset.name, keyboard: true });
      var popup = document.createElement("a");
      popup.textContent = item.dataset.number + ". " + item.dataset.name;
      if (item.dataset.url) { popup.href = item.dataset.url; marker.bindPopup(popup); }
      marker.on("click", function () {
        if (item.id) item.classList.add("highlight");
        setTimeout(function () { item.classList.remove("highlight"); }, 1500);
      });
      layer.addLayer(marker);
    });
    map.addLayer(layer);
    if (bounds.length === 1) map.setView(bounds[0], 13);
    else map.fitBounds(bounds, { padding: [20, 20], maxZoom: 13 });
  }

  function formUrl(form) {
    var params = new URLSearchParams(new FormData(form));
    var cleaned = new URLSearchParams();
    params.forEach(function (value, key) { if (value !== "") cleaned.append(key, value); });
    var query = cleaned.toString();
    return form.action.split("?")[0] + (query ? "?" + query : "");
  }

  var pending = null;
  function refresh(form, url, push) {
    var results = document.getElementById("results");
    if (!results || !window.fetch) { form.submit(); return; }
    if (pending) pending.abort();
    pending = window.AbortController ? new AbortController() : null;
    results.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "X-Requested-With": "fetch" }, signal: pending && pending.signal, credentials: "same-origin" })
      .then(function (response) {
        if (response.status >= 500) throw new Error("server");
        return response.text();
      })
      .then(function (html) {
        results.innerHTML = html;
        results.removeAttribute("aria-busy");
        if (push) history.pushState({ live: true }, "", url);
        drawMap();
      })
      .catch(function (error) {
        if (error.name === "AbortError") return;
        results.removeAttribute("aria-busy");
        window.location.href = url;  // fall back to a full page load
      });
  }

  function enhanceForm() {
    var form = document.querySelector("[data-live-search]");
    if (!form) return;
    form.addEventListener("change", function (event) {
      if (event.target.type === "checkbox" || event.target.tagName === "SELECT") {
        var page = form.querySelector("input[name=page]");
        if (page) page.remove();
        var chosen = form.querySelector(".filters-heading .chosen");
        if (chosen) chosen.hidden = true;  // counted by the server, for the page it sent: no longer true
        refresh(form, formUrl(form), true);
      }
    });
    window.addEventListener("popstate", function () { refresh(form, window.location.href, false); });

    var locate = form.querySelector("[data-use-location]");
    var status = form.querySelector("[data-location-status]");
    if (locate && navigator.geolocation) {
      locate.closest(".js-only").hidden = false;
      locate.addEventListener("click", function () {
        status.textContent = locate.dataset.finding || "…";
        navigator.geolocation.getCurrentPosition(function (position) {
          ["lat", "lon"].forEach(function (name) {
            var input = form.querySelector("input[name=" + name + "]");
            if (!input) {
              input = document.createElement("input");
              input.type = "hidden";
              input.name = name;
              form.appendChild(input);
            }
            input.value = (name === "lat" ? position.coords.latitude : position.coords.longitude).toFixed(4);
          });
          form.querySelector("input[name=near]").value = "";
          form.submit();
        }, function () {
          status.textContent = locate.dataset.failed || "";
        }, { timeout: 10000, maximumAge: 600000 });
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceForm();
    drawMap();
  });
})();
