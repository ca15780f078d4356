// The security officer's leak check: a chosen file is read here and sent as text (it never touches
// the server's disk, and a form could carry only 64 KB); the result's fragment replaces the last one.
// Without JavaScript, the form posts the pasted sample. No inline script: the CSP forbids it.
"use strict";
(function () {
  var form = document.getElementById("trace-form");
  var input = document.getElementById("trace-file");
  var button = document.getElementById("trace");
  if (!form || !input || !button) {
    return;
  }
  form.addEventListener("submit", function (event) {
    var file = input.files && input.files[0];
    if (!file) {
      return;
    }
    event.preventDefault();
    var busy = document.getElementById("trace-busy");
    var failed = document.getElementById("trace-failed");
    busy.hidden = false;
    failed.hidden = true;
    button.disabled = true;
    file.text()
      .then(function (text) {
        var headers = { "Content-Type": "text/plain;charset=UTF-8" };
        headers[button.dataset.csrfHeader] = button.dataset.csrfToken;
        return fetch(form.action, { method: "POST", headers: headers, body: text, credentials: "same-origin" });
      })
      .then(function (response) {
        if (!response.ok && response.status !== 413) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var parsed = new DOMParser().parseFromString(html, "text/html");
        var result = parsed.getElementById("attribution");
        var target = document.getElementById("trace-result");
        target.replaceChildren();
        if (result) {
          target.appendChild(document.importNode(result, true));
        }
      })
      .catch(function () {
        failed.hidden = false;
      })
      .finally(function () {
        busy.hidden = true;
        button.disabled = false;
      });
  });
})();
