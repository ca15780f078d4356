// The establishment key (docs/e2e.md, "The establishment key"), with WebCrypto only: made on its administrator's
// page, held by Carnet only wrapped, in the account-key envelopes of e2e-account.js whose account is
// "establishment:<id>": under the offline recovery code (PBES2-HS512+A256KW) and to each practitioner's account
// encryption key (ECDH-ES+A256KW, item "practitioner:<id>"). A practitioner opens their wrap with their account
// key and, with the establishment key, the establishment's wrap of a consultation key (continuity of care).
// The administrator's page keeps no private key: the bytes live in its memory only while being wrapped.
// Needs e2e.js and e2e-account.js.
"use strict";
(function () {
  var E2e = window.CarnetE2e;
  if (!E2e || !E2e.internals || !E2e.account || !E2e.account.envelopes) {
    return;
  }
  var I = E2e.internals;
  var A = E2e.account.envelopes;
  var subtle = window.crypto && window.crypto.subtle;
  var E2eError = I.E2eError;
  var ECDH_ALG = "ECDH-ES+A256KW";
  var TYPE = "application/vnd.carnet.account-key+json";
  var BASE = "/e2e/keys/establishment";

  function account(establishment) {
    return "establishment:" + establishment;
  }

  /** The establishment's directory entries, each checked (hash, Carnet's signature, chain): entry by version. */
  async function establishmentEntries(establishment) {
    var entries = await E2e.getJson(E2e.keysPath("establishment", establishment) + "/history?from=1");
    var byVersion = {};
    var prev = null;
    for (var i = 0; i < entries.length; i++) {
      await E2e.verifyServedEntry(entries[i], "establishment", establishment);
      if ((prev === null && entries[i].version !== 1) || (prev !== null && entries[i].prevHash !== prev)) {
        throw E2eError("directory");
      }
      prev = entries[i].entryHash;
      byVersion[entries[i].version] = entries[i];
    }
    return byVersion;
  }

  /** An opened establishment key, checked against the directory entry of its version. */
  async function checkedKey(bytes, entry) {
    var value = await A.parsePayload(bytes);
    if (!entry || value.kid !== entry.encryptionKid || value.signingKid !== entry.signingKid) {
      throw E2eError("directory");
    }
    return value;
  }

  // ---- the administrator's page ------------------------------------------------------------------

  /** A version of the establishment key (payload) wrapped to a practitioner's checked, pinned directory key. */
  async function wrapToPractitioner(payload, establishment, practitioner) {
    var recipient = await E2e.recipientKey("practitioner", practitioner.practitionerId);
    if (recipient.jwk.kid !== practitioner.accountKid) {
      throw E2eError("directory");
    }
    return I.sealToKey(
      recipient.jwk,
      {
        alg: ECDH_ALG,
        enc: "A256GCM",
        kid: recipient.jwk.kid,
        cty: TYPE,
        crit: ["carnet"],
        carnet: { v: 1, account: account(establishment), kind: "account-key", item: "practitioner:" + practitioner.practitionerId },
      },
      payload
    );
  }

  /** Who gets the key: the practitioners who did not leave and have an account key. */
  function holders(status) {
    return status.practitioners.filter(function (p) {
      return !p.departedAt && p.accountKid;
    });
  }

  /**
   * A new version of the establishment key: made here (extractable for this moment only), wrapped under the code
   * and to every practitioner who can hold it, published all at once. The private bytes are then dropped.
   */
  async function newVersion(status, code, csrf) {
    var establishment = status.establishmentId;
    var encryption = await subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    var signing = await subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
    var encryptionJwk = await subtle.exportKey("jwk", encryption.privateKey);
    var signingJwk = await subtle.exportKey("jwk", signing.privateKey);
    var payload = A.payloadOf(encryptionJwk, signingJwk);
    var version = (status.current ? status.current.version : 0) + 1;
    var wraps = [];
    try {
      var to = holders(status);
      for (var i = 0; i < to.length; i++) {
        wraps.push({
          keyVersion: version,
          practitionerId: to[i].practitionerId,
          envelope: await wrapToPractitioner(payload, establishment, to[i]),
        });
      }
      var body = {
        encryptionKey: I.publicJwk(encryptionJwk, ECDH_ALG, "enc"),
        signingKey: I.publicJwk(signingJwk, "ES256", "sig"),
        recoveryWrap: await A.wrapToCode(payload, account(establishment), code),
        wraps: wraps,
      };
      var done = await E2e.postJson(BASE + "/versions", body, csrf);
      await E2e.verifyServedEntry(done.entry, "establishment", establishment);
      return done.entry;
    } finally {
      payload.fill(0);
      encryptionJwk.d = "";
      signingJwk.d = "";
    }
  }

  /** First set-up: a new code (shown once by the page) and the first version. Returns the code. */
  async function setUp(status, csrf) {
    var code = A.newRecoveryCode();
    await newVersion(status, A.normalise(code), csrf);
    return code;
  }

  /** Every version the code opens, checked against the directory: [{version, payload}] (bytes to zero after use). */
  async function openAll(status, codeText) {
    var code = A.normalise(codeText);
    var establishment = status.establishmentId;
    var wraps = await E2e.getJson(BASE + "/recovery");
    if (!wraps.length) {
      throw E2eError("no-recovery");
    }
    var entries = await establishmentEntries(establishment);
    var opened = [];
    for (var i = 0; i < wraps.length; i++) {
      var bytes = await A.openWithCode(wraps[i].envelope, account(establishment), code);
      await checkedKey(bytes, entries[wraps[i].keyVersion]);
      opened.push({ version: wraps[i].keyVersion, payload: bytes });
    }
    return { code: code, versions: opened };
  }

  /**
   * With the offline code: wraps each version a practitioner lacks to them (who joined later, or made their account
   * key later), and when asked (a practitioner who left holds the current version) makes the next version under the
   * same code, wrapped to those who stay. Returns how many wraps were stored.
   */
  async function maintain(status, codeText, rotate, csrf) {
    var opened = await openAll(status, codeText);
    var count = 0;
    try {
      var wraps = [];
      var to = holders(status);
      for (var i = 0; i < to.length; i++) {
        for (var j = 0; j < opened.versions.length; j++) {
          if (to[i].missingVersions.indexOf(opened.versions[j].version) >= 0) {
            wraps.push({
              keyVersion: opened.versions[j].version,
              practitionerId: to[i].practitionerId,
              envelope: await wrapToPractitioner(opened.versions[j].payload, status.establishmentId, to[i]),
            });
          }
        }
      }
      if (wraps.length) {
        count += (await E2e.postJson(BASE + "/wraps", { wraps: wraps }, csrf)).length;
      }
      if (rotate) {
        await newVersion(status, opened.code, csrf);
        count += to.length + 1;
      }
    } finally {
      opened.versions.forEach(function (v) {
        v.payload.fill(0);
      });
    }
    return count;
  }

  // ---- a practitioner's pages --------------------------------------------------------------------

  /**
   * The consultation key through the establishment: the establishment's wrap of it, and the caller's wrap of the
   * establishment key version it names, opened with this device's account key and checked against the
   * establishment's directory entry. The establishment key is kept here like an account key (non-extractable,
   * IndexedDB record "establishment:<id>/<kid>"), so that e2e.js's unwrapKey opens the consultation key with it.
   */
  async function consultationKey(consultation, subject) {
    var served = await E2e.getJson("/e2e/consultations/" + consultation + "/keys/establishment");
    var establishment = served.recipientId;
    var holder = account(establishment);
    var header = JSON.parse(E2e.decodeUtf8(I.unb64u(served.envelope.protected)));
    if (!(await I.idbGet("keys", holder + "/" + header.kid))) {
      var mine = await E2e.getJson(BASE + "/mine");
      var entries = await establishmentEntries(establishment);
      var wrap = mine.filter(function (w) {
        return entries[w.keyVersion] && entries[w.keyVersion].encryptionKid === header.kid;
      })[0];
      if (!wrap) {
        throw E2eError("no-establishment-key");
      }
      var own = JSON.parse(E2e.decodeUtf8(I.unb64u(wrap.envelope.protected)));
      var device = await I.idbGet("keys", subject + "/" + own.kid);
      if (!device) {
        throw E2eError("no-device-key");
      }
      var checked = A.checkedHeader(wrap.envelope, holder, subject, ECDH_ALG, own.kid);
      var epk = checked.epk || {};
      if (Object.keys(epk).sort().join(",") !== "crv,kty,x,y" || epk.kty !== "EC" || epk.crv !== "P-256") {
        throw E2eError("malformed");
      }
      var ephemeral = await subtle.importKey("jwk", epk, { name: "ECDH", namedCurve: "P-256" }, false, []);
      var bytes = await A.openPayload(wrap.envelope, await I.keyEncryptionKey(device.encryption, ephemeral, "unwrapKey"));
      try {
        var value = await checkedKey(bytes, entries[wrap.keyVersion]);
        var key = await subtle.importKey(
          "jwk",
          A.privateJwk(value.encryption),
          { name: "ECDH", namedCurve: "P-256" },
          false,
          ["deriveBits"]
        );
        await I.idbPut("keys", { id: holder + "/" + value.kid, subject: holder, kid: value.kid, encryption: key });
      } finally {
        bytes.fill(0);
      }
    }
    return E2e.unwrapKey(served.envelope, holder, consultation, holder);
  }

  E2e.establishment = {
    status: function () {
      return E2e.getJson(BASE + "/status");
    },
    setUp: setUp,
    maintain: maintain,
    consultationKey: consultationKey,
  };

  // ---- the administrator's page, wired -----------------------------------------------------------

  var root = document.getElementById("establishment-key");
  if (!root) {
    return;
  }
  var csrf = { header: root.dataset.csrfHeader, token: root.dataset.csrfToken };
  var error = document.getElementById("establishment-key-error");
  var done = document.getElementById("establishment-key-done");

  function failed(e) {
    root.dataset.error = e && e.code ? e.code : "other";
    E2e.showOnly(error, root.dataset.error);
  }

  function busy(button, action) {
    button.disabled = true;
    error.hidden = true;
    done.hidden = true;
    return action().catch(failed).finally(function () {
      button.disabled = false;
    });
  }

  var make = document.getElementById("make-establishment-key");
  if (make) {
    make.addEventListener("click", function () {
      busy(make, async function () {
        var code = await setUp(await E2e.establishment.status(), csrf);
        document.getElementById("recovery-code").textContent = code;
        document.getElementById("recovery-code-box").hidden = false;
        document.body.classList.add("recovery-code-shown");
        make.hidden = true;
        root.dataset.state = "made";
      });
    });
  }
  ["wrap-establishment-key", "rotate-establishment-key"].forEach(function (id) {
    var button = document.getElementById(id);
    if (!button) {
      return;
    }
    button.addEventListener("click", function () {
      busy(button, async function () {
        var input = document.getElementById("establishment-code");
        await maintain(await E2e.establishment.status(), input.value, id === "rotate-establishment-key", csrf);
        input.value = "";
        root.dataset.state = id === "rotate-establishment-key" ? "rotated" : "wrapped";
        done.hidden = false;
      });
    });
  });
  var print = document.getElementById("print-code");
  if (print) {
    print.addEventListener("click", function () {
      window.print();
    });
  }
  var saved = document.getElementById("code-saved");
  if (saved) {
    saved.addEventListener("click", function () {
      window.location.reload();
    });
  }
  if (!E2e.supported) {
    failed({ code: "unsupported" });
  }
})();
