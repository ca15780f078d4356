package org.carnet.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.carnet.shared.InvalidRequestException;

/**
 * The redirect URIs a program registers for the authorization code flow, checked strictly (OAuth 2.0
 * Security BCP, RFC 9700 §2.1; RFC 8252 for native apps): absolute {@code https} URIs with a host, or
 * {@code http} to the loopback IP literal {@code 127.0.0.1} or {@code [::1]} for a program on the
 * professional's own computer (not {@code localhost}, which a resolver may send elsewhere, and which
 * Spring Authorization Server refuses too). No user info, no fragment, no wildcard. At
 * {@code /oauth2/authorize} the {@code redirect_uri} must equal one of them, character for character
 * (a native app registers the port it listens on).
 */
final class RedirectUris {

    static final int MAX_URIS = 5;
    static final int MAX_LENGTH = 500;

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "[::1]");

    private RedirectUris() {}

    /**
     * The URIs, checked.
     *
     * @throws InvalidRequestException naming {@code redirectUris} (the value is not echoed)
     */
    static List<String> checked(List<String> uris) {
        if (uris.size() > MAX_URIS) {
            throw invalid("at most " + MAX_URIS + " redirect URIs");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String uri : uris) {
            if (!acceptable(uri)) {
                throw invalid("each redirect URI must be an absolute https URI with a host, or http://127.0.0.1 or"
                        + " http://[::1] (with a port and path if needed), without user info, fragment or spaces");
            }
            if (!seen.add(uri)) {
                throw invalid("each redirect URI once");
            }
        }
        return List.copyOf(seen);
    }

    static boolean acceptable(String uri) {
        if (uri == null
                || uri.isEmpty()
                || uri.length() > MAX_LENGTH
                || !uri.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return false;
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = parsed.getScheme();
        String host = parsed.getHost();
        if (!parsed.isAbsolute()
                || parsed.isOpaque()
                || host == null
                || host.isEmpty()
                || parsed.getRawUserInfo() != null
                || parsed.getRawFragment() != null
                || uri.contains("*")) {
            return false;
        }
        return switch (scheme.toLowerCase(Locale.ROOT)) {
            case "https" -> scheme.equals("https");
            case "http" -> scheme.equals("http") && LOOPBACK.contains(host);
            default -> false;
        };
    }

    private static InvalidRequestException invalid(String why) {
        return new InvalidRequestException("redirectUris", why);
    }
}
