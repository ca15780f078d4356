package org.carnet.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs the test where Debian's softhsm2 is installed; skips it with a visible reason elsewhere, but never under CI. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SoftHsmCondition.class)
public @interface RequiresSoftHsm {}
