package org.carnet.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.TestPropertySource;

/**
 * A test whose claim only PostgreSQL can prove (concurrency): it always runs on a throw-away
 * PostgreSQL database. Where none is reachable it is skipped with the reason, except under CI
 * ({@code CI=true}) where it runs and fails.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PostgresCondition.class)
@TestPropertySource(properties = "carnet.test.requires-postgres=true")
public @interface RequiresPostgres {}
