package org.carnet.clients.internal;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.carnet.clients.KeyServerProperties;
import org.carnet.clients.ProgramKeys;
import org.carnet.shared.InvalidRequestException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;

/**
 * Programs' key servers: where a JWKS URL may point (checked at registration and again before every
 * fetch, as the address behind a name can change), and the keys read there when an assertion is
 * checked. Each URL's set is fetched with short timeouts and a size limit, never following a redirect,
 * kept for {@link #CACHE_LIFETIME}, fetched again when an assertion names an unknown {@code kid} (a
 * rotated key), but at most twice every {@link #RATE_LIMIT} (nimbus-jose-jwt's caching and
 * rate-limited sources), so a stream of bad assertions cannot turn Carnet against a key server. A set
 * that breaks {@link ProgramKeys}' rules is not used.
 */
@Component
@EnableConfigurationProperties(KeyServerProperties.class)
public class KeyServers {

    public static final int MAX_URI = 500;
    static final int CONNECT_TIMEOUT_MS = 2_000;
    static final int READ_TIMEOUT_MS = 2_000;
    static final int SIZE_LIMIT = 64 * 1024;
    static final Duration CACHE_LIFETIME = Duration.ofMinutes(5);
    static final Duration RATE_LIMIT = Duration.ofSeconds(30);
    /** Key servers remembered at once; the least recently used one is dropped beyond. */
    static final int MAX_SERVERS = 1_000;

    private final Set<String> allowedHosts;
    private final Map<URI, JWKSource<SecurityContext>> servers = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<URI, JWKSource<SecurityContext>> eldest) {
            return size() > MAX_SERVERS;
        }
    };

    KeyServers(KeyServerProperties properties) {
        this.allowedHosts = properties.allowedHosts().stream()
                .map(host -> host.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * A JWKS URL an administrator registers, checked.
     *
     * @throws InvalidRequestException on field {@code jwksUri} when it is not an absolute https URL (or
     *     http to an allowed host) without user info or fragment, or its host does not resolve, or
     *     resolves to an internal address and is not allowed
     */
    public URI checked(String value) {
        // The host is looked up below (seconds, for a slow resolver): never while holding a database connection.
        Assert.state(
                !TransactionSynchronizationManager.isActualTransactionActive(),
                "A JWKS URL is checked before the transaction that registers it");
        URI uri;
        try {
            uri = value.length() > MAX_URI ? null : new URI(value);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null
                || !uri.isAbsolute()
                || uri.getHost() == null
                || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            throw new InvalidRequestException(
                    "jwksUri", "must be an absolute https URL (at most 500 characters), without user info or fragment");
        }
        String refusal = refusal(uri);
        if (refusal != null) {
            throw new InvalidRequestException("jwksUri", refusal);
        }
        return uri;
    }

    /** The keys published at a registered JWKS URL, fetched when needed. */
    public JWKSource<SecurityContext> keysAt(URI uri) {
        synchronized (servers) {
            return servers.computeIfAbsent(uri, this::source);
        }
    }

    private JWKSource<SecurityContext> source(URI uri) {
        URL url;
        try {
            url = uri.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("A stored JWKS URL is not a URL", e);
        }
        return JWKSourceBuilder.create(new Checked(new URLBasedJWKSetSource<>(url, new Guarded())))
                .cache(CACHE_LIFETIME.toMillis(), READ_TIMEOUT_MS + CONNECT_TIMEOUT_MS)
                .refreshAheadCache(false)
                .rateLimited(RATE_LIMIT.toMillis())
                .retrying(false)
                .outageTolerant(false)
                .build();
    }

    /** Why Carnet will not call this URL, or null when it may. */
    private @Nullable String refusal(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (allowedHosts.contains(host)) {
            return scheme.equals("https") || scheme.equals("http") ? null : "must be an https URL";
        }
        if (!scheme.equals("https")) {
            return "must be an https URL";
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return "its host does not resolve";
        }
        if (Arrays.stream(addresses).anyMatch(InternalAddresses::isInternal)) {
            return "must not point to a loopback, private, link-local or other internal address";
        }
        return null;
    }

    /** Fetches a key server's set: the address checked first, and no redirect followed. */
    private final class Guarded extends DefaultResourceRetriever {

        Guarded() {
            super(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, SIZE_LIMIT);
        }

        @Override
        public Resource retrieveResource(URL url) throws IOException {
            URI uri;
            try {
                uri = url.toURI();
            } catch (URISyntaxException e) {
                throw new IOException("Not a URL Carnet calls", e);
            }
            if (uri.getHost() == null || refusal(uri) != null) {
                throw new IOException("The JWKS URL's host is not one Carnet calls");
            }
            return super.retrieveResource(url);
        }

        @Override
        protected HttpURLConnection openHTTPConnection(URL url) throws IOException {
            HttpURLConnection connection = super.openHTTPConnection(url);
            // A redirect could lead anywhere, past the check above; it is an error instead (not 2xx).
            connection.setInstanceFollowRedirects(false);
            return connection;
        }
    }

    /** The set as fetched, used only when it follows the rules of a registered one. */
    private record Checked(URLBasedJWKSetSource<SecurityContext> fetched) implements JWKSetSource<SecurityContext> {

        @Override
        public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refresh, long currentTime, SecurityContext context)
                throws KeySourceException {
            JWKSet set = fetched.getJWKSet(refresh, currentTime, context);
            try {
                return ProgramKeys.served(set);
            } catch (InvalidRequestException e) {
                throw new KeySourceException("The JWK Set at a program's JWKS URL breaks the key rules");
            }
        }

        @Override
        public void close() throws IOException {
            fetched.close();
        }
    }
}
