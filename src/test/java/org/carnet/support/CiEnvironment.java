package org.carnet.support;

/** Whether the tests run under CI, where tests that need PostgreSQL or Chromium must not be skipped. */
public final class CiEnvironment {
    private CiEnvironment() {}

    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
