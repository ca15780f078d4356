// The patient's questionnaire: the answers are read from the form, sealed under the consultation key
// in this browser and only then sent. The first time, the consultation key is made here and wrapped
// to the patient, the practitioner and the establishment (their checked, pinned directory keys).
// Needs e2e.js. No inline script: the CSP forbids it.
"use strict";
(function () {
  var form = document.getElementById("questionnaire");
  if (!form) {
    return;
  }
  var E2e = window.CarnetE2e;
  var consultation = form.dataset.appointment;
  var patient = form.dataset.patient;
  var csrf = { header: form.dataset.csrfHeader, token: form.dataset.csrfToken };
  var keySetUp = form.dataset.keySetUp === "true";
  var button = document.getElementById("answers-submit");
  var busy = document.getElementById("answers-busy");
  var error = document.getElementById("answers-error");
  var changed = document.getElementById("key-changed");
  var pending = null;

  /** The answers as docs/e2e.md lays them out, or null after marking the first unanswered required question. */
  function answers() {
    var forms = [];
    var missing = null;
    form.querySelectorAll("fieldset[data-questionnaire]").forEach(function (fieldset) {
      var values = {};
      fieldset.querySelectorAll("[data-question]").forEach(function (question) {
        var id = question.dataset.question;
        var type = question.dataset.type;
        var value;
        if (type === "MULTIPLE_CHOICE") {
          var checked = Array.prototype.map.call(question.querySelectorAll("input:checked"), function (box) {
            return box.value;
          });
          value = checked.length ? checked : undefined;
        } else if (type === "YES_NO" || type === "SINGLE_CHOICE") {
          var chosen = question.querySelector("input:checked");
          value = chosen ? (type === "YES_NO" ? chosen.value === "true" : chosen.value) : undefined;
        } else {
          var input = question.querySelector("input, textarea");
          var text = input.value.trim();
          value = text === "" ? undefined : type === "NUMBER" ? Number(text) : text;
          if (type === "NUMBER" && value !== undefined && !isFinite(value)) {
            value = undefined;
          }
        }
        question.classList.remove("missing");
        if (value !== undefined) {
          values[id] = value;
        } else if (question.dataset.required === "true") {
          question.classList.add("missing");
          missing = missing || question;
        }
      });
      forms.push({ questionnaire: fieldset.dataset.questionnaire, answers: values });
    });
    if (missing) {
      var first = missing.querySelector("input, textarea");
      if (first) {
        first.focus();
      }
      return null;
    }
    return { v: 1, forms: forms };
  }

  /** The consultation key: made and wrapped here the first time, else unwrapped from the patient's copy. */
  async function consultationKey() {
    if (keySetUp) {
      return E2e.consultationKey(consultation, "patient:" + patient);
    }
    var key = await E2e.setUpConsultationKey(consultation, patient, form.dataset.practitioner, form.dataset.establishment, csrf);
    keySetUp = true;
    return key;
  }

  async function send(values) {
    var key = await consultationKey();
    var item = crypto.randomUUID();
    var envelope = await E2e.sealAnswers(key, consultation, item, values);
    await E2e.postJson("/e2e/consultations/" + consultation + "/answers", { itemId: item, envelope: envelope }, csrf);
  }

  function submit(values) {
    error.hidden = true;
    changed.hidden = true;
    busy.hidden = false;
    button.disabled = true;
    send(values)
      .then(function () {
        form.hidden = true;
        document.getElementById("answers-sent").hidden = false;
        // The exchange opens once the key is set up (e2e-exchange.js listens).
        document.dispatchEvent(new CustomEvent("carnet:key-set-up"));
      })
      .catch(function (e) {
        if (e && e.code === "key-changed") {
          pending = { values: values, detail: e.detail };
          document.getElementById("changed-kid").textContent = e.detail.kid;
          changed.hidden = false;
        } else {
          form.dataset.error = e && e.code ? e.code : "other";
          E2e.showOnly(error, form.dataset.error);
        }
      })
      .finally(function () {
        busy.hidden = true;
        button.disabled = false;
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var values = answers();
    if (!values) {
      E2e.showOnly(error, "required");
      return;
    }
    submit(values);
  });

  // The explicit verification step: only after the user says they compared the new fingerprint.
  document.getElementById("accept-key-change").addEventListener("click", function () {
    if (!pending) {
      return;
    }
    var retry = pending;
    pending = null;
    E2e.acceptKeyChange(retry.detail).then(function () {
      submit(retry.values);
    });
  });

  if (!E2e || !E2e.supported) {
    button.disabled = true;
    if (E2e) {
      E2e.showOnly(error, "unsupported");
    }
  }
})();

// The patient's own answers, once sent: opened with this device's key from the patient's own wrap of
// the consultation key, and shown as text beside their questions.
(function () {
  var root = document.getElementById("own-answers");
  if (!root) {
    return;
  }
  var E2e = window.CarnetE2e;
  var error = document.getElementById("own-answers-error");
  var busy = document.getElementById("own-answers-busy");
  if (!E2e || !E2e.supported) {
    if (E2e) {
      E2e.showOnly(error, "unsupported");
    }
    return;
  }
  busy.hidden = false;
  E2e.fetchAnswers(root.dataset.appointment, "patient:" + root.dataset.patient)
    .then(function (plaintext) {
      E2e.showAnswers(root, plaintext);
      root.dataset.opened = "true";
    })
    .catch(function (e) {
      root.dataset.error = e && e.code ? e.code : "other";
      E2e.showOnly(error, root.dataset.error);
    })
    .finally(function () {
      busy.hidden = true;
    });
})();
