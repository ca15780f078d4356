// The practitioner's reading of a patient's answers: the wrapped consultation key and the ciphertext
// are fetched, opened with this device's key (IndexedDB), checked against the binding, and shown.
// Needs e2e.js. Answers go into the page as text, never as markup. No inline script: the CSP forbids it.
"use strict";
(function () {
  var root = document.getElementById("answers");
  if (!root || root.dataset.submitted !== "true") {
    return;
  }
  var E2e = window.CarnetE2e;
  var consultation = root.dataset.appointment;
  var subject = "practitioner:" + root.dataset.practitioner;
  var error = document.getElementById("answers-error");
  var busy = document.getElementById("answers-busy");

  async function open() {
    E2e.showAnswers(root, await E2e.fetchAnswers(consultation, subject));
    document.getElementById("answers-opened").hidden = false;
    root.dataset.opened = "true";
  }

  if (!E2e || !E2e.supported) {
    if (E2e) {
      E2e.showOnly(error, "unsupported");
    }
    return;
  }
  busy.hidden = false;
  open()
    .catch(function (e) {
      root.dataset.error = e && e.code ? e.code : "other";
      E2e.showOnly(error, root.dataset.error);
    })
    .finally(function () {
      busy.hidden = true;
    });
})();
