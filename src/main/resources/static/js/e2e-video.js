// A teleconsultation's video call (docs/e2e.md, "Video"): peer-to-peer WebRTC between the patient's and
// the practitioner's browsers, whose signalling (offer, answer, ICE candidates, admit, hang-up) is sealed
// here under the consultation key (dir, A256GCM), bound to this consultation, the kind "signal", its sender,
// the sender's call session and its sequence number, and relayed by Carnet's WebSocket, which can neither
// read nor alter it: a swapped DTLS fingerprint, a message moved, replayed or skipped is refused and the
// call fails visibly. The state shown is the one WebRTC reports (getStats' selected candidate pair for
// direct or relayed). Needs e2e.js. No inline script: the CSP forbids it.
"use strict";
(function () {
  var root = document.getElementById("video");
  var E2e = window.CarnetE2e;
  if (!root || !E2e) {
    return;
  }
  var CONNECT_PATIENCE_MS = 45000;
  var data = root.dataset;
  var consultation = data.appointment;
  var me = data.party;
  var peer = data.peer;
  var practitioner = me.indexOf("practitioner:") === 0;
  var stateText = document.getElementById("video-state");
  var errorBox = document.getElementById("video-error");
  var joinButton = document.getElementById("video-join");
  var admitButton = document.getElementById("video-admit");
  var hangupButton = document.getElementById("video-hangup");
  var relayOnly = document.getElementById("video-relay-only");
  var remoteVideo = document.getElementById("video-remote");
  var localVideo = document.getElementById("video-local");

  var key = null;
  var iceServers = [];
  var socket = null;
  var localStream = null;
  var pc = null;
  var finished = false;
  // What this page sends: a random session per call attempt, its messages numbered from 0.
  var session = null;
  var seq = 0;
  var outbox = Promise.resolve();
  // What it accepts: the peer's current session, the next number in it, sessions already seen.
  var peerSession = null;
  var peerSeq = -1;
  var peerAdmitted = false;
  var seenSessions = {};
  var inbox = Promise.resolve();
  var pendingCandidates = [];
  var startedAt = 0;
  var patience = null;
  var statsTimer = null;

  function code(e) {
    return e && e.code ? e.code : "other";
  }

  function setState(state) {
    root.dataset.state = state;
    var words = data["state" + state.charAt(0).toUpperCase() + state.slice(1)];
    stateText.textContent = words || "";
    var inCall = state === "connecting" || state === "direct" || state === "relayed";
    hangupButton.hidden = !inCall;
    if (state !== "ready") {
      admitButton.hidden = true;
    }
  }

  /** Ends the call as failed, says why (never any content), and tells the peer if it can. */
  function fail(reason, tellPeer) {
    if (finished) {
      return;
    }
    finished = true;
    root.dataset.error = reason;
    E2e.showOnly(errorBox, reason);
    setState("failed");
    if (tellPeer && key && session) {
      send({ type: "hangup", reason: "refused" });
    }
    outbox.then(stop);
  }

  function stop() {
    clearTimeout(patience);
    clearInterval(statsTimer);
    if (pc) {
      pc.close();
      pc = null;
    }
    if (localStream) {
      localStream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    if (socket && socket.readyState <= 1) {
      socket.close(1000);
    }
  }

  function newSession() {
    session = E2e.b64u(crypto.getRandomValues(new Uint8Array(16)));
    seq = 0;
  }

  /** Seals one signalling message and sends it, in order: each gets the next number of this session. */
  function send(message) {
    outbox = outbox.then(async function () {
      var number = seq++;
      var item = me + "/" + session + "/" + number;
      message.v = 1;
      var envelope = await E2e.sealItem(key, consultation, "signal", item, E2e.utf8(JSON.stringify(message)));
      if (socket && socket.readyState === 1) {
        socket.send(JSON.stringify({ type: "signal", session: session, seq: number, envelope: envelope }));
      }
    });
    return outbox;
  }

  // ---- joining the room ------------------------------------------------------------------------------

  async function join() {
    joinButton.disabled = true;
    if (!E2e.supported || !window.RTCPeerConnection || !navigator.mediaDevices) {
      return fail("unsupported");
    }
    try {
      key = await E2e.consultationKey(consultation, me);
      var room = await E2e.getJson("/e2e/consultations/" + consultation + "/video");
      if (!room.open) {
        return fail("room");
      }
      iceServers = room.iceServers;
    } catch (e) {
      return fail(code(e));
    }
    try {
      localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      localVideo.srcObject = localStream;
    } catch (e) {
      return fail("media");
    }
    joinButton.hidden = true;
    relayOnly.disabled = true;
    var scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(scheme + "//" + location.host + "/e2e/consultations/" + consultation + "/video/signal");
    socket.onmessage = function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      inbox = inbox.then(function () {
        return onFrame(frame);
      });
    };
    socket.onclose = function (event) {
      if (finished) {
        return;
      }
      if (event.code === 4003) {
        finished = true;
        setState("closed");
        stop();
      } else if (event.code !== 4001) {
        fail(event.code === 1006 && root.dataset.state === "idle" ? "room" : "network");
      }
    };
    setState("waiting");
  }

  async function onFrame(frame) {
    if (finished) {
      return;
    }
    if (frame.type === "room") {
      return roomChanged(frame.peer === true, frame.admitted === true);
    }
    if (frame.type === "signal") {
      return receive(frame);
    }
    if (frame.type === "closed") {
      finished = true;
      setState("closed");
      stop();
      return;
    }
    if (frame.type === "error" && frame.code !== "not-admitted") {
      fail("other");
    }
  }

  function roomChanged(peerPresent, admitted) {
    if (practitioner) {
      if (!peerPresent || !admitted) {
        if (pc) {
          endCall();
        }
        setState(peerPresent ? "ready" : "waiting");
        admitButton.hidden = !peerPresent;
      } else if (!pc) {
        startCall();
      }
    } else if (!admitted || !peerPresent) {
      if (pc) {
        endCall();
      }
      setState("waiting");
    }
  }

  /** The other side left or was sent back to the waiting room: the connection ends, the page stays. */
  function endCall() {
    clearTimeout(patience);
    clearInterval(statsTimer);
    if (pc) {
      pc.close();
      pc = null;
    }
    remoteVideo.srcObject = null;
    peerAdmitted = false;
  }

  // ---- the call --------------------------------------------------------------------------------------

  function newPeerConnection() {
    var connection = new RTCPeerConnection({
      iceServers: iceServers,
      iceTransportPolicy: relayOnly.checked ? "relay" : "all",
    });
    localStream.getTracks().forEach(function (track) {
      connection.addTrack(track, localStream);
    });
    connection.ontrack = function (event) {
      if (remoteVideo.srcObject !== event.streams[0]) {
        remoteVideo.srcObject = event.streams[0];
        if (remoteVideo.requestVideoFrameCallback) {
          remoteVideo.requestVideoFrameCallback(function () {
            root.dataset.firstFrameMs = String(Math.round(performance.now() - startedAt));
          });
        }
      }
    };
    connection.onicecandidate = function (event) {
      if (event.candidate) {
        send({ type: "candidate", candidate: event.candidate.toJSON() });
      }
    };
    connection.onconnectionstatechange = function () {
      if (connection !== pc) {
        return;
      }
      if (connection.connectionState === "connected") {
        clearTimeout(patience);
        root.dataset.setupMs = String(Math.round(performance.now() - startedAt));
        watch(connection);
      } else if (connection.connectionState === "failed") {
        fail("network");
      }
    };
    patience = setTimeout(function () {
      if (connection === pc && connection.connectionState !== "connected") {
        fail("network");
      }
    }, CONNECT_PATIENCE_MS);
    return connection;
  }

  /** The practitioner admits the patient: a new session, a sealed "admit", then the sealed offer. */
  async function startCall() {
    try {
      startedAt = performance.now();
      newSession();
      setState("connecting");
      send({ type: "admit" });
      pc = newPeerConnection();
      var offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      await send({ type: "offer", sdp: offer.sdp });
    } catch (e) {
      fail("other");
    }
  }

  async function receive(frame) {
    // Checked before anything is opened: from the other party, the next message of its session (a new
    // session starts at 0 and is a new call attempt; one seen before is a replay), then its binding and tag.
    if (frame.from !== peer) {
      return fail("misbound", true);
    }
    if (typeof frame.seq !== "number" || typeof frame.session !== "string") {
      return fail("malformed", true);
    }
    if (frame.session !== peerSession) {
      if (frame.seq !== 0 || seenSessions[frame.session]) {
        return fail("replayed", true);
      }
    } else if (frame.seq !== peerSeq + 1) {
      return fail("replayed", true);
    }
    var message;
    try {
      message = await E2e.openJsonItem(
        frame.envelope,
        key,
        consultation,
        "signal",
        peer + "/" + frame.session + "/" + frame.seq
      );
    } catch (e) {
      return fail(code(e), true);
    }
    if (frame.session !== peerSession) {
      seenSessions[frame.session] = true;
      peerSession = frame.session;
    }
    peerSeq = frame.seq;
    try {
      await handle(message);
    } catch (e) {
      fail("other", true);
    }
  }

  async function handle(message) {
    if (message.type === "hangup") {
      if (message.reason === "refused") {
        return fail("peer-refused");
      }
      endCall();
      finished = true;
      setState("ended");
      stop();
      return;
    }
    if (!practitioner && message.type === "admit") {
      // A new call attempt of the practitioner's: whatever was under way gives way to it.
      endCall();
      peerAdmitted = true;
      startedAt = performance.now();
      newSession();
      setState("connecting");
      return;
    }
    if (!practitioner && message.type === "offer" && peerAdmitted && typeof message.sdp === "string") {
      pc = newPeerConnection();
      await pc.setRemoteDescription({ type: "offer", sdp: message.sdp });
      await addPending();
      var answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      await send({ type: "answer", sdp: answer.sdp });
      return;
    }
    if (practitioner && message.type === "answer" && pc && typeof message.sdp === "string") {
      await pc.setRemoteDescription({ type: "answer", sdp: message.sdp });
      await addPending();
      return;
    }
    if (message.type === "candidate" && message.candidate && typeof message.candidate === "object") {
      if (pc && pc.remoteDescription) {
        await pc.addIceCandidate(message.candidate);
      } else {
        pendingCandidates.push(message.candidate);
      }
    }
  }

  async function addPending() {
    var waiting = pendingCandidates;
    pendingCandidates = [];
    for (var i = 0; i < waiting.length; i++) {
      await pc.addIceCandidate(waiting[i]);
    }
  }

  /** Direct or relayed, from the selected candidate pair; frames decoded, from the inbound video. */
  function watch(connection) {
    async function look() {
      if (connection !== pc) {
        return;
      }
      var stats = await connection.getStats();
      var pair = null;
      var decoded = 0;
      stats.forEach(function (report) {
        if (report.type === "transport" && report.selectedCandidatePairId) {
          pair = stats.get(report.selectedCandidatePairId) || pair;
        }
        if (report.type === "inbound-rtp" && report.kind === "video") {
          decoded += report.framesDecoded || 0;
        }
      });
      if (!pair) {
        stats.forEach(function (report) {
          if (report.type === "candidate-pair" && report.nominated && report.state === "succeeded") {
            pair = report;
          }
        });
      }
      if (pair && !finished) {
        var local = stats.get(pair.localCandidateId);
        var remote = stats.get(pair.remoteCandidateId);
        var relayed =
          (local && local.candidateType === "relay") || (remote && remote.candidateType === "relay");
        root.dataset.localCandidate = local ? local.candidateType : "";
        root.dataset.remoteCandidate = remote ? remote.candidateType : "";
        setState(relayed ? "relayed" : "direct");
      }
      root.dataset.framesDecoded = String(decoded);
    }
    look();
    statsTimer = setInterval(look, 1000);
  }

  // ---- buttons ---------------------------------------------------------------------------------------

  if (joinButton) {
    joinButton.addEventListener("click", join);
  }
  if (admitButton) {
    admitButton.addEventListener("click", function () {
      admitButton.hidden = true;
      if (socket && socket.readyState === 1) {
        socket.send(JSON.stringify({ type: "admit" }));
      }
    });
  }
  if (hangupButton) {
    hangupButton.addEventListener("click", function () {
      send({ type: "hangup" });
      finished = true;
      endCall();
      setState("ended");
      outbox.then(stop);
    });
  }
  root.dataset.ready = "true";
})();
