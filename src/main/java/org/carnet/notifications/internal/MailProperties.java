package org.carnet.notifications.internal;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Carnet's e-mail beyond Spring's {@code spring.mail.*} (the SMTP server).
 *
 * @param from the sender, for example {@code Carnet <ne-pas-repondre@carnet.example>}; its domain is the
 *     Message-ID's and DKIM's
 * @param folder where e-mail is written as {@code .eml} files when no SMTP server is configured
 *     ({@code spring.mail.host} unset)
 * @param dkim DKIM signing, when a key is configured
 */
@ConfigurationProperties("carnet.mail")
public record MailProperties(
        @DefaultValue("Carnet <ne-pas-repondre@carnet.localhost>")
        String from,

        @DefaultValue("${carnet.data-dir}/outbox") Path folder,
        @DefaultValue Dkim dkim) {

    /**
     * @param privateKey a PKCS#8 private key (PEM or DER) of RSA; DKIM is off when unset
     * @param domain the signing domain ({@code d=}); by default the sender's
     * @param selector the DNS selector ({@code s=}) under which the public key is published
     */
    public record Dkim(
            @Nullable Path privateKey,
            @Nullable String domain,
            @DefaultValue("carnet") String selector) {}

    /** The domain of the sender's address. */
    String fromDomain() {
        String address = from.contains("<") ? from.substring(from.indexOf('<') + 1, from.indexOf('>')) : from;
        return address.substring(address.indexOf('@') + 1).trim();
    }
}
