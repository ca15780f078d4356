package org.carnet.crypto;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_EC_POINT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_LABEL;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_EC_EDWARDS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_EC_EDWARDS_KEY_PAIR_GEN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_EDDSA;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_CRYPTOKI_ALREADY_INITIALIZED;

import java.io.IOException;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.StaticLogger;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * The Ed25519 key pairs that sign audit checkpoints (and exports, backups and the key directory's entries)
 * inside a PKCS#11 token. The JDK 17's SunPKCS11 has no EdDSA, so the token is reached through xipki's PKCS#11
 * wrapper, which passes any mechanism: the pair is generated on the token on first start
 * ({@code CKM_EC_EDWARDS_KEY_PAIR_GEN} over Ed25519), its private half sensitive and never extractable, and
 * every signature is made by the token ({@code CKM_EDDSA}). The public halves are read from the token and
 * verify in the JVM like any Ed25519 signature. Tested with Debian's SoftHSM v2.
 */
final class Pkcs11SigningKeys {

    private static final Logger log = LoggerFactory.getLogger(Pkcs11SigningKeys.class);

    /** Key ids of the token's signing keys say where they live, so that the keystore's stay apart. */
    static final String ID_PREFIX = "pkcs11:";

    /** The curve's object identifier, 1.3.101.112, DER-encoded: what {@code CKA_EC_PARAMS} takes. */
    private static final byte[] ED25519_PARAMETERS = {0x06, 0x03, 0x2B, 0x65, 0x70};

    /** The start of an Ed25519 public key's X.509 encoding; the 32 bytes of the point follow. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** One module per library and process: PKCS#11 initialises a library once per process. */
    private static final Map<String, PKCS11Module> MODULES = new HashMap<>();

    static {
        StaticLogger.setLogger(new WrapperLog());
    }

    private final PKCS11Token token;
    private final TokenLabels labels;
    private final Map<String, KeyPair> pairs = new ConcurrentHashMap<>();
    private volatile String currentLabel;

    Pkcs11SigningKeys(CryptoProperties.Pkcs11 settings) throws IOException {
        String library = Pkcs11MasterKey.library(settings);
        Slot slot = slot(module(library), settings);
        try {
            this.token = new PKCS11Token(slot.getToken(), false, Pkcs11MasterKey.pin(settings));
        } catch (TokenException e) {
            throw new IllegalStateException("The PKCS#11 token refused the PIN given, or cannot be opened", e);
        }
        String label = settings.signingKeyLabel();
        this.labels = TokenLabels.of(label);
        this.currentLabel = label;
        reread();
        if (!pairs.containsKey(label)) {
            generate(label);
        }
        this.currentLabel = newest();
        log.info("Audit-signing key {} held by the PKCS#11 token ({})", currentLabel, library);
    }

    /** The id of the token's key that signs now: the highest-numbered of the configured label's family. */
    String currentKeyId() {
        return ID_PREFIX + currentLabel;
    }

    /** The current key pair: a real public key, and a private key that is a handle on the token. */
    KeyPair current() {
        return java.util.Objects.requireNonNull(pairs.get(currentLabel), "the token's signing key");
    }

    /** The public key of this id, looking at the token again for keys another process added; null if unknown. */
    @Nullable
    PublicKey verificationKey(String keyId) {
        if (!keyId.startsWith(ID_PREFIX)) {
            return null;
        }
        String label = keyId.substring(ID_PREFIX.length());
        if (!pairs.containsKey(label)) {
            reread();
        }
        KeyPair pair = pairs.get(label);
        return pair == null ? null : pair.getPublic();
    }

    /**
     * Generates the next key pair on the token ({@code <base>-<n+1>}); this holder keeps signing with the one it
     * started with, as every running node does until its next start. Returns the new key's id.
     */
    synchronized String addNext() {
        String next = labels.next(newest());
        generate(next);
        return ID_PREFIX + next;
    }

    private String newest() {
        return pairs.keySet().stream()
                .max(java.util.Comparator.comparingInt(labels::number))
                .orElse(currentLabel);
    }

    /** Reads the family's key pairs from the token. */
    private synchronized void reread() {
        try {
            for (long privateKey : token.findAllObjects(AttributeVector.newPrivateKey(CKK_EC_EDWARDS))) {
                String label = token.getAttrValues(privateKey, CKA_LABEL).label();
                if (label == null || !labels.contains(label) || pairs.containsKey(label)) {
                    continue;
                }
                long[] publicKey = token.findObjects(
                        AttributeVector.newPublicKey(CKK_EC_EDWARDS).label(label), 1);
                if (publicKey.length == 1) {
                    pairs.put(label, new KeyPair(publicKey(publicKey[0]), new TokenKey(this, privateKey, label)));
                }
            }
        } catch (TokenException e) {
            throw new IllegalStateException("Cannot read the PKCS#11 token's signing keys", e);
        }
    }

    private void generate(String label) {
        try {
            if (token.findObjects(AttributeVector.newPrivateKey().label(label), 1).length > 0) {
                throw new IllegalStateException("The token already holds an entry " + label);
            }
            KeyPairTemplate template = new KeyPairTemplate(CKK_EC_EDWARDS)
                    .token(true)
                    .labels(label)
                    .id(label.getBytes(StandardCharsets.UTF_8))
                    .signVerify(true);
            template.publicKey().ecParams(ED25519_PARAMETERS);
            template.privateKey().private_(true).sensitive(true).extractable(false);
            PKCS11KeyPair pair = token.generateKeyPair(new Mechanism(CKM_EC_EDWARDS_KEY_PAIR_GEN), template);
            pairs.put(
                    label,
                    new KeyPair(publicKey(pair.getPublicKey()), new TokenKey(this, pair.getPrivateKey(), label)));
            log.info("Generated the audit-signing key {} on the PKCS#11 token", label);
        } catch (TokenException e) {
            throw new IllegalStateException("Cannot generate an Ed25519 key pair on the PKCS#11 token", e);
        }
    }

    private PublicKey publicKey(long handle) throws TokenException {
        byte[] point = token.getAttrValues(handle, CKA_EC_POINT).ecPoint();
        if (point == null || point.length < 32) {
            throw new IllegalStateException("The token's Ed25519 public key has no point");
        }
        // Some tokens give the bare 32 bytes, others wrap them in a DER OCTET STRING: the key is the last 32.
        byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
        System.arraycopy(point, point.length - 32, encoded, X509_PREFIX.length, 32);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The token's Ed25519 public key cannot be read", e);
        }
    }

    private byte[] sign(long privateKey, byte[] message) {
        try {
            return token.sign(new Mechanism(CKM_EDDSA), privateKey, message);
        } catch (TokenException e) {
            throw new IllegalStateException("The PKCS#11 token could not sign", e);
        }
    }

    private static synchronized PKCS11Module module(String library) throws IOException {
        PKCS11Module known = MODULES.get(library);
        if (known != null) {
            return known;
        }
        PKCS11Module module = PKCS11Module.getInstance(library);
        try {
            module.initialize();
        } catch (PKCS11Exception e) {
            // The JDK's SunPKCS11 (holding the master key) may have initialised the same library already.
            if (e.getErrorCode() != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
                throw new IllegalStateException("Cannot initialise the PKCS#11 library " + library, e);
            }
        }
        MODULES.put(library, module);
        return module;
    }

    private static Slot slot(PKCS11Module module, CryptoProperties.Pkcs11 settings) {
        try {
            Slot[] slots = module.getSlotList(true);
            if (settings.slot() != null) {
                return Arrays.stream(slots)
                        .filter(s -> s.getSlotID() == settings.slot())
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException(
                                "The PKCS#11 library has no token in slot " + settings.slot()));
            }
            if (settings.slotListIndex() < 0 || settings.slotListIndex() >= slots.length) {
                throw new IllegalStateException(
                        "The PKCS#11 library has no token at slot list index " + settings.slotListIndex());
            }
            return slots[settings.slotListIndex()];
        } catch (TokenException e) {
            throw new IllegalStateException("Cannot list the PKCS#11 library's slots", e);
        }
    }

    /** A private key that never leaves its token: {@link Ed25519#sign} hands the message to the token. */
    static final class TokenKey implements PrivateKey {

        @Serial
        private static final long serialVersionUID = 1L;

        private final transient Pkcs11SigningKeys holder;
        private final long handle;
        private final String label;

        private TokenKey(Pkcs11SigningKeys holder, long handle, String label) {
            this.holder = holder;
            this.handle = handle;
            this.label = label;
        }

        byte[] sign(byte[] message) {
            return holder.sign(handle, message);
        }

        @Override
        public String getAlgorithm() {
            return "Ed25519";
        }

        /** None: the key's value never leaves the token. */
        @Override
        public @Nullable String getFormat() {
            return null;
        }

        /** None: the key's value never leaves the token. */
        @Override
        public byte @Nullable [] getEncoded() {
            return null;
        }

        @Override
        public String toString() {
            return "Ed25519 private key " + label + " on a PKCS#11 token";
        }
    }

    /** The wrapper's own log lines, into Carnet's log: its routine lines at debug level. */
    private static final class WrapperLog implements org.xipki.pkcs11.wrapper.Logger {

        private static final Logger wrapper = LoggerFactory.getLogger("org.xipki.pkcs11.wrapper");

        @Override
        public void info(String format, Object... arguments) {
            wrapper.debug(format, arguments);
        }

        @Override
        public void warn(String format, Object... arguments) {
            wrapper.warn(format, arguments);
        }

        @Override
        public void error(String format, Object... arguments) {
            wrapper.error(format, arguments);
        }

        @Override
        public void debug(String format, Object... arguments) {
            wrapper.debug(format, arguments);
        }

        @Override
        public void trace(String format, Object... arguments) {
            wrapper.trace(format, arguments);
        }

        @Override
        public boolean isDebugEnabled() {
            return wrapper.isDebugEnabled();
        }

        @Override
        public boolean isInfoEnabled() {
            return wrapper.isDebugEnabled();
        }

        @Override
        public boolean isWarnEnabled() {
            return wrapper.isWarnEnabled();
        }

        @Override
        public boolean isTraceEnabled() {
            return wrapper.isTraceEnabled();
        }
    }
}
