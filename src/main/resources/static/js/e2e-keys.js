// The keys page (docs/e2e.md, "Account key, devices and recovery"): sets the account key up at first use
// (with the recovery code, shown once), recovers it with the code on a device without it, links a new
// device from an existing one (each shows fingerprints to compare), and moves a device key published as
// the account key to an account key. Needs e2e.js and e2e-account.js. No inline script: the CSP forbids it.
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
  var upgrade = document.getElementById("upgrade-keys");
  var deviceKid = document.getElementById("device-kid");
  var directoryKid = document.getElementById("directory-kid");
  var thisDeviceKid = document.getElementById("this-device-kid");
  var codeBox = document.getElementById("recovery-code-box");
  var recoverBox = document.getElementById("recover-box");
  var linkBox = document.getElementById("link-box");
  var linkPending = document.getElementById("link-pending");
  var devicesBox = document.getElementById("devices-box");
  var devicesList = document.getElementById("devices");
  var removedBox = document.getElementById("removed-box");

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
    var account = E2e.account;
    var current = await E2e.currentDeviceKeys(subject);
    var entry = await directoryEntry();
    if (entry && (!current || current.kid !== entry.encryptionKid)) {
      // Wrapped to this device since (linked from another device, or a newer account key): take it.
      if (await account.sync(kind, subjectId)) {
        current = await E2e.currentDeviceKeys(subject);
      }
    }
    var device = await account.deviceKey(subject);
    var holdsCurrent = !!(current && entry && current.kid === entry.encryptionKid);
    var code;
    if (!entry) {
      code = "none";
    } else if (holdsCurrent && current.account) {
      code = "ready";
    } else if (holdsCurrent && !(await account.recoveryWraps()).length) {
      // A device key published as the account key (before account keys existed): move it on.
      code = "legacy";
    } else if (holdsCurrent) {
      code = "ready";
    } else {
      code = "elsewhere";
    }
    deviceKid.textContent = holdsCurrent ? current.kid : "—";
    directoryKid.textContent = entry ? entry.encryptionKid : "—";
    thisDeviceKid.textContent = device ? device.kid : "—";
    create.hidden = code !== "none";
    upgrade.hidden = code !== "legacy";
    recoverBox.hidden = code !== "elsewhere";
    linkBox.hidden = code !== "elsewhere";
    devicesBox.hidden = !(code === "ready" && current.account);
    if (!devicesBox.hidden) {
      await showDevices(device, entry);
    }
    E2e.showOnly(state, code);
    root.dataset.state = code;
  }

  function button(className, text, onClick) {
    var made = document.createElement("button");
    made.type = "button";
    made.className = className;
    made.textContent = text;
    made.addEventListener("click", onClick);
    return made;
  }

  /**
   * The account's devices with their fingerprints: a pending one, or a linked one without the current account
   * key (after a new version), is approved from here; any one can be removed (the one in use only after a
   * confirmation).
   */
  async function showDevices(device, entry) {
    var devices = await E2e.account.devices();
    var words = devicesList.dataset;
    var rows = await Promise.all(
      devices.map(async function (d) {
        var mine = device && d.deviceKid === device.kid;
        var lacksCurrent =
          d.status === "pending" || (!mine && (await E2e.account.heldBy(d.deviceKid)).indexOf(entry.encryptionKid) < 0);
        var item = document.createElement("li");
        item.dataset.device = d.deviceKid;
        item.dataset.status = d.status;
        var kid = document.createElement("code");
        kid.className = "fingerprint";
        kid.textContent = d.deviceKid;
        var status = document.createElement("span");
        status.className = "status";
        status.textContent = " — " + (mine ? words.this : d.status === "linked" && lacksCurrent ? words.outdated : words[d.status] || d.status);
        item.appendChild(kid);
        item.appendChild(status);
        var line = document.createElement("p");
        if (lacksCurrent) {
          line.appendChild(
            button("approve", words.approve, function () {
              run(function () {
                return E2e.account.approve(kind, subjectId, d, csrf);
              });
            })
          );
          line.appendChild(document.createTextNode(" "));
        }
        var confirm = document.createElement("p");
        confirm.className = "confirm-remove";
        confirm.hidden = true;
        confirm.appendChild(document.createTextNode(words.confirmRemove + " "));
        confirm.appendChild(
          button("confirm", words.confirmRemoveButton, function () {
            removeDevice(d.deviceKid, true);
          })
        );
        line.appendChild(
          button("remove", mine ? words.removeThis : words.remove, function () {
            if (mine) {
              confirm.hidden = false; // the device in use: only after saying so
            } else {
              removeDevice(d.deviceKid, false);
            }
          })
        );
        item.appendChild(line);
        item.appendChild(confirm);
        return item;
      })
    );
    devicesList.textContent = "";
    rows.forEach(function (row) {
      devicesList.appendChild(row);
    });
    devicesList.dataset.count = String(devices.length);
  }

  /**
   * Removes a device, then says what removal cannot undo and offers a new account key version (from another
   * device when this one was removed: Carnet refuses its key now).
   */
  function removeDevice(deviceKid, mine) {
    run(async function () {
      await E2e.account.remove(deviceKid, csrf);
      document.getElementById("rekey").hidden = mine;
      document.getElementById("removed-this").hidden = !mine;
      removedBox.hidden = false;
      root.dataset.removed = deviceKid;
    });
  }

  function failed(e) {
    E2e.showOnly(error, e && e.code ? e.code : "other");
    root.dataset.error = e && e.code ? e.code : "other";
  }

  function run(action) {
    error.hidden = true;
    delete root.dataset.error;
    var buttons = Array.prototype.slice.call(document.querySelectorAll("main button"));
    buttons.forEach(function (b) {
      b.disabled = true;
    });
    return action()
      .then(refresh)
      .catch(failed)
      .finally(function () {
        buttons.forEach(function (b) {
          b.disabled = false;
        });
      });
  }

  function showCode(code) {
    document.getElementById("recovery-code").textContent = code;
    codeBox.hidden = false;
    document.body.classList.add("recovery-code-shown");
    var heading = document.getElementById("code-heading");
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }

  function setUp() {
    run(async function () {
      await E2e.persistStorage();
      showCode(await E2e.account.setUp(kind, subjectId, csrf));
    });
  }

  create.addEventListener("click", setUp);
  upgrade.addEventListener("click", setUp);
  document.getElementById("new-code").addEventListener("click", function () {
    run(async function () {
      showCode(await E2e.account.replaceRecoveryCode(kind, subjectId, csrf));
    });
  });
  document.getElementById("rekey").addEventListener("click", function () {
    removedBox.hidden = true;
    setUp();
  });
  document.getElementById("print-code").addEventListener("click", function () {
    window.print();
  });
  document.getElementById("code-saved").addEventListener("click", function () {
    document.getElementById("recovery-code").textContent = "";
    codeBox.hidden = true;
    document.body.classList.remove("recovery-code-shown");
  });
  document.getElementById("recover-submit").addEventListener("click", function () {
    var input = document.getElementById("recovery-input");
    run(async function () {
      await E2e.persistStorage();
      await E2e.account.recover(kind, subjectId, input.value, csrf);
      input.value = "";
    });
  });
  document.getElementById("link-request").addEventListener("click", function () {
    run(async function () {
      await E2e.persistStorage();
      document.getElementById("link-kid").textContent = await E2e.account.requestLink(kind, subjectId, csrf);
      linkPending.hidden = false;
    });
  });
  document.getElementById("link-check").addEventListener("click", function () {
    var waiting = document.getElementById("link-waiting");
    waiting.hidden = true;
    run(async function () {
      if (!(await E2e.account.sync(kind, subjectId))) {
        waiting.hidden = false;
      }
    });
  });
  document.getElementById("devices-refresh").addEventListener("click", function () {
    run(async function () {});
  });

  if (!E2e || !E2e.supported || !E2e.account) {
    if (E2e) {
      failed({ code: "unsupported" });
    }
    return;
  }
  refresh().catch(failed);
})();
