// The account key on devices (docs/e2e.md, "Account key, devices and recovery"), with WebCrypto only.
// Each device has its own non-extractable P-256 key in IndexedDB; the account's keys (what the directory
// publishes and what consultation keys are wrapped to) reach a device only wrapped to that device's key
// (ECDH-ES+A256KW, A256GCM) or under the recovery code (PBES2-HS512+A256KW, A256GCM), as flattened JWE
// bound to the account and the recipient. Unwrapped, they are imported non-extractable. Needs e2e.js.
"use strict";
(function () {
  var E2e = window.CarnetE2e;
  if (!E2e || !E2e.internals) {
    return;
  }
  var I = E2e.internals;
  var subtle = window.crypto && window.crypto.subtle;
  var E2eError = I.E2eError;
  var KIND = "account-key";
  var TYPE = "application/vnd.carnet.account-key+json";
  var ECDH_ALG = "ECDH-ES+A256KW";
  var RECOVERY_ALG = "PBES2-HS512+A256KW";
  var RECOVERY_ITEM = "recovery";
  var ITERATIONS = 100000;
  // Crockford's base32: no I, L, O, U, so that a code read aloud or written by hand comes back the same.
  var ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  function binding(subject, item) {
    return { v: 1, account: subject, kind: KIND, item: item };
  }

  // ---- the recovery code -------------------------------------------------------------------------

  /** 160 random bits as 32 base32 characters, shown in groups of four. */
  function newRecoveryCode() {
    var bytes = crypto.getRandomValues(new Uint8Array(20));
    var out = "";
    var value = 0;
    var bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      value = (value << 8) | bytes[i];
      bits += 8;
      while (bits >= 5) {
        out += ALPHABET[(value >>> (bits - 5)) & 31];
        bits -= 5;
      }
      value &= (1 << bits) - 1;
    }
    bytes.fill(0);
    return out.match(/.{4}/g).join("-");
  }

  /** The code as typed, normalised (case, spaces, dashes, O for 0, I and L for 1), or "recovery-code-format". */
  function normalise(text) {
    var code = String(text || "")
      .toUpperCase()
      .replace(/[\s-]/g, "")
      .replace(/O/g, "0")
      .replace(/[IL]/g, "1");
    if (!/^[0-9A-HJKMNP-TV-Z]{32}$/.test(code)) {
      throw E2eError("recovery-code-format");
    }
    return code;
  }

  /** PBES2-HS512+A256KW's key (RFC 7518 §4.8): PBKDF2-HMAC-SHA-512 over the code, salt alg ‖ 0 ‖ p2s. */
  async function codeKey(code, p2s, count, usage) {
    var base = await subtle.importKey("raw", E2e.utf8(code), "PBKDF2", false, ["deriveKey"]);
    var salt = E2e.concat(E2e.utf8(RECOVERY_ALG), new Uint8Array([0]), p2s);
    return subtle.deriveKey(
      { name: "PBKDF2", salt: salt, iterations: count, hash: "SHA-512" },
      base,
      { name: "AES-KW", length: 256 },
      false,
      [usage]
    );
  }

  // ---- this device's own key ---------------------------------------------------------------------

  /** This device's own key for the subject (never published, never leaves the device), or null. */
  async function deviceKey(subject) {
    return (await I.idbGet("keys", subject + "/device")) || null;
  }

  async function ensureDeviceKey(subject) {
    var existing = await deviceKey(subject);
    if (existing) {
      return existing;
    }
    var pair = await subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
    var jwk = await subtle.exportKey("jwk", pair.publicKey);
    var record = {
      id: subject + "/device",
      subject: subject,
      kid: await I.thumbprint(jwk),
      encryption: pair.privateKey,
      publicJwk: I.publicJwk(jwk, ECDH_ALG, "enc"),
      createdAt: new Date().toISOString(),
    };
    await I.idbPut("keys", record);
    return record;
  }

  // ---- envelopes of kind account-key -------------------------------------------------------------

  /** The account key (payload) wrapped to a device's public key, bound to the account and that device. */
  async function wrapToDevice(payload, subject, deviceJwk, deviceKid) {
    return I.sealToKey(
      deviceJwk,
      {
        alg: ECDH_ALG,
        enc: "A256GCM",
        kid: deviceKid,
        cty: TYPE,
        crit: ["carnet"],
        carnet: binding(subject, "device:" + deviceKid),
      },
      payload
    );
  }

  /** The account key (payload) wrapped under the recovery code, bound to the account. */
  async function wrapToCode(payload, subject, code) {
    var p2s = crypto.getRandomValues(new Uint8Array(16));
    var kek = await codeKey(code, p2s, ITERATIONS, "wrapKey");
    var header = I.encodeHeader({
      alg: RECOVERY_ALG,
      enc: "A256GCM",
      kid: RECOVERY_ITEM,
      cty: TYPE,
      crit: ["carnet"],
      carnet: binding(subject, RECOVERY_ITEM),
      p2s: E2e.b64u(p2s),
      p2c: ITERATIONS,
    });
    return I.sealUnder(kek, header, payload);
  }

  /** A served account-key envelope's header, checked before any decryption: members, binding, alg, kid. */
  function checkedHeader(jwe, subject, item, alg, kid) {
    var members = Object.keys(jwe)
      .filter(function (name) {
        return jwe[name] !== null;
      })
      .sort()
      .join(",");
    if (members !== "ciphertext,encrypted_key,iv,protected,tag") {
      throw E2eError("malformed");
    }
    var header;
    try {
      header = JSON.parse(E2e.decodeUtf8(I.unb64u(jwe.protected)));
    } catch (e) {
      throw E2eError("malformed");
    }
    var carnet = header.carnet || {};
    var names = alg === ECDH_ALG ? "alg,carnet,crit,cty,enc,epk,kid" : "alg,carnet,crit,cty,enc,kid,p2c,p2s";
    if (
      Object.keys(header).sort().join(",") !== names ||
      header.alg !== alg ||
      header.enc !== "A256GCM" ||
      header.cty !== TYPE ||
      header.kid !== kid ||
      JSON.stringify(header.crit) !== '["carnet"]' ||
      Object.keys(carnet).sort().join(",") !== "account,item,kind,v" ||
      carnet.v !== 1 ||
      carnet.account !== subject ||
      carnet.kind !== KIND ||
      carnet.item !== item
    ) {
      throw E2eError("misbound");
    }
    return header;
  }

  async function openPayload(jwe, kek) {
    var cek;
    try {
      cek = await subtle.unwrapKey("raw", I.unb64u(jwe.encrypted_key), kek, { name: "AES-KW" }, { name: "AES-GCM" }, false, [
        "decrypt",
      ]);
    } catch (e) {
      throw E2eError("tampered");
    }
    return I.unseal(cek, jwe);
  }

  /** Opens the account key wrapped to this device. */
  async function openFromDevice(jwe, subject, device) {
    var header = checkedHeader(jwe, subject, "device:" + device.kid, ECDH_ALG, device.kid);
    var epk = header.epk || {};
    if (Object.keys(epk).sort().join(",") !== "crv,kty,x,y" || epk.kty !== "EC" || epk.crv !== "P-256") {
      throw E2eError("malformed");
    }
    var ephemeral;
    try {
      ephemeral = await subtle.importKey("jwk", epk, { name: "ECDH", namedCurve: "P-256" }, false, []);
    } catch (e) {
      throw E2eError("malformed");
    }
    return openPayload(jwe, await I.keyEncryptionKey(device.encryption, ephemeral, "unwrapKey"));
  }

  /** Opens the account key wrapped under the recovery code; a code that does not open it: "wrong-code". */
  async function openWithCode(jwe, subject, code) {
    var header = checkedHeader(jwe, subject, RECOVERY_ITEM, RECOVERY_ALG, RECOVERY_ITEM);
    var p2s = I.unb64u(header.p2s);
    if (p2s.length < 16 || p2s.length > 64 || !Number.isInteger(header.p2c) || header.p2c < 10000 || header.p2c > 1000000) {
      throw E2eError("malformed");
    }
    try {
      return await openPayload(jwe, await codeKey(code, p2s, header.p2c, "unwrapKey"));
    } catch (e) {
      throw E2eError(e.code === "tampered" ? "wrong-code" : e.code || "malformed");
    }
  }

  // ---- the account key itself --------------------------------------------------------------------

  function privateJwk(jwk) {
    return { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, d: jwk.d };
  }

  /** The payload of an account-key envelope: the two private JWKs, UTF-8 JSON. */
  function payloadOf(encryptionJwk, signingJwk) {
    return E2e.utf8(JSON.stringify({ v: 1, encryption: privateJwk(encryptionJwk), signing: privateJwk(signingJwk) }));
  }

  async function parsePayload(bytes) {
    var value;
    try {
      value = JSON.parse(E2e.decodeUtf8(bytes));
    } catch (e) {
      throw E2eError("malformed");
    }
    function valid(jwk) {
      return (
        jwk &&
        jwk.kty === "EC" &&
        jwk.crv === "P-256" &&
        typeof jwk.x === "string" &&
        typeof jwk.y === "string" &&
        typeof jwk.d === "string"
      );
    }
    if (!value || value.v !== 1 || !valid(value.encryption) || !valid(value.signing)) {
      throw E2eError("malformed");
    }
    value.kid = await I.thumbprint(value.encryption);
    value.signingKid = await I.thumbprint(value.signing);
    return value;
  }

  /**
   * One's own directory entries, each checked (hash, Carnet's signature, link to the one before): which
   * account keys (encryption kid and signing kid) the account ever published, and the current one.
   */
  async function ownDirectory(kind, subjectId) {
    var entries = await E2e.getJson(E2e.keysPath(kind, subjectId) + "/history?from=1");
    var pairs = {};
    var prev = null;
    for (var i = 0; i < entries.length; i++) {
      await E2e.verifyServedEntry(entries[i], kind, subjectId);
      if ((prev === null && entries[i].version !== 1) || (prev !== null && entries[i].prevHash !== prev)) {
        throw E2eError("directory");
      }
      prev = entries[i].entryHash;
      pairs[entries[i].encryptionKid] = entries[i].signingKid;
    }
    return { pairs: pairs, current: entries.length ? entries[entries.length - 1] : null };
  }

  /**
   * Imports an opened account key on this device, non-extractable, after checking that the account's
   * directory published it (a key the server wrapped to this device on its own is refused).
   */
  async function importAccount(subject, bytes, expectedKid, directory) {
    var value = await parsePayload(bytes);
    if ((expectedKid && value.kid !== expectedKid) || directory.pairs[value.kid] !== value.signingKid) {
      throw E2eError("directory");
    }
    var encryption = await subtle.importKey(
      "jwk",
      privateJwk(value.encryption),
      { name: "ECDH", namedCurve: "P-256" },
      false,
      ["deriveBits"]
    );
    var signing = await subtle.importKey("jwk", privateJwk(value.signing), { name: "ECDSA", namedCurve: "P-256" }, false, [
      "sign",
    ]);
    var record = {
      id: subject + "/" + value.kid,
      subject: subject,
      kid: value.kid,
      signingKid: value.signingKid,
      encryption: encryption,
      signing: signing,
      publication: {
        encryptionKey: I.publicJwk(value.encryption, ECDH_ALG, "enc"),
        signingKey: I.publicJwk(value.signing, "ES256", "sig"),
      },
      account: true,
      createdAt: new Date().toISOString(),
    };
    await I.idbPut("keys", record);
    return record;
  }

  /** Makes the directory's current account key the one this device uses, if it holds it. */
  async function makeCurrent(subject, directory) {
    if (directory.current && (await I.idbGet("keys", subject + "/" + directory.current.encryptionKid))) {
      await I.idbPut("current", { subject: subject, kid: directory.current.encryptionKid });
      return true;
    }
    return false;
  }

  // ---- what the keys page does -------------------------------------------------------------------

  /**
   * First use (or moving from a device key published as the account key): makes this device's key and
   * the account key, wraps the account key to both the device and a new recovery code, and publishes it
   * all at once. Returns the code, to show once.
   */
  async function setUpAccount(kind, subjectId, csrf) {
    var subject = kind + ":" + subjectId;
    var device = await ensureDeviceKey(subject);
    var encryption = await subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    var signing = await subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
    var encryptionJwk = await subtle.exportKey("jwk", encryption.privateKey);
    var signingJwk = await subtle.exportKey("jwk", signing.privateKey);
    var payload = payloadOf(encryptionJwk, signingJwk);
    var code = newRecoveryCode();
    var body = {
      encryptionKey: I.publicJwk(encryptionJwk, ECDH_ALG, "enc"),
      signingKey: I.publicJwk(signingJwk, "ES256", "sig"),
      deviceKey: device.publicJwk,
      deviceWrap: await wrapToDevice(payload, subject, device.publicJwk, device.kid),
      recoveryWrap: await wrapToCode(payload, subject, normalise(code)),
    };
    encryptionJwk.d = "";
    signingJwk.d = "";
    var done = await E2e.postJson("/e2e/keys/me/account", body, csrf);
    var directory = { pairs: {}, current: done.entry };
    directory.pairs[done.entry.encryptionKid] = done.entry.signingKid;
    await E2e.verifyServedEntry(done.entry, kind, subjectId);
    await importAccount(subject, payload, done.entry.encryptionKid, directory);
    payload.fill(0);
    await makeCurrent(subject, directory);
    return code;
  }

  async function registered(device) {
    return (await E2e.getJson("/e2e/keys/me/devices")).some(function (d) {
      return d.deviceKid === device.kid;
    });
  }

  /**
   * On a device without the account key: opens the recovery wraps with the code, makes this device's
   * key, wraps the account key(s) to it, and keeps them here (non-extractable).
   */
  async function recover(kind, subjectId, codeText, csrf) {
    var subject = kind + ":" + subjectId;
    var code = normalise(codeText);
    var wraps = await E2e.getJson("/e2e/keys/me/recovery");
    if (!wraps.length) {
      throw E2eError("no-recovery");
    }
    var opened = [];
    for (var i = 0; i < wraps.length; i++) {
      try {
        opened.push({ accountKid: wraps[i].accountKid, payload: await openWithCode(wraps[i].envelope, subject, code) });
      } catch (e) {
        if (e.code !== "wrong-code") {
          throw e;
        }
      }
    }
    if (!opened.length) {
      throw E2eError("wrong-code");
    }
    var directory = await ownDirectory(kind, subjectId);
    var device = await ensureDeviceKey(subject);
    var known = (await registered(device))
      ? (await E2e.getJson("/e2e/keys/me/devices/" + device.kid + "/wraps")).map(function (w) {
          return w.accountKid;
        })
      : null;
    var out = [];
    for (var j = 0; j < opened.length; j++) {
      var value = await parsePayload(opened[j].payload);
      if (value.kid !== opened[j].accountKid || directory.pairs[value.kid] !== value.signingKid) {
        throw E2eError("directory");
      }
      if (!known || known.indexOf(value.kid) < 0) {
        out.push({ accountKid: value.kid, envelope: await wrapToDevice(opened[j].payload, subject, device.publicJwk, device.kid) });
      }
    }
    if (known === null) {
      await E2e.postJson("/e2e/keys/me/devices", { deviceKey: device.publicJwk, wraps: out }, csrf);
    } else if (out.length) {
      await E2e.postJson("/e2e/keys/me/devices/" + device.kid + "/wraps", { wraps: out }, csrf);
    }
    for (var k = 0; k < opened.length; k++) {
      await importAccount(subject, opened[k].payload, opened[k].accountKid, directory);
      opened[k].payload.fill(0);
    }
    return makeCurrent(subject, directory);
  }

  /** A new device asks to be linked: makes its key and registers it, pending. Returns its fingerprint. */
  async function requestLink(kind, subjectId, csrf) {
    var device = await ensureDeviceKey(kind + ":" + subjectId);
    if (!(await registered(device))) {
      await E2e.postJson("/e2e/keys/me/devices", { deviceKey: device.publicJwk }, csrf);
    }
    return device.kid;
  }

  /** Takes the account key(s) wrapped to this device (by another device, or earlier here); whether it now holds the current one. */
  async function sync(kind, subjectId) {
    var subject = kind + ":" + subjectId;
    var device = await deviceKey(subject);
    if (!device) {
      return false;
    }
    var wraps;
    try {
      wraps = await E2e.getJson("/e2e/keys/me/devices/" + device.kid + "/wraps");
    } catch (e) {
      if (e.code === "http-404") {
        return false;
      }
      throw e;
    }
    if (!wraps.length) {
      return false;
    }
    var directory = await ownDirectory(kind, subjectId);
    for (var i = 0; i < wraps.length; i++) {
      if (!(await I.idbGet("keys", subject + "/" + wraps[i].accountKid))) {
        var payload = await openFromDevice(wraps[i].envelope, subject, device);
        await importAccount(subject, payload, wraps[i].accountKid, directory);
        payload.fill(0);
      }
    }
    return makeCurrent(subject, directory);
  }

  /** The account's devices (fingerprint, status), as the server lists them. */
  function devices() {
    return E2e.getJson("/e2e/keys/me/devices");
  }

  /**
   * Links a pending device, after the user compared its fingerprint with the one that device shows: this
   * device opens its own wraps and wraps each account key to the pending device's key.
   */
  async function approve(kind, subjectId, pending, csrf) {
    var subject = kind + ":" + subjectId;
    var device = await deviceKey(subject);
    if (!device) {
      throw E2eError("no-device-key");
    }
    var jwk;
    try {
      jwk = JSON.parse(pending.deviceJwk);
    } catch (e) {
      throw E2eError("malformed");
    }
    if (jwk.kty !== "EC" || jwk.crv !== "P-256" || (await I.thumbprint(jwk)) !== pending.deviceKid) {
      throw E2eError("malformed");
    }
    var mine = await E2e.getJson("/e2e/keys/me/devices/" + device.kid + "/wraps");
    if (!mine.length) {
      throw E2eError("no-device-key");
    }
    // A linked device (after a new account key version) gets only the versions it does not hold yet.
    var held = await heldBy(pending.deviceKid);
    var out = [];
    for (var i = 0; i < mine.length; i++) {
      if (held.indexOf(mine[i].accountKid) >= 0) {
        continue;
      }
      var payload = await openFromDevice(mine[i].envelope, subject, device);
      if ((await parsePayload(payload)).kid !== mine[i].accountKid) {
        throw E2eError("misbound");
      }
      out.push({ accountKid: mine[i].accountKid, envelope: await wrapToDevice(payload, subject, jwk, pending.deviceKid) });
      payload.fill(0);
    }
    await E2e.postJson("/e2e/keys/me/devices/" + pending.deviceKid + "/wraps", { wraps: out }, csrf);
  }

  /**
   * A new recovery code, after proving that this device holds the account key: every account key version
   * wrapped to this device is opened and wrapped under the new code, and the server replaces the old code's
   * wraps with these (the old code then opens nothing). The proof is a JWS by the current account signing key
   * (non-extractable, in this browser) over the new wraps' tags. Returns the code, to show once.
   */
  async function replaceRecoveryCode(kind, subjectId, csrf) {
    var subject = kind + ":" + subjectId;
    var device = await deviceKey(subject);
    var current = await E2e.currentDeviceKeys(subject);
    if (!device || !current || !current.account) {
      throw E2eError("no-device-key");
    }
    var mine = await E2e.getJson("/e2e/keys/me/devices/" + device.kid + "/wraps");
    var code = newRecoveryCode();
    var wraps = [];
    for (var i = 0; i < mine.length; i++) {
      var payload = await openFromDevice(mine[i].envelope, subject, device);
      if ((await parsePayload(payload)).kid !== mine[i].accountKid) {
        throw E2eError("misbound");
      }
      wraps.push({ accountKid: mine[i].accountKid, envelope: await wrapToCode(payload, subject, normalise(code)) });
      payload.fill(0);
    }
    var header = E2e.b64u(E2e.utf8(JSON.stringify({ alg: "ES256", kid: current.signingKid })));
    var claims = {
      v: 1,
      account: subject,
      kind: "recovery-replacement",
      tags: wraps.map(function (w) {
        return w.envelope.tag;
      }),
      iat: Math.floor(Date.now() / 1000),
    };
    var input = header + "." + E2e.b64u(E2e.utf8(JSON.stringify(claims)));
    var signature = await subtle.sign({ name: "ECDSA", hash: "SHA-256" }, current.signing, E2e.utf8(input));
    await E2e.postJson("/e2e/keys/me/recovery", { wraps: wraps, proof: input + "." + E2e.b64u(signature) }, csrf);
    return code;
  }

  /** The account-key versions wrapped to one of the account's devices (their encryption kids). */
  async function heldBy(deviceKid) {
    return (await E2e.getJson("/e2e/keys/me/devices/" + deviceKid + "/wraps")).map(function (w) {
      return w.accountKid;
    });
  }

  /** Removes one of the account's devices: Carnet deletes its wraps and refuses its key from then on. */
  function remove(deviceKid, csrf) {
    return E2e.deleteJson("/e2e/keys/me/devices/" + encodeURIComponent(deviceKid), csrf);
  }

  E2e.account = {
    heldBy: heldBy,
    remove: remove,
    replaceRecoveryCode: replaceRecoveryCode,
    deviceKey: deviceKey,
    setUp: setUpAccount,
    recover: recover,
    requestLink: requestLink,
    sync: sync,
    devices: devices,
    approve: approve,
    recoveryWraps: function () {
      return E2e.getJson("/e2e/keys/me/recovery");
    },
    // For e2e-establishment.js: the establishment key is held in the same envelopes (account "establishment:<id>").
    envelopes: {
      newRecoveryCode: newRecoveryCode,
      normalise: normalise,
      payloadOf: payloadOf,
      parsePayload: parsePayload,
      privateJwk: privateJwk,
      wrapToCode: wrapToCode,
      openWithCode: openWithCode,
      checkedHeader: checkedHeader,
      openPayload: openPayload,
    },
  };
})();
