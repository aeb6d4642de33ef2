// Live checking for the rule editor (progressive enhancement; the Check button works
// without it). As the expression is typed, and after a pause, the text is posted with the
// form's CSRF token to /rules/check, and the answer (the canonical form, or the error at
// its line and column with "did you mean") is shown under the field. Text only: nothing
// from the server is ever inserted as HTML.
(function () {
  "use strict";
  var form = document.getElementById("rule-form");
  var out = document.getElementById("live-check");
  if (!form || !out || !window.fetch) { return; }
  var field = form.elements.namedItem("expression");
  var token = form.elements.namedItem("csrf_token");
  if (!field || !token) { return; }
  var timer = null;
  var latest = 0;

  function show(kind, text) {
    out.className = kind;
    out.textContent = text;
    out.hidden = false;
  }

  function check() {
    var mine = ++latest;
    var body = new URLSearchParams();
    body.append("csrf_token", token.value);
    body.append("expression", field.value);
    fetch("/rules/check", {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "error",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("the check answered " + response.status); }
      return response.json();
    }).then(function (result) {
      if (mine !== latest) { return; }
      if (result.ok) {
        show("ok", "Accepted: " + result.canonical);
      } else {
        show("error", result.description + "\n" + result.caret);
      }
    }).catch(function () {
      if (mine === latest) { show("muted", "Live checking is not available; use the Check button."); }
    });
  }

  field.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 400);
  });
})();
