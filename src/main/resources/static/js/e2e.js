// Carnet's end-to-end protocol in the browser (docs/e2e.md), with WebCrypto only: device keys kept
// non-extractable in IndexedDB, the key directory's entries checked and pinned, consultation keys
// wrapped with ECDH-ES+A256KW (Concat KDF of RFC 7518 §4.6 over WebCrypto's SHA-256, AES-KW) and
// content sealed with A256GCM, as flattened JWE whose header is entirely protected. No cipher is
// written here: WebCrypto does every primitive; this file lays out the standard formats around them.
// Served with Subresource Integrity; the pages' scripts use window.CarnetE2e.
"use strict";
(function () {
  var subtle = window.crypto && window.crypto.subtle;
  var encoder = new TextEncoder();
  var decoder = new TextDecoder("utf-8", { fatal: true });
  var DB_NAME = "carnet-e2e";
  var KEY_ALG = "ECDH-ES+A256KW";
  var KEY_KIND = "consultation-key";
  var ANSWERS_KIND = "questionnaire-answers";
  var ANSWERS_TYPE = "application/vnd.carnet.questionnaire-answers+json";

  /** A refusal the page shows: code names the message (what went wrong, never any content). */
  function E2eError(code, detail) {
    var error = new Error(code);
    error.code = code;
    error.detail = detail;
    return error;
  }

  // ---- bytes -------------------------------------------------------------------------------------

  function b64u(bytes) {
    var view = new Uint8Array(bytes);
    var text = "";
    for (var i = 0; i < view.length; i++) {
      text += String.fromCharCode(view[i]);
    }
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function unb64u(text) {
    if (typeof text !== "string" || !/^[A-Za-z0-9_-]*$/.test(text)) {
      throw E2eError("malformed");
    }
    var padded = text.replace(/-/g, "+").replace(/_/g, "/");
    while (padded.length % 4) {
      padded += "=";
    }
    var binary = atob(padded);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  function concat() {
    var length = 0;
    for (var i = 0; i < arguments.length; i++) {
      length += arguments[i].length;
    }
    var out = new Uint8Array(length);
    var at = 0;
    for (var j = 0; j < arguments.length; j++) {
      out.set(arguments[j], at);
      at += arguments[j].length;
    }
    return out;
  }

  function u32(n) {
    var out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, n, false);
    return out;
  }

  function u64(n) {
    var out = new Uint8Array(8);
    var view = new DataView(out.buffer);
    view.setUint32(0, Math.floor(n / 4294967296), false);
    view.setUint32(4, n % 4294967296, false);
    return out;
  }

  function lp(bytes) {
    return concat(u32(bytes.length), bytes);
  }

  function sameBytes(a, b) {
    if (a.length !== b.length) {
      return false;
    }
    var diff = 0;
    for (var i = 0; i < a.length; i++) {
      diff |= a[i] ^ b[i];
    }
    return diff === 0;
  }

  function utf8(text) {
    return encoder.encode(text);
  }

  async function sha256(bytes) {
    return new Uint8Array(await subtle.digest("SHA-256", bytes));
  }

  // ---- JWK ---------------------------------------------------------------------------------------

  /** RFC 7638 thumbprint of a P-256 public key: the kid. */
  async function thumbprint(jwk) {
    return b64u(await sha256(utf8('{"crv":"P-256","kty":"EC","x":"' + jwk.x + '","y":"' + jwk.y + '"}')));
  }

  function publicJwk(jwk, alg, use) {
    return { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, alg: alg, use: use };
  }

  // ---- IndexedDB ---------------------------------------------------------------------------------

  function database() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("keys", { keyPath: "id" }); // subject + "/" + encryption kid: every key kept
        db.createObjectStore("current", { keyPath: "subject" }); // subject -> the kid in use
        db.createObjectStore("pins", { keyPath: "subject" }); // subject -> pinned directory entry
      };
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        reject(E2eError("storage"));
      };
    });
  }

  async function idb(store, mode, action) {
    var db = await database();
    return new Promise(function (resolve, reject) {
      var transaction = db.transaction(store, mode);
      var request = action(transaction.objectStore(store));
      var result;
      request.onsuccess = function () {
        result = request.result;
      };
      transaction.oncomplete = function () {
        db.close();
        resolve(result);
      };
      transaction.onerror = transaction.onabort = function () {
        db.close();
        reject(E2eError("storage"));
      };
    });
  }

  function idbGet(store, key) {
    return idb(store, "readonly", function (s) {
      return s.get(key);
    });
  }

  function idbPut(store, value) {
    return idb(store, "readwrite", function (s) {
      return s.put(value);
    });
  }

  // ---- device keys -------------------------------------------------------------------------------

  /**
   * Makes the account's encryption (ECDH) and signing (ECDSA) key pairs on this device. The private
   * keys are non-extractable: IndexedDB keeps the CryptoKey objects, and no script (ours included)
   * can read their bytes. Older keys stay stored, for the consultations wrapped to them.
   */
  async function createDeviceKeys(subject) {
    var encryption = await subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
    var signing = await subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
    var encryptionJwk = await subtle.exportKey("jwk", encryption.publicKey);
    var signingJwk = await subtle.exportKey("jwk", signing.publicKey);
    var kid = await thumbprint(encryptionJwk);
    var record = {
      id: subject + "/" + kid,
      subject: subject,
      kid: kid,
      signingKid: await thumbprint(signingJwk),
      encryption: encryption.privateKey,
      signing: signing.privateKey,
      publication: {
        encryptionKey: publicJwk(encryptionJwk, KEY_ALG, "enc"),
        signingKey: publicJwk(signingJwk, "ES256", "sig"),
      },
      createdAt: new Date().toISOString(),
    };
    await idbPut("keys", record);
    await idbPut("current", { subject: subject, kid: kid });
    return record;
  }

  /** This device's current keys for the subject ("patient:<id>", "practitioner:<id>"), or null. */
  async function currentDeviceKeys(subject) {
    var current = await idbGet("current", subject);
    return current ? (await idbGet("keys", subject + "/" + current.kid)) || null : null;
  }

  /** This device's keys whose encryption key has this kid (current or older), or null. */
  async function deviceKeysFor(subject, kid) {
    return (await idbGet("keys", subject + "/" + kid)) || null;
  }

  /** Asks the browser not to evict IndexedDB under storage pressure; whether it agreed. */
  async function persistStorage() {
    if (navigator.storage && navigator.storage.persist) {
      try {
        return await navigator.storage.persist();
      } catch (e) {
        return false;
      }
    }
    return false;
  }

  // ---- HTTP (the session routes under /e2e, same origin, CSRF header on writes) ------------------

  async function getJson(path) {
    var response = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw E2eError("http-" + response.status);
    }
    return response.json();
  }

  function postJson(path, body, csrf) {
    return sendJson("POST", path, body, csrf);
  }

  function putJson(path, body, csrf) {
    return sendJson("PUT", path, body, csrf);
  }

  /** A DELETE under /e2e (CSRF header); its answer has no body. */
  async function deleteJson(path, csrf) {
    var headers = { Accept: "application/json" };
    headers[csrf.header] = csrf.token;
    var response = await fetch(path, { method: "DELETE", credentials: "same-origin", headers: headers });
    if (!response.ok) {
      throw E2eError("http-" + response.status);
    }
  }

  async function sendJson(method, path, body, csrf) {
    var headers = { "Content-Type": "application/json", Accept: "application/json" };
    headers[csrf.header] = csrf.token;
    var response = await fetch(path, {
      method: method,
      credentials: "same-origin",
      headers: headers,
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw E2eError("http-" + response.status);
    }
    return response.json();
  }

  // ---- key directory -----------------------------------------------------------------------------

  var serverKeys = {};

  /**
   * Carnet's directory signing key named by an entry's serverKeyId: the current one, or an older one after
   * Carnet rotated its signing key (entries keep the key id they were signed under).
   */
  function serverKey(keyId) {
    if (!serverKeys[keyId]) {
      serverKeys[keyId] = getJson("/e2e/signing-key?keyId=" + encodeURIComponent(keyId)).then(async function (jwk) {
        if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || jwk.keyId !== keyId) {
          throw E2eError("directory");
        }
        return {
          keyId: jwk.keyId,
          key: await subtle.importKey("raw", unb64u(jwk.x), { name: "Ed25519" }, false, ["verify"]),
        };
      });
      serverKeys[keyId].catch(function () {
        delete serverKeys[keyId];
      });
    }
    return serverKeys[keyId];
  }

  /** entry_hash of docs/e2e.md, recomputed from the served fields. */
  async function entryHash(entry) {
    return sha256(
      concat(
        utf8("carnet-key-directory-entry/1"),
        lp(utf8(String(entry.subjectKind).toUpperCase())),
        lp(utf8(String(entry.subjectId).toLowerCase())),
        u32(entry.version),
        lp(unb64u(entry.prevHash)),
        lp(utf8(entry.encryptionJwk)),
        lp(utf8(entry.signingJwk)),
        u64(entry.publishedAtMicros)
      )
    );
  }

  /**
   * Checks one served entry as docs/e2e.md says: its hash, its link to the previous hash the client
   * holds, Carnet's signature, and that its encryption key is a P-256 key named by its thumbprint.
   */
  async function verifyEntry(entry, expectedPrev, kind, subjectId) {
    var server = await serverKey(String(entry.serverKeyId));
    var hash = await entryHash(entry);
    var prev = unb64u(entry.prevHash);
    var jwk = JSON.parse(entry.encryptionJwk);
    var ok =
      entry.subjectKind === kind &&
      String(entry.subjectId).toLowerCase() === String(subjectId).toLowerCase() &&
      entry.serverKeyId === server.keyId &&
      sameBytes(prev, expectedPrev) &&
      sameBytes(hash, unb64u(entry.entryHash)) &&
      (await subtle.verify(
        { name: "Ed25519" },
        server.key,
        unb64u(entry.serverSignature),
        concat(utf8("carnet-key-directory-signature/1"), hash)
      )) &&
      jwk.kty === "EC" &&
      jwk.crv === "P-256" &&
      jwk.alg === KEY_ALG &&
      jwk.kid === entry.encryptionKid &&
      (await thumbprint(jwk)) === jwk.kid;
    if (!ok) {
      throw E2eError("directory");
    }
    return jwk;
  }

  /** Checks entries oldest first, each linked to the one before; the last one's public key. */
  async function verifyChain(entries, firstPrev, kind, subjectId) {
    var prev = firstPrev;
    var jwk = null;
    for (var i = 0; i < entries.length; i++) {
      jwk = await verifyEntry(entries[i], prev, kind, subjectId);
      prev = unb64u(entries[i].entryHash);
    }
    return jwk;
  }

  function keysPath(kind, subjectId) {
    return "/e2e/keys/" + encodeURIComponent(kind) + "/" + encodeURIComponent(subjectId);
  }

  /**
   * A recipient's current encryption key, checked and pinned (trust on first use): the first time, the
   * whole chain from version 1 is verified and pinned; afterwards the same entry must come back, or a
   * newer one chained to the pinned one, which is refused (code "key-changed") until the user confirms
   * its fingerprint with acceptKeyChange. A rewritten or older entry is refused outright.
   */
  async function recipientKey(kind, subjectId) {
    var subject = kind + ":" + subjectId;
    var entry = await getJson(keysPath(kind, subjectId));
    var pin = await idbGet("pins", subject);
    if (!pin) {
      var chain = entry.version === 1 ? [entry] : await getJson(keysPath(kind, subjectId) + "/history?from=1");
      var last = chain[chain.length - 1];
      if (chain.length !== entry.version || last.entryHash !== entry.entryHash) {
        throw E2eError("directory");
      }
      var first = await verifyChain(chain, new Uint8Array(32), kind, subjectId);
      await idbPut("pins", { subject: subject, version: entry.version, entryHash: entry.entryHash, kid: first.kid });
      return { jwk: first, entry: entry, firstUse: true };
    }
    if (entry.version === pin.version) {
      if (entry.entryHash !== pin.entryHash) {
        throw E2eError("directory-rewritten");
      }
      return { jwk: await verifyEntry(entry, unb64u(entry.prevHash), kind, subjectId), entry: entry, firstUse: false };
    }
    if (entry.version < pin.version) {
      throw E2eError("directory-rolled-back");
    }
    var history = await getJson(keysPath(kind, subjectId) + "/history?from=" + pin.version);
    if (!history.length || history[0].entryHash !== pin.entryHash) {
      throw E2eError("directory-rewritten");
    }
    var tail = history.slice(1);
    if (!tail.length || tail[tail.length - 1].entryHash !== entry.entryHash) {
      throw E2eError("directory");
    }
    var changed = await verifyChain(tail, unb64u(pin.entryHash), kind, subjectId);
    throw E2eError("key-changed", {
      subject: subject,
      kid: changed.kid,
      version: entry.version,
      entryHash: entry.entryHash,
    });
  }

  /** The user compared the new fingerprint out of band: pin the newer entry. */
  function acceptKeyChange(detail) {
    return idbPut("pins", {
      subject: detail.subject,
      version: detail.version,
      entryHash: detail.entryHash,
      kid: detail.kid,
    });
  }

  // ---- JWE ---------------------------------------------------------------------------------------

  function binding(consultation, kind, item) {
    return { v: 1, consultation: consultation, kind: kind, item: item };
  }

  function encodeHeader(header) {
    return b64u(utf8(JSON.stringify(header)));
  }

  async function seal(key, protectedHeader, plaintext) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var sealed = new Uint8Array(
      await subtle.encrypt(
        { name: "AES-GCM", iv: iv, additionalData: utf8(protectedHeader), tagLength: 128 },
        key,
        plaintext
      )
    );
    return {
      iv: b64u(iv),
      ciphertext: b64u(sealed.subarray(0, sealed.length - 16)),
      tag: b64u(sealed.subarray(sealed.length - 16)),
    };
  }

  async function unseal(key, jwe) {
    var iv = unb64u(jwe.iv);
    var tag = unb64u(jwe.tag);
    if (iv.length !== 12 || tag.length !== 16) {
      throw E2eError("malformed");
    }
    try {
      return new Uint8Array(
        await subtle.decrypt(
          { name: "AES-GCM", iv: iv, additionalData: utf8(jwe.protected), tagLength: 128 },
          key,
          concat(unb64u(jwe.ciphertext), tag)
        )
      );
    } catch (e) {
      throw E2eError("tampered");
    }
  }

  /** Concat KDF (RFC 7518 §4.6.2, NIST SP 800-56A) for a 256-bit key: one SHA-256 round. */
  async function concatKdf(z, algorithm) {
    return sha256(concat(u32(1), z, lp(utf8(algorithm)), u32(0), u32(0), u32(256)));
  }

  async function keyEncryptionKey(privateKey, publicKey, usage) {
    var z = new Uint8Array(await subtle.deriveBits({ name: "ECDH", public: publicKey }, privateKey, 256));
    var derived = await concatKdf(z, KEY_ALG);
    z.fill(0);
    return subtle.importKey("raw", derived, { name: "AES-KW" }, false, [usage]);
  }

  /**
   * The protected header of a served envelope, checked against what the client asked for before any
   * decryption: exactly the members of docs/e2e.md, crit ["carnet"], and the binding to this
   * consultation, kind and item.
   */
  function checkedHeader(jwe, kind, consultation, item, expected) {
    // The API writes an absent member as null; any other value counts as present.
    var members = Object.keys(jwe)
      .filter(function (name) {
        return jwe[name] !== null;
      })
      .sort()
      .join(",");
    var wanted = kind === KEY_KIND ? "ciphertext,encrypted_key,iv,protected,tag" : "ciphertext,iv,protected,tag";
    if (members !== wanted) {
      throw E2eError("malformed");
    }
    var header;
    try {
      header = JSON.parse(decoder.decode(unb64u(jwe.protected)));
    } catch (e) {
      throw E2eError("malformed");
    }
    var names = Object.keys(header).sort().join(",");
    var carnet = header.carnet || {};
    // A numbered message (v 2, docs/e2e.md "Sequence numbers") names its sender and number besides.
    var numbered = kind === "message" && carnet.v === 2;
    if (
      names !== (kind === KEY_KIND ? "alg,carnet,crit,cty,enc,epk,kid" : "alg,carnet,crit,cty,enc,kid") ||
      header.enc !== "A256GCM" ||
      JSON.stringify(header.crit) !== '["carnet"]' ||
      Object.keys(carnet).sort().join(",") !==
        (numbered ? "consultation,item,kind,sender,seq,v" : "consultation,item,kind,v") ||
      (carnet.v !== 1 && !numbered) ||
      (numbered && !(Number.isSafeInteger(carnet.seq) && carnet.seq >= 1 && typeof carnet.sender === "string")) ||
      carnet.consultation !== consultation ||
      carnet.kind !== kind ||
      carnet.item !== item
    ) {
      throw E2eError("misbound");
    }
    if (header.alg !== expected.alg || header.cty !== expected.cty || (expected.kid && header.kid !== expected.kid)) {
      throw E2eError("misbound");
    }
    return header;
  }

  /** A fresh random consultation key: its JWK (to wrap) and a non-extractable AES-GCM key (to use). */
  async function newConsultationKey(consultation) {
    var raw = crypto.getRandomValues(new Uint8Array(32));
    var jwk = { kty: "oct", kid: "consultation/" + consultation, k: b64u(raw), alg: "A256GCM" };
    var key = await subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    raw.fill(0);
    return { jwk: jwk, key: key };
  }

  /** The plaintext sealed (A256GCM) under a fresh content key wrapped (AES-KW) under kek: a flattened JWE. */
  async function sealUnder(kek, protectedHeader, plaintext) {
    var cek = await subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"]);
    var encryptedKey = new Uint8Array(await subtle.wrapKey("raw", cek, kek, { name: "AES-KW" }));
    var sealed = await seal(cek, protectedHeader, plaintext);
    return {
      protected: protectedHeader,
      encrypted_key: b64u(encryptedKey),
      iv: sealed.iv,
      ciphertext: sealed.ciphertext,
      tag: sealed.tag,
    };
  }

  /**
   * The plaintext sealed to a public P-256 key (ECDH-ES+A256KW, A256GCM): the protected header is the given
   * members followed by the ephemeral key ({@code epk}).
   */
  async function sealToKey(recipientJwk, members, plaintext) {
    var recipient = await subtle.importKey(
      "jwk",
      { kty: "EC", crv: "P-256", x: recipientJwk.x, y: recipientJwk.y },
      { name: "ECDH", namedCurve: "P-256" },
      false,
      []
    );
    var ephemeral = await subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
    var epk = await subtle.exportKey("jwk", ephemeral.publicKey);
    var kek = await keyEncryptionKey(ephemeral.privateKey, recipient, "wrapKey");
    var header = Object.assign({}, members, { epk: { kty: "EC", crv: "P-256", x: epk.x, y: epk.y } });
    return sealUnder(kek, encodeHeader(header), plaintext);
  }

  /** The consultation key wrapped to a recipient's directory key (ECDH-ES+A256KW, A256GCM). */
  async function wrapKey(consultationJwk, consultation, item, recipientJwk) {
    return sealToKey(
      recipientJwk,
      {
        alg: KEY_ALG,
        enc: "A256GCM",
        kid: recipientJwk.kid,
        cty: "jwk+json",
        crit: ["carnet"],
        carnet: binding(consultation, KEY_KIND, item),
      },
      utf8(JSON.stringify(consultationJwk))
    );
  }

  /**
   * Opens a wrapped consultation key with this device's private key for the header's kid, after the
   * binding check; the key comes out as a non-extractable AES-GCM key.
   */
  async function unwrapKey(jwe, subject, consultation, item) {
    var header = checkedHeader(jwe, KEY_KIND, consultation, item, { alg: KEY_ALG, cty: "jwk+json" });
    var mine = await deviceKeysFor(subject, header.kid);
    if (!mine) {
      throw E2eError("no-device-key");
    }
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
    var kek = await keyEncryptionKey(mine.encryption, ephemeral, "unwrapKey");
    var cek;
    try {
      cek = await subtle.unwrapKey("raw", unb64u(jwe.encrypted_key), kek, { name: "AES-KW" }, { name: "AES-GCM" }, false, [
        "decrypt",
      ]);
    } catch (e) {
      throw E2eError("tampered");
    }
    var jwk = JSON.parse(decoder.decode(await unseal(cek, jwe)));
    var raw = unb64u(jwk.k || "");
    if (jwk.kty !== "oct" || jwk.kid !== "consultation/" + consultation || jwk.alg !== "A256GCM" || raw.length !== 32) {
      throw E2eError("misbound");
    }
    var key = await subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    raw.fill(0);
    return key;
  }

  /** Answers (a JSON value) sealed under the consultation key (dir, A256GCM), bound to consultation and item. */
  async function sealAnswers(key, consultation, item, answers) {
    var protectedHeader = encodeHeader({
      alg: "dir",
      enc: "A256GCM",
      kid: "consultation/" + consultation,
      cty: ANSWERS_TYPE,
      crit: ["carnet"],
      carnet: binding(consultation, ANSWERS_KIND, item),
    });
    var sealed = await seal(key, protectedHeader, utf8(JSON.stringify(answers)));
    return { protected: protectedHeader, iv: sealed.iv, ciphertext: sealed.ciphertext, tag: sealed.tag };
  }

  /** Opens served answers for this consultation and item: binding checked first, then the tag. */
  async function openAnswers(jwe, key, consultation, item) {
    checkedHeader(jwe, ANSWERS_KIND, consultation, item, {
      alg: "dir",
      cty: ANSWERS_TYPE,
      kid: "consultation/" + consultation,
    });
    try {
      return JSON.parse(decoder.decode(await unseal(key, jwe)));
    } catch (e) {
      throw e.code ? e : E2eError("malformed");
    }
  }

  /**
   * A consultation's answers as its reader sees them: that reader's wrap of the consultation key
   * (subject "patient:…" or "practitioner:…") unwrapped with this device's key, the answers fetched,
   * checked against their binding and opened.
   */
  async function fetchAnswers(consultation, subject) {
    var key = await consultationKey(consultation, subject);
    var served = await getJson("/e2e/consultations/" + consultation + "/answers");
    var plaintext = await openAnswers(served.envelope, key, consultation, served.itemId);
    if (!plaintext || plaintext.v !== 1 || !Array.isArray(plaintext.forms)) {
      throw E2eError("malformed");
    }
    return plaintext;
  }

  /**
   * Sets a consultation's key up, as its patient's client: a fresh key wrapped to the patient's own
   * published key (checked against this device's), and to the practitioner's and the establishment's
   * checked, pinned directory keys (a changed one throws "key-changed" until confirmed). Returns the key.
   */
  async function setUpConsultationKey(consultation, patient, practitioner, establishment, csrf) {
    var subject = "patient:" + patient;
    var device = await currentDeviceKeys(subject);
    if (!device) {
      throw E2eError("no-device-key");
    }
    // One's own key is checked against this device's, not pinned: a patient who made new keys is not
    // asked to confirm their own fingerprint.
    var ownEntry = await getJson(keysPath("patient", patient)).catch(function (e) {
      throw e.code === "http-404" ? E2eError("unpublished") : e;
    });
    var own = await verifyEntry(ownEntry, unb64u(ownEntry.prevHash), "patient", patient);
    if (own.kid !== device.kid) {
      throw E2eError("unpublished");
    }
    var practitionerKey = await recipientKey("practitioner", practitioner);
    var establishmentKey = await recipientKey("establishment", establishment);
    var made = await newConsultationKey(consultation);
    var wraps = {
      patient: await wrapKey(made.jwk, consultation, subject, own),
      practitioner: await wrapKey(made.jwk, consultation, "practitioner:" + practitioner, practitionerKey.jwk),
      establishment: await wrapKey(made.jwk, consultation, "establishment:" + establishment, establishmentKey.jwk),
    };
    made.jwk.k = "";
    await postJson("/e2e/consultations/" + consultation + "/keys", wraps, csrf);
    return made.key;
  }

  /**
   * The consultation key from this reader's own wrap ("patient:…" or "practitioner:…"), opened on this device;
   * for another practitioner of the establishment (no wrap of their own), through the establishment key when
   * e2e-establishment.js is on the page.
   */
  async function consultationKey(consultation, subject) {
    var mine;
    try {
      mine = await getJson("/e2e/consultations/" + consultation + "/keys/mine");
    } catch (e) {
      var establishment = window.CarnetE2e.establishment;
      if (e.code === "http-404" && establishment && subject.indexOf("practitioner:") === 0) {
        return establishment.consultationKey(consultation, subject);
      }
      throw e;
    }
    return unwrapKey(mine.envelope, subject, consultation, subject);
  }

  // ---- the exchange: messages, documents, signatures ----------------------------------------------

  var EXCHANGE_TYPES = {
    message: "application/vnd.carnet.message+json",
    document: "application/vnd.carnet.document+json",
    "document-chunk": "application/vnd.carnet.document-chunk",
    signal: "application/vnd.carnet.signal+json", // a call's signalling (e2e-video.js)
  };
  var SIGNATURE_KIND = "document-signature";
  var SIGNATURE_TYPE = "application/vnd.carnet.document-manifest+json";

  /**
   * An exchange item's bytes sealed under the consultation key (dir, A256GCM), bound to its kind and item;
   * a message numbered by its sender (numbering {sender, seq}) is bound to them too (v 2).
   */
  async function sealItem(key, consultation, kind, item, bytes, numbering) {
    var bound = binding(consultation, kind, item);
    if (numbering) {
      bound = Object.assign(bound, { v: 2, sender: numbering.sender, seq: numbering.seq });
    }
    var protectedHeader = encodeHeader({
      alg: "dir",
      enc: "A256GCM",
      kid: "consultation/" + consultation,
      cty: EXCHANGE_TYPES[kind],
      crit: ["carnet"],
      carnet: bound,
    });
    var sealed = await seal(key, protectedHeader, bytes);
    return { protected: protectedHeader, iv: sealed.iv, ciphertext: sealed.ciphertext, tag: sealed.tag };
  }

  /** Opens a served exchange item as this consultation's kind and item: binding checked first, then the tag. */
  async function openItem(jwe, key, consultation, kind, item) {
    return (await openBound(jwe, key, consultation, kind, item)).bytes;
  }

  async function openBound(jwe, key, consultation, kind, item) {
    var header = checkedHeader(jwe, kind, consultation, item, {
      alg: "dir",
      cty: EXCHANGE_TYPES[kind],
      kid: "consultation/" + consultation,
    });
    return { bytes: await unseal(key, jwe), binding: header.carnet };
  }

  /** Opens a served item whose plaintext is JSON (a message, a descriptor). */
  async function openJsonItem(jwe, key, consultation, kind, item) {
    return jsonValue(await openItem(jwe, key, consultation, kind, item));
  }

  /**
   * Opens a served message: its JSON, and the number its sender gave it (null for an unnumbered one), after
   * checking that a numbered one's binding names the sender the server says sent it ("patient:<id>"…).
   */
  async function openMessage(jwe, key, consultation, messageId, sender) {
    var opened = await openBound(jwe, key, consultation, "message", messageId);
    var numbered = opened.binding.v === 2;
    if (numbered && opened.binding.sender !== sender) {
      throw E2eError("misbound");
    }
    return { value: jsonValue(opened.bytes), seq: numbered ? opened.binding.seq : null };
  }

  function jsonValue(bytes) {
    try {
      var value = JSON.parse(decoder.decode(bytes));
    } catch (e) {
      throw E2eError("malformed");
    }
    if (!value || typeof value !== "object" || Array.isArray(value) || value.v !== 1) {
      throw E2eError("malformed");
    }
    return value;
  }

  /**
   * The practitioner's signature over a document's manifest (docs/e2e.md, "Signed prescriptions and
   * reports"): a compact JWS, ES256 with this device's signing key (non-extractable; WebCrypto's ECDSA
   * signature is the r ‖ s that JWS uses), its protected header naming the directory's signing kid and
   * binding it to the consultation and the document.
   */
  async function signManifest(device, consultation, document, manifest) {
    var header = b64u(
      utf8(
        JSON.stringify({
          alg: "ES256",
          kid: device.signingKid,
          cty: SIGNATURE_TYPE,
          crit: ["carnet"],
          carnet: binding(consultation, SIGNATURE_KIND, document),
        })
      )
    );
    var input = header + "." + b64u(utf8(JSON.stringify(manifest)));
    var signature = await subtle.sign({ name: "ECDSA", hash: "SHA-256" }, device.signing, utf8(input));
    return input + "." + b64u(signature);
  }

  var issuerChains = {};

  /**
   * The issuer's directory chain from version 1 to its current entry, every entry checked (hash, link,
   * Carnet's signature) and held against this device's pin (a rewritten or rolled back chain is refused; the
   * first time, the current entry is pinned, as for a recipient). Cached per current entry for the page.
   */
  function issuerChain(kind, subjectId) {
    var subject = kind + ":" + subjectId;
    return getJson(keysPath(kind, subjectId)).then(function (current) {
      var cached = issuerChains[subject];
      if (cached && cached.entryHash === current.entryHash) {
        return cached.chain;
      }
      var chain = (async function () {
        var entries = current.version === 1 ? [current] : await getJson(keysPath(kind, subjectId) + "/history?from=1");
        if (entries.length !== current.version || entries[entries.length - 1].entryHash !== current.entryHash) {
          throw E2eError("directory");
        }
        await verifyChain(entries, new Uint8Array(32), kind, subjectId);
        var pin = await idbGet("pins", subject);
        if (!pin) {
          pin = { subject: subject, version: current.version, entryHash: current.entryHash, kid: current.encryptionKid };
          await idbPut("pins", pin);
        } else if (current.version < pin.version || entries[pin.version - 1].entryHash !== pin.entryHash) {
          throw E2eError("directory-rewritten");
        }
        return { entries: entries, pin: pin };
      })();
      issuerChains[subject] = { entryHash: current.entryHash, chain: chain };
      chain.catch(function () {
        delete issuerChains[subject];
      });
      return chain;
    });
  }

  /** An ISO-8601 instant in UTC ("…Z", up to nine fractional digits) in microseconds since 1970, or NaN. */
  function instantMicros(text) {
    var parts = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(String(text));
    return parts ? Date.parse(parts[1] + "Z") * 1000 + Number(((parts[2] || "") + "000000").slice(0, 6)) : NaN;
  }

  /**
   * The signing key of the issuer's directory entry **valid at issuedAt** (the last one published at or
   * before it), which must be the one named by kid: so that a practitioner's earlier prescriptions still
   * verify after a key change, and a key never signs for a time its entry did not cover (before its
   * publication, or after the next one). An entry newer than this device's pin is not trusted silently
   * ("key-changed"). Its JWK must be P-256, ES256, named by its thumbprint.
   */
  async function issuerSigningKey(kind, subjectId, issuedAt, kid) {
    var checked = await issuerChain(kind, subjectId);
    var at = instantMicros(issuedAt);
    var valid = null;
    checked.entries.forEach(function (entry) {
      if (entry.publishedAtMicros <= at) {
        valid = entry;
      }
    });
    if (!valid || valid.signingKid !== kid) {
      throw E2eError("unsigned");
    }
    if (valid.version > checked.pin.version) {
      var current = checked.entries[checked.entries.length - 1];
      throw E2eError("key-changed", {
        subject: kind + ":" + subjectId,
        kid: current.encryptionKid,
        version: current.version,
        entryHash: current.entryHash,
      });
    }
    var jwk = JSON.parse(valid.signingJwk);
    if (
      jwk.kty !== "EC" ||
      jwk.crv !== "P-256" ||
      jwk.alg !== "ES256" ||
      jwk.kid !== valid.signingKid ||
      (await thumbprint(jwk)) !== jwk.kid
    ) {
      throw E2eError("directory");
    }
    return {
      kid: jwk.kid,
      key: await subtle.importKey("jwk", { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y }, { name: "ECDSA", namedCurve: "P-256" }, false, [
        "verify",
      ]),
    };
  }

  /**
   * Checks an opened descriptor's signature as docs/e2e.md asks of the patient's client: a compact JWS,
   * ES256, bound to this consultation and document, by the signing key of the issuer's directory entry
   * (checked and pinned), over a manifest equal to the descriptor's other members, which name this
   * consultation and document. Returns the issuer's id; throws (code "unsigned") otherwise. The bytes'
   * SHA-256 is the manifest's, which the download checks.
   */
  async function verifySignature(descriptor, consultation, document) {
    try {
      var parts = String(descriptor.signature || "").split(".");
      if (parts.length !== 3) {
        throw E2eError("unsigned");
      }
      var header = JSON.parse(decoder.decode(unb64u(parts[0])));
      var manifest = JSON.parse(decoder.decode(unb64u(parts[1])));
      var carnet = header.carnet || {};
      var issuer = /^practitioner:([0-9a-f-]{36})$/.exec(String(descriptor.issuer));
      if (
        !issuer ||
        Object.keys(header).sort().join(",") !== "alg,carnet,crit,cty,kid" ||
        header.alg !== "ES256" ||
        header.cty !== SIGNATURE_TYPE ||
        JSON.stringify(header.crit) !== '["carnet"]' ||
        Object.keys(carnet).sort().join(",") !== "consultation,item,kind,v" ||
        carnet.v !== 1 ||
        carnet.consultation !== consultation ||
        carnet.kind !== SIGNATURE_KIND ||
        carnet.item !== document
      ) {
        throw E2eError("unsigned");
      }
      var unsigned = Object.assign({}, descriptor);
      delete unsigned.signature;
      var names = Object.keys(unsigned).sort();
      if (
        names.join(",") !== Object.keys(manifest).sort().join(",") ||
        names.some(function (name) {
          return manifest[name] !== unsigned[name];
        }) ||
        manifest.consultation !== consultation ||
        manifest.document !== document
      ) {
        throw E2eError("unsigned");
      }
      var signer = await issuerSigningKey("practitioner", issuer[1], manifest.issuedAt, header.kid);
      var signature = unb64u(parts[2]);
      if (
        header.kid !== signer.kid ||
        signature.length !== 64 ||
        !(await subtle.verify({ name: "ECDSA", hash: "SHA-256" }, signer.key, signature, utf8(parts[0] + "." + parts[1])))
      ) {
        throw E2eError("unsigned");
      }
      return issuer[1];
    } catch (e) {
      throw e && e.code === "key-changed" ? e : E2eError("unsigned");
    }
  }

  /**
   * Fills a page's answer slots (dl[data-questionnaire] > dd[data-answer]) from opened answers, as text,
   * never as markup; the root's data-yes, data-no and data-missing give the words.
   */
  function showAnswers(root, plaintext) {
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
  }

  /** Shows the element of a list of hidden alternatives whose data-code matches (or the "other" one). */
  function showOnly(container, code) {
    var shown = null;
    container.querySelectorAll("[data-code]").forEach(function (element) {
      element.hidden = true;
      if (element.dataset.code === code) {
        shown = element;
      }
    });
    if (!shown) {
      shown = container.querySelector('[data-code="other"]');
    }
    if (shown) {
      shown.hidden = false;
    }
    container.hidden = false;
  }

  window.CarnetE2e = {
    supported: !!(subtle && window.indexedDB && window.isSecureContext),
    createDeviceKeys: createDeviceKeys,
    currentDeviceKeys: currentDeviceKeys,
    persistStorage: persistStorage,
    getJson: getJson,
    postJson: postJson,
    putJson: putJson,
    deleteJson: deleteJson,
    sha256: sha256,
    b64u: b64u,
    utf8: utf8,
    decodeUtf8: function (bytes) {
      return decoder.decode(bytes);
    },
    concat: concat,
    setUpConsultationKey: setUpConsultationKey,
    consultationKey: consultationKey,
    sealItem: sealItem,
    openItem: openItem,
    openJsonItem: openJsonItem,
    openMessage: openMessage,
    signManifest: signManifest,
    verifySignature: verifySignature,
    keysPath: keysPath,
    verifyServedEntry: function (entry, kind, subjectId) {
      return verifyEntry(entry, unb64u(entry.prevHash), kind, subjectId);
    },
    recipientKey: recipientKey,
    acceptKeyChange: acceptKeyChange,
    newConsultationKey: newConsultationKey,
    wrapKey: wrapKey,
    unwrapKey: unwrapKey,
    sealAnswers: sealAnswers,
    openAnswers: openAnswers,
    fetchAnswers: fetchAnswers,
    showAnswers: showAnswers,
    showOnly: showOnly,
    // For the sibling scripts that lay out other envelopes (e2e-account.js): the same primitives.
    internals: {
      E2eError: E2eError,
      unb64u: unb64u,
      thumbprint: thumbprint,
      publicJwk: publicJwk,
      idbGet: idbGet,
      idbPut: idbPut,
      keyEncryptionKey: keyEncryptionKey,
      encodeHeader: encodeHeader,
      sealUnder: sealUnder,
      sealToKey: sealToKey,
      unseal: unseal,
    },
  };
})();
