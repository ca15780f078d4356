package org.carnet.crypto;

/** For tests of other modules: what {@code keys rotate-signing} does, on the running context's key provider. */
public final class TestSigningKeys {

    private TestSigningKeys() {}

    /** Adds the next signing key pair to the provider's holder, which signs with it from now on; its id. */
    public static String rotate(KeyProvider keys) {
        return ((ConfiguredKeyProvider) keys).rotateSigningKey();
    }
}
