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

  function shown(value) {
    if (value === true) {
      return root.dataset.yes;
    }
    if (value === false) {
      return root.dataset.no;
    }
    if (Array.isArray(value)) {
      return value.map(String).join(", ");
    }
    return String(value);
  }

  async function open() {
    var mine = await E2e.getJson("/e2e/consultations/" + consultation + "/keys/mine");
    var key = await E2e.unwrapKey(mine.envelope, subject, consultation, subject);
    var served = await E2e.getJson("/e2e/consultations/" + consultation + "/answers");
    var plaintext = await E2e.openAnswers(served.envelope, key, consultation, served.itemId);
    if (!plaintext || plaintext.v !== 1 || !Array.isArray(plaintext.forms)) {
      throw Object.assign(new Error("malformed"), { code: "malformed" });
    }
    plaintext.forms.forEach(function (answered) {
      var list = root.querySelector('dl[data-questionnaire="' + CSS.escape(String(answered.questionnaire)) + '"]');
      if (!list || !answered.answers) {
        return;
      }
      list.querySelectorAll("dd[data-answer]").forEach(function (slot) {
        var value = answered.answers[slot.dataset.answer];
        if (value !== undefined) {
          slot.textContent = shown(value);
          slot.classList.remove("unanswered");
        } else if (slot.dataset.required === "true") {
          slot.textContent = root.dataset.missing;
        }
      });
    });
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
