package org.carnet.notifications.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.simplejavamail.utils.mail.dkim.Canonicalization;
import org.simplejavamail.utils.mail.dkim.DkimMessage;
import org.simplejavamail.utils.mail.dkim.DkimSigner;
import org.springframework.stereotype.Component;

/**
 * Signs outgoing e-mail with DKIM (RFC 6376, rsa-sha256, relaxed/relaxed) when
 * {@code carnet.mail.dkim.private-key} names a key, so that receiving servers can tell Carnet's mail
 * from mail that only claims to be Carnet's. The key is read once, at start; a key that cannot be read
 * stops the start rather than sending unsigned mail.
 */
@Component
class DkimSigning {

    private final @Nullable RSAPrivateKey key;
    private final String domain;
    private final String selector;

    DkimSigning(MailProperties properties) {
        this.key = properties.dkim().privateKey() == null
                ? null
                : read(properties.dkim().privateKey());
        this.domain = properties.dkim().domain() != null ? properties.dkim().domain() : properties.fromDomain();
        this.selector = properties.dkim().selector();
    }

    boolean enabled() {
        return key != null;
    }

    MimeMessage sign(MimeMessage message) throws MessagingException {
        if (key == null) {
            return message;
        }
        DkimSigner signer = new DkimSigner(domain, selector, key);
        signer.setHeaderCanonicalization(Canonicalization.RELAXED);
        signer.setBodyCanonicalization(Canonicalization.RELAXED);
        signer.setCheckDomainKey(false);
        DkimMessage signed = new DkimMessage(message, signer);
        signed.setHeader("Message-ID", message.getMessageID());
        return signed;
    }

    private static RSAPrivateKey read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, StandardCharsets.US_ASCII);
            if (text.contains("-----BEGIN PRIVATE KEY-----")) {
                bytes = Base64.getMimeDecoder()
                        .decode(text.replace("-----BEGIN PRIVATE KEY-----", "")
                                .replace("-----END PRIVATE KEY-----", ""));
            }
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("The DKIM key file cannot be read", e);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException("The DKIM key file is not a PKCS#8 RSA private key", e);
        }
    }
}
