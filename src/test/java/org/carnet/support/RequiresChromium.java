package org.carnet.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that drives Debian's Chromium ({@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}).
 * Where they are missing it is skipped with the reason, except under CI ({@code CI=true}) where it
 * runs and fails.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ChromiumCondition.class)
public @interface RequiresChromium {}
