// Passkeys (WebAuthn) for Carnet's pages: sign-in on /login, registration on /account/security.
// The server side is Spring Security's WebAuthn support; this file only moves bytes between it and
// the browser's authenticator, base64url-encoded. No inline script: the CSP forbids it.
"use strict";
(function () {
  function encode(buffer) {
    return btoa(String.fromCharCode.apply(null, new Uint8Array(buffer)))
      .replace(/=/g, "").replace(/\+/g, "-").replace(/\//g, "_");
  }

  function decode(text) {
    var binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function post(element, url, body) {
    var headers = { "Content-Type": "application/json" };
    headers[element.dataset.csrfHeader] = element.dataset.csrfToken;
    return fetch(url, { method: "POST", headers: headers, body: body ? JSON.stringify(body) : undefined })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      });
  }

  function showError(id) {
    var error = document.getElementById(id);
    if (error) {
      error.hidden = false;
    }
  }

  function signIn(button) {
    post(button, "/webauthn/authenticate/options")
      .then(function (options) {
        options.challenge = decode(options.challenge);
        options.allowCredentials = (options.allowCredentials || []).map(function (c) {
          return Object.assign({}, c, { id: decode(c.id) });
        });
        return navigator.credentials.get({ publicKey: options });
      })
      .then(function (credential) {
        var r = credential.response;
        return post(button, "/login/webauthn", {
          id: credential.id,
          rawId: encode(credential.rawId),
          response: {
            authenticatorData: encode(r.authenticatorData),
            clientDataJSON: encode(r.clientDataJSON),
            signature: encode(r.signature),
            userHandle: r.userHandle ? encode(r.userHandle) : undefined
          },
          credType: credential.type,
          clientExtensionResults: credential.getClientExtensionResults(),
          authenticatorAttachment: credential.authenticatorAttachment
        });
      })
      .then(function (result) {
        if (!result.authenticated) {
          throw new Error("not authenticated");
        }
        window.location.href = result.redirectUrl;
      })
      .catch(function () {
        showError("passkey-error");
      });
  }

  function register(button) {
    var label = document.getElementById("passkey-label").value.trim();
    if (!label) {
      showError("passkey-label-error");
      return;
    }
    post(button, "/webauthn/register/options")
      .then(function (options) {
        options.challenge = decode(options.challenge);
        options.user = Object.assign({}, options.user, { id: decode(options.user.id) });
        options.excludeCredentials = (options.excludeCredentials || []).map(function (c) {
          return Object.assign({}, c, { id: decode(c.id) });
        });
        return navigator.credentials.create({ publicKey: options });
      })
      .then(function (credential) {
        var r = credential.response;
        return post(button, "/webauthn/register", {
          publicKey: {
            credential: {
              id: credential.id,
              rawId: encode(credential.rawId),
              response: {
                attestationObject: encode(r.attestationObject),
                clientDataJSON: encode(r.clientDataJSON),
                transports: r.getTransports ? r.getTransports() : []
              },
              type: credential.type,
              clientExtensionResults: credential.getClientExtensionResults(),
              authenticatorAttachment: credential.authenticatorAttachment
            },
            label: label
          }
        });
      })
      .then(function (result) {
        if (!result.success) {
          throw new Error("not registered");
        }
        window.location.href = "/account/security?changed=passkey";
      })
      .catch(function () {
        showError("passkey-register-error");
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var signInButton = document.getElementById("passkey-signin");
    var registerButton = document.getElementById("passkey-register");
    if (!window.PublicKeyCredential) {
      return;
    }
    if (signInButton) {
      signInButton.hidden = false;
      signInButton.addEventListener("click", function () { signIn(signInButton); });
    }
    if (registerButton) {
      document.getElementById("passkey-form").hidden = false;
      registerButton.addEventListener("click", function () { register(registerButton); });
    }
  });
})();
