package org.carnet.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that runs Debian's nginx ({@code /usr/sbin/nginx}) in front of Carnet nodes. Where it is missing
 * the test is skipped with the reason, except under CI ({@code CI=true}) where it runs and fails.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NginxCondition.class)
public @interface RequiresNginx {}
