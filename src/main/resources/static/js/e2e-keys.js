// The device keys page: shows this device's keys and the directory's, makes the keys (non-extractable,
// in IndexedDB) and publishes their public halves. Needs e2e.js. No inline script: the CSP forbids it.
"use strict";
(function () {
  var root = document.getElementById("e2e-keys");
  if (!root) {
    return;
  }
  var E2e = window.CarnetE2e;
  var kind = root.dataset.subjectKind;
  var subjectId = root.dataset.subjectId;
  var subject = kind + ":" + subjectId;
  var csrf = { header: root.dataset.csrfHeader, token: root.dataset.csrfToken };
  var state = document.getElementById("keys-state");
  var error = document.getElementById("keys-error");
  var create = document.getElementById("create-keys");
  var publish = document.getElementById("publish-keys");
  var deviceKid = document.getElementById("device-kid");
  var directoryKid = document.getElementById("directory-kid");

  async function directoryEntry() {
    try {
      var entry = await E2e.getJson(E2e.keysPath(kind, subjectId));
      // One's own entry: its hash and Carnet's signature (its chain is pinned by those who encrypt to it).
      await E2e.verifyServedEntry(entry, kind, subjectId);
      return entry;
    } catch (e) {
      if (e.code === "http-404") {
        return null;
      }
      throw e;
    }
  }

  async function refresh() {
    var device = await E2e.currentDeviceKeys(subject);
    var entry = await directoryEntry();
    deviceKid.textContent = device ? device.kid : "—";
    directoryKid.textContent = entry ? entry.encryptionKid : "—";
    create.hidden = !!device;
    publish.hidden = !(device && (!entry || entry.encryptionKid !== device.kid));
    var code = !device ? (entry ? "elsewhere" : "none") : !entry || entry.encryptionKid !== device.kid ? "unpublished" : "ready";
    E2e.showOnly(state, code);
    root.dataset.state = code;
  }

  async function publishKeys(device) {
    await E2e.postJson("/e2e/keys/me", device.publication, csrf);
  }

  function failed(e) {
    E2e.showOnly(error, e && e.code ? e.code : "other");
  }

  function run(action) {
    error.hidden = true;
    create.disabled = true;
    publish.disabled = true;
    action()
      .then(refresh)
      .catch(failed)
      .finally(function () {
        create.disabled = false;
        publish.disabled = false;
      });
  }

  create.addEventListener("click", function () {
    run(async function () {
      await E2e.persistStorage();
      var device = await E2e.createDeviceKeys(subject);
      await publishKeys(device);
    });
  });
  publish.addEventListener("click", function () {
    run(async function () {
      var device = await E2e.currentDeviceKeys(subject);
      if (device) {
        await publishKeys(device);
      }
    });
  });

  if (!E2e || !E2e.supported) {
    if (E2e) {
      failed({ code: "unsupported" });
    }
    return;
  }
  refresh().catch(failed);
})();
