package org.carnet.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that starts Debian's coturn ({@code /usr/bin/turnserver}) on loopback. Where it is missing the
 * test is skipped with the reason, except under CI ({@code CI=true}) where it runs and fails.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(CoturnCondition.class)
public @interface RequiresCoturn {}
