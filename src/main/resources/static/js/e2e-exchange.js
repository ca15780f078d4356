// A teleconsultation's written exchange, on the patient's and the practitioner's pages: messages and
// documents sealed under the consultation key in this browser (docs/e2e.md, "Exchanges"), prescriptions
// and reports signed with the practitioner's directory signing key and checked against the issuer's
// pinned directory entry. What is opened goes into the page as text, never as markup; what does not
// open is shown as a refusal. Needs e2e.js. No inline script: the CSP forbids it.
"use strict";
(function () {
  var root = document.getElementById("exchange");
  var E2e = window.CarnetE2e;
  if (!root || !E2e) {
    return;
  }
  var MIB = 1024 * 1024;
  var MAX_SIZE = 20000000;
  var MEDIA_TYPES = ["application/pdf", "image/png", "image/jpeg", "image/webp"];
  var data = root.dataset;
  var consultation = data.appointment;
  var me = { kind: data.subjectKind, id: data.subjectId };
  var subject = me.kind + ":" + me.id;
  var csrf = { header: data.csrfHeader, token: data.csrfToken };
  var body = document.getElementById("exchange-body");
  var closedError = document.getElementById("exchange-error");
  var thread = document.getElementById("messages");
  var documents = document.getElementById("documents");
  var messageForm = document.getElementById("message-form");
  var messageError = document.getElementById("message-error");
  var documentForm = document.getElementById("document-form");
  var documentError = document.getElementById("document-error");
  var changed = document.getElementById("exchange-key-changed");
  var key = null;
  var pendingChange = null;
  var formatTime = new Intl.DateTimeFormat(document.documentElement.lang || "fr", {
    dateStyle: "short",
    timeStyle: "short",
  });

  function code(e) {
    return e && e.code ? e.code : "other";
  }

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) {
      made.className = className;
    }
    if (text !== undefined) {
      made.textContent = text;
    }
    return made;
  }

  /** Who posted an item, as this reader says it: "you", the appointment's practitioner by name, the patient… */
  function who(kind, id) {
    if (kind === me.kind && id === me.id) {
      return data.wordYou;
    }
    if (kind === "patient") {
      return data.wordPatient;
    }
    return id === data.practitioner ? data.practitionerName : data.wordColleague;
  }

  /** The refusal's words for a code (data-refusal-<code> on the root), never any content. */
  function refusal(reason) {
    var words = {
      tampered: data.refusalTampered,
      misbound: data.refusalMisbound,
      malformed: data.refusalTampered,
      hash: data.refusalHash,
    };
    return words[reason] || data.refusalOther;
  }

  function when(text) {
    var date = new Date(text);
    return isNaN(date.getTime()) ? "" : formatTime.format(date);
  }

  // ---- messages ------------------------------------------------------------------------------------

  // Each sender numbers their own messages from 1, inside the envelope's binding (docs/e2e.md, "Sequence
  // numbers"). This reader remembers, per consultation, the highest number it has seen from each sender
  // (its own sent ones included), so that a message withheld after it was seen, or its own newest one,
  // shows as missing too. The numbers are not secret; they live in localStorage.
  var memoryName = "carnet-e2e-sequences/" + consultation + "/" + subject;
  var ownHighest = 0;

  function remembered() {
    try {
      var value = JSON.parse(localStorage.getItem(memoryName) || "{}");
      return value && typeof value === "object" ? value : {};
    } catch (e) {
      return {};
    }
  }

  function remember(highest) {
    try {
      localStorage.setItem(memoryName, JSON.stringify(highest));
    } catch (e) {
      // No storage: gaps between served messages still show.
    }
  }

  function senderOf(message) {
    return message.sender + ":" + message.senderId;
  }

  /** A marker where a sender's numbers have a gap: count messages of theirs that the server did not serve. */
  function missingMarker(sender, count) {
    var separator = sender.indexOf(":");
    var li = element("li", "missing");
    li.dataset.missing = sender;
    li.dataset.count = String(count);
    var meta = element("p", "meta");
    meta.appendChild(element("span", "sender", who(sender.slice(0, separator), sender.slice(separator + 1))));
    li.appendChild(meta);
    li.appendChild(element("p", "refusal", data.messageMissing + (count > 1 ? " (" + count + ")" : "")));
    return li;
  }

  /**
   * Lays the thread out in the served order, each sender's numbers checked: a number lower than one already
   * shown from that sender is marked out of order; numbers skipped (up to the highest served or remembered)
   * are shown as missing, where they would have been, or at the end.
   */
  function layOut(items) {
    var highest = remembered();
    var senders = {};
    items.forEach(function (item) {
      if (item.seq) {
        var numbers = (senders[item.sender] = senders[item.sender] || { served: {}, shown: 0 });
        numbers.served[item.seq] = true;
        highest[item.sender] = Math.max(highest[item.sender] || 0, item.seq);
      }
    });
    var rows = [];
    var missing = 0;
    function gap(sender, upTo) {
      var numbers = senders[sender] || (senders[sender] = { served: {}, shown: 0 });
      var count = 0;
      for (var n = numbers.shown + 1; n < upTo; n++) {
        if (!numbers.served[n]) {
          count++;
        }
      }
      numbers.shown = Math.max(numbers.shown, upTo - 1);
      if (count) {
        missing += count;
        rows.push(missingMarker(sender, count));
      }
    }
    items.forEach(function (item) {
      if (item.seq) {
        var numbers = senders[item.sender];
        if (item.seq <= numbers.shown) {
          item.late = true;
        } else {
          gap(item.sender, item.seq);
          numbers.shown = item.seq;
        }
      }
      rows.push(messageRow(item));
    });
    Object.keys(highest).forEach(function (sender) {
      gap(sender, highest[sender] + 1);
    });
    remember(highest);
    ownHighest = highest[subject] || 0;
    thread.dataset.missing = String(missing);
    return rows;
  }

  function messageRow(item) {
    var li = element("li", item.message.sender === me.kind && item.message.senderId === me.id ? "mine" : "theirs");
    li.dataset.message = item.message.messageId;
    if (item.seq) {
      li.dataset.seq = String(item.seq);
    }
    var meta = element("p", "meta");
    meta.appendChild(element("span", "sender", who(item.message.sender, item.message.senderId)));
    meta.appendChild(document.createTextNode(" · "));
    var time = element("time", null, when(item.message.postedAt));
    time.dateTime = item.message.postedAt;
    meta.appendChild(time);
    li.appendChild(meta);
    if (item.refused) {
      li.classList.add("refused");
      li.dataset.refused = item.refused;
      li.appendChild(element("p", "refusal", refusal(item.refused)));
    } else {
      li.appendChild(element("p", "text", item.text));
    }
    if (item.late) {
      li.dataset.late = "true";
      li.appendChild(element("p", "refusal", data.messageLate));
    }
    return li;
  }

  async function showMessages() {
    var served = await E2e.getJson("/e2e/consultations/" + consultation + "/messages");
    var items = await Promise.all(
      served.map(async function (message) {
        try {
          var opened = await E2e.openMessage(message.envelope, key, consultation, message.messageId, senderOf(message));
          if (typeof opened.value.text !== "string") {
            throw Object.assign(new Error("malformed"), { code: "malformed" });
          }
          return { message: message, sender: senderOf(message), seq: opened.seq, text: opened.value.text };
        } catch (e) {
          return { message: message, sender: senderOf(message), seq: null, refused: code(e) };
        }
      })
    );
    thread.textContent = "";
    layOut(items).forEach(function (row) {
      thread.appendChild(row);
    });
    document.getElementById("messages-none").hidden = items.length > 0;
    thread.dataset.count = String(items.length);
  }

  /**
   * Sends a message under this sender's next number (after the highest it has seen or remembers of its own);
   * when another device of the same person took that number first (409), the thread is fetched again and
   * the next one taken.
   */
  async function sendMessage(text) {
    var bytes = E2e.utf8(JSON.stringify({ v: 1, text: text }));
    for (var attempt = 0; ; attempt++) {
      var messageId = crypto.randomUUID();
      var seq = ownHighest + 1;
      var envelope = await E2e.sealItem(key, consultation, "message", messageId, bytes, { sender: subject, seq: seq });
      try {
        await E2e.postJson(
          "/e2e/consultations/" + consultation + "/messages",
          { messageId: messageId, sequence: seq, envelope: envelope },
          csrf
        );
      } catch (e) {
        if (e.code !== "http-409" || attempt >= 2) {
          throw e;
        }
        await showMessages();
        continue;
      }
      var highest = remembered();
      highest[subject] = Math.max(highest[subject] || 0, seq);
      remember(highest);
      return;
    }
  }

  messageForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var field = document.getElementById("message-text");
    var text = field.value.trim();
    messageError.hidden = true;
    if (!text) {
      E2e.showOnly(messageError, "empty");
      field.focus();
      return;
    }
    var button = document.getElementById("message-submit");
    button.disabled = true;
    sendMessage(text)
      .then(function () {
        field.value = "";
        return showMessages();
      })
      .catch(function (e) {
        E2e.showOnly(messageError, code(e));
      })
      .finally(function () {
        button.disabled = false;
      });
  });

  document.getElementById("messages-refresh").addEventListener("click", function () {
    showMessages().catch(function (e) {
      E2e.showOnly(messageError, code(e));
    });
  });

  // ---- documents -----------------------------------------------------------------------------------

  function sizeText(bytes) {
    if (bytes < 1024) {
      return bytes + " " + data.unitBytes;
    }
    if (bytes < MIB) {
      return (bytes / 1024).toFixed(1) + " " + data.unitKib;
    }
    return (bytes / MIB).toFixed(1) + " " + data.unitMib;
  }

  /** Fetches a document's chunks, checks each one's binding, decrypts, concatenates and checks the SHA-256. */
  async function download(served, descriptor) {
    var parts = [];
    for (var index = 0; index < served.chunkCount; index++) {
      var chunk = await E2e.getJson(
        "/e2e/consultations/" + consultation + "/documents/" + served.documentId + "/chunks/" + index
      );
      var bytes = await E2e.openItem(chunk, key, consultation, "document-chunk", served.documentId + "/" + index);
      if (bytes.length !== Math.min(descriptor.size, (index + 1) * MIB) - index * MIB) {
        throw Object.assign(new Error("hash"), { code: "hash" });
      }
      parts.push(bytes);
    }
    var whole = E2e.concat.apply(null, parts);
    if (whole.length !== descriptor.size || E2e.b64u(await E2e.sha256(whole)) !== descriptor.sha256) {
      throw Object.assign(new Error("hash"), { code: "hash" });
    }
    return new Blob([whole], { type: descriptor.mediaType });
  }

  /** One document's row: what its descriptor says, its signature's verdict, and its download. */
  async function documentRow(served) {
    var li = element("li", "document");
    li.dataset.document = served.documentId;
    var descriptor;
    try {
      descriptor = await E2e.openJsonItem(served.descriptor, key, consultation, "document", served.documentId);
      if (
        descriptor.consultation !== consultation ||
        descriptor.document !== served.documentId ||
        descriptor.size !== served.size ||
        typeof descriptor.name !== "string" ||
        typeof descriptor.sha256 !== "string" ||
        MEDIA_TYPES.indexOf(descriptor.mediaType) < 0
      ) {
        throw Object.assign(new Error("misbound"), { code: "misbound" });
      }
    } catch (e) {
      li.classList.add("refused");
      li.dataset.refused = code(e);
      li.appendChild(element("p", "refusal", refusal(code(e))));
      return li;
    }
    var name = element("p", "name");
    name.appendChild(element("strong", null, descriptor.name));
    li.appendChild(name);
    var kindWords = { prescription: data.kindPrescription, report: data.kindReport };
    li.appendChild(
      element(
        "p",
        "meta",
        (kindWords[descriptor.kind] || data.kindAttachment) +
          " · " +
          sizeText(served.size) +
          " · " +
          who(served.uploader, served.uploaderId) +
          " · " +
          when(served.createdAt)
      )
    );
    var verdict = element("p", "signature");
    li.appendChild(verdict);
    if (descriptor.signature === undefined) {
      verdict.textContent = data.unsigned;
      li.dataset.signature = "unsigned";
    } else {
      try {
        var issuer = await E2e.verifySignature(descriptor, consultation, served.documentId);
        verdict.textContent = data.signedBy + " " + (issuer === data.practitioner ? data.practitionerName : data.wordColleague);
        verdict.classList.add("signed");
        li.dataset.signature = "signed";
      } catch (e) {
        verdict.textContent = e.code === "key-changed" ? data.signatureKeyChanged : data.signatureInvalid;
        li.dataset.signature = "unsigned";
      }
    }
    if (!served.complete) {
      li.appendChild(element("p", "hint", data.incomplete));
      return li;
    }
    var button = element("button", null, data.download);
    button.type = "button";
    button.setAttribute("aria-label", data.download + " " + descriptor.name);
    var outcome = element("p", "outcome");
    outcome.setAttribute("role", "status");
    button.addEventListener("click", function () {
      button.disabled = true;
      outcome.textContent = data.downloadBusy;
      download(served, descriptor)
        .then(function (blob) {
          var link = element("a", "button download", data.save + " " + descriptor.name);
          link.href = URL.createObjectURL(blob);
          link.download = descriptor.name;
          outcome.textContent = "";
          outcome.appendChild(link);
          li.dataset.downloaded = "true";
        })
        .catch(function (e) {
          outcome.textContent = refusal(code(e));
          outcome.className = "outcome refusal";
          li.dataset.refused = code(e);
        })
        .finally(function () {
          button.disabled = false;
        });
    });
    li.appendChild(button);
    li.appendChild(outcome);
    return li;
  }

  async function showDocuments() {
    var served = await E2e.getJson("/e2e/consultations/" + consultation + "/documents");
    var rows = await Promise.all(served.map(documentRow));
    documents.textContent = "";
    rows.forEach(function (row) {
      documents.appendChild(row);
    });
    document.getElementById("documents-none").hidden = rows.length > 0;
    documents.dataset.count = String(rows.length);
  }

  /**
   * Uploads a file: its SHA-256, the descriptor (signed first for a prescription or a report, with this
   * device's signing key, which must be the one the directory publishes), then each 1 MiB chunk sealed
   * and bound to its index.
   */
  async function upload(file, kind) {
    var bytes = new Uint8Array(await file.arrayBuffer());
    var documentId = crypto.randomUUID();
    var descriptor = {
      v: 1,
      consultation: consultation,
      document: documentId,
      kind: kind,
      name: file.name.slice(0, 200),
      mediaType: file.type,
      size: bytes.length,
      sha256: E2e.b64u(await E2e.sha256(bytes)),
      issuer: subject,
      issuedAt: new Date().toISOString(),
    };
    if (kind !== "attachment") {
      var device = await E2e.currentDeviceKeys(subject);
      if (!device) {
        throw Object.assign(new Error("no-device-key"), { code: "no-device-key" });
      }
      var entry = await E2e.getJson(E2e.keysPath(me.kind, me.id));
      await E2e.verifyServedEntry(entry, me.kind, me.id);
      if (entry.signingKid !== device.signingKid) {
        throw Object.assign(new Error("unpublished"), { code: "unpublished" });
      }
      // A signature counts for the entry valid at issuedAt: never before the entry's publication, even
      // with this device's clock behind the server's.
      descriptor.issuedAt = new Date(Math.max(Date.now(), Math.ceil(entry.publishedAtMicros / 1000))).toISOString();
      descriptor.signature = await E2e.signManifest(device, consultation, documentId, descriptor);
    }
    var sealed = await E2e.sealItem(key, consultation, "document", documentId, E2e.utf8(JSON.stringify(descriptor)));
    var base = "/e2e/consultations/" + consultation + "/documents";
    await E2e.postJson(base, { documentId: documentId, size: bytes.length, descriptor: sealed }, csrf);
    for (var index = 0; index * MIB < bytes.length; index++) {
      var part = bytes.subarray(index * MIB, Math.min(bytes.length, (index + 1) * MIB));
      var chunk = await E2e.sealItem(key, consultation, "document-chunk", documentId + "/" + index, part);
      await E2e.putJson(base + "/" + documentId + "/chunks/" + index, chunk, csrf);
    }
  }

  documentForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("document-file");
    var file = input.files && input.files[0];
    var kindField = document.getElementById("document-kind");
    documentError.hidden = true;
    if (!file) {
      E2e.showOnly(documentError, "empty");
      input.focus();
      return;
    }
    if (MEDIA_TYPES.indexOf(file.type) < 0) {
      E2e.showOnly(documentError, "type");
      return;
    }
    if (file.size < 1 || file.size > MAX_SIZE) {
      E2e.showOnly(documentError, "size");
      return;
    }
    var button = document.getElementById("document-submit");
    var busy = document.getElementById("document-busy");
    button.disabled = true;
    busy.hidden = false;
    upload(file, kindField ? kindField.value : "attachment")
      .then(function () {
        input.value = "";
        return showDocuments();
      })
      .catch(function (e) {
        E2e.showOnly(documentError, code(e));
      })
      .finally(function () {
        button.disabled = false;
        busy.hidden = true;
      });
  });

  // ---- opening the exchange ------------------------------------------------------------------------

  async function open(obtainKey) {
    key = await obtainKey();
    document.getElementById("exchange-closed").hidden = true;
    body.hidden = false;
    await Promise.all([showMessages(), showDocuments()]);
    root.dataset.opened = "true";
  }

  function failed(e) {
    if (e && e.code === "key-changed") {
      pendingChange = e.detail;
      document.getElementById("exchange-changed-kid").textContent = e.detail.kid;
      changed.hidden = false;
      return;
    }
    root.dataset.error = code(e);
    E2e.showOnly(closedError, root.dataset.error);
  }

  function openWithOwnWrap() {
    open(function () {
      return E2e.consultationKey(consultation, subject);
    }).catch(failed);
  }

  /** The patient opens the exchange of a consultation without a questionnaire: the key is made here. */
  function setUp() {
    var button = document.getElementById("exchange-set-up");
    button.disabled = true;
    closedError.hidden = true;
    changed.hidden = true;
    open(function () {
      return E2e.setUpConsultationKey(consultation, me.id, data.practitioner, data.establishment, csrf);
    })
      .catch(failed)
      .finally(function () {
        button.disabled = false;
      });
  }

  var setUpButton = document.getElementById("exchange-set-up");
  if (setUpButton) {
    setUpButton.addEventListener("click", setUp);
  }
  // The explicit verification step: only after the user says they compared the new fingerprint.
  document.getElementById("exchange-accept-key-change").addEventListener("click", function () {
    if (!pendingChange) {
      return;
    }
    var detail = pendingChange;
    pendingChange = null;
    changed.hidden = true;
    E2e.acceptKeyChange(detail).then(function () {
      if (key) {
        return showDocuments();
      }
      setUp();
    });
  });
  document.addEventListener("carnet:key-set-up", openWithOwnWrap);

  if (!E2e.supported) {
    failed({ code: "unsupported" });
  } else if (data.keySetUp === "true") {
    openWithOwnWrap();
  }
})();
