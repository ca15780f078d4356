package org.carnet.support;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Puts back, before each test method, the log levels its application context was configured with. An
 * operator command run in the test's JVM (audit, backup, keys, leak-trace, admin) sets the commands' quiet
 * levels (WARN) for the whole JVM, and a context cached from before would otherwise log nothing at INFO for
 * every test after it: a test that reads the log (a masked phone number, no personal data) would then fail,
 * or pass without having seen the line it checks.
 */
public class ConfiguredLogLevels implements TestExecutionListener, Ordered {

    @Override
    public void beforeTestMethod(TestContext testContext) {
        if (!testContext.hasApplicationContext()) {
            return;
        }
        Environment environment = testContext.getApplicationContext().getEnvironment();
        LoggingSystem logging = LoggingSystem.get(ConfiguredLogLevels.class.getClassLoader());
        apply(logging, LoggingSystem.ROOT_LOGGER_NAME, environment.getProperty("logging.level.root"));
        apply(logging, "org.carnet", environment.getProperty("logging.level.org.carnet"));
    }

    private static void apply(LoggingSystem logging, String logger, @org.jspecify.annotations.Nullable String level) {
        if (level != null) {
            logging.setLogLevel(logger, LogLevel.valueOf(level.trim().toUpperCase(java.util.Locale.ROOT)));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
