/* Intake form enhancement: show a follow-up question only when its answer calls for it.
   Without JavaScript every question is simply shown. */
(function () {
  "use strict";
  var form = document.querySelector(".intake-form");
  if (!form) return;
  var rules = [
    { field: "when-other", name: "for_whom", value: "other" },
    { field: "when-language-other", name: "language", value: "other" }
  ];
  function current(name) {
    var checked = form.querySelector("input[name='" + name + "']:checked");
    if (checked) return checked.value;
    var select = form.querySelector("select[name='" + name + "']");
    return select ? select.value : "";
  }
  function update() {
    rules.forEach(function (rule) {
      var el = form.querySelector("." + rule.field);
      if (!el) return;
      var hasAnswer = el.querySelector("input, select, textarea");
      var show = current(rule.name) === rule.value || (hasAnswer && hasAnswer.value && hasAnswer.value !== "");
      el.hidden = !show;
    });
  }
  form.addEventListener("change", update);
  update();
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
