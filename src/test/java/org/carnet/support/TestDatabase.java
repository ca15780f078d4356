package org.carnet.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a test application context at a fresh database: an in-memory H2 by default, or a
 * throw-away PostgreSQL database when {@code -Dcarnet.test.database=postgres} (the {@code postgres}
 * Maven profile) or when the test class is annotated {@link RequiresPostgres}. Each context also gets
 * its own data directory and keystore.
 */
public final class TestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** PostgreSQL server used by the tests; trust authentication as user postgres by default. */
    public static final String PG_SERVER =
            System.getenv().getOrDefault("CARNET_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");

    public static final String PG_USER = System.getenv().getOrDefault("CARNET_TEST_PG_USER", "postgres");
    public static final String PG_PASSWORD = System.getenv().getOrDefault("CARNET_TEST_PG_PASSWORD", "");

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String name =
                "carnet_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, Object> properties = new HashMap<>();
        Path dataDir = Path.of("target", "test-data", name).toAbsolutePath();
        properties.put("carnet.data-dir", dataDir.toString());
        if (usePostgres(context)) {
            createPostgresDatabase(name);
            properties.put("spring.datasource.url", PG_SERVER + name);
            properties.put("spring.datasource.username", PG_USER);
            properties.put("spring.datasource.password", PG_PASSWORD);
            properties.put("spring.datasource.hikari.maximum-pool-size", "20");
            // Dropped once the context's beans are gone: registered before any of them, it is destroyed
            // last, after the event publication registry has read its table one last time on closing.
            ((DefaultSingletonBeanRegistry) context.getBeanFactory())
                    .registerDisposableBean("carnet-test-database", () -> dropPostgresDatabase(name));
        } else {
            properties.put(
                    "spring.datasource.url",
                    "jdbc:h2:mem:" + name + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
                            + "DB_CLOSE_DELAY=-1");
        }
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("carnet-test-database", properties));
    }

    /** Which database this run targets: {@code h2} or {@code postgres}. */
    public static boolean postgresRun() {
        return "postgres".equalsIgnoreCase(System.getProperty("carnet.test.database", "h2"));
    }

    private static boolean usePostgres(ConfigurableApplicationContext context) {
        if (postgresRun()) {
            return true;
        }
        // The test class is not visible here; RequiresPostgres contexts mark themselves through a property.
        return "true".equals(context.getEnvironment().getProperty("carnet.test.requires-postgres"));
    }

    static boolean postgresReachable() {
        try (Connection ignored = DriverManager.getConnection(PG_SERVER + "postgres", PG_USER, PG_PASSWORD)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void createPostgresDatabase(String name) {
        execute("CREATE DATABASE " + name);
    }

    private static void dropPostgresDatabase(String name) {
        try {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (IllegalStateException e) {
            // Left behind on a server that went away: harmless, it is a throw-away database.
        }
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(PG_SERVER + "postgres", PG_USER, PG_PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL test database: " + e.getMessage(), e);
        }
    }
}
