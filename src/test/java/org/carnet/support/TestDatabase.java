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
 * its own data directory and keystore. A test that restarts the application sets {@link
 * #SHARED_NAME} to a {@link #freshName()} on each context it starts: they all get that database and
 * data directory, which outlive them until the test calls {@link #drop(String)}.
 */
public final class TestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** PostgreSQL server used by the tests; trust authentication as user postgres by default. */
    public static final String PG_SERVER =
            System.getenv().getOrDefault("CARNET_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");

    public static final String PG_USER = System.getenv().getOrDefault("CARNET_TEST_PG_USER", "postgres");
    public static final String PG_PASSWORD = System.getenv().getOrDefault("CARNET_TEST_PG_PASSWORD", "");

    /** Carnet's restricted role on the test server (created if missing); trust authentication by default. */
    public static final String PG_APP_ROLE = System.getenv().getOrDefault("CARNET_TEST_PG_APP_USER", "carnet_test_app");

    public static final String PG_APP_PASSWORD = System.getenv().getOrDefault("CARNET_TEST_PG_APP_PASSWORD", "");

    private static volatile boolean applicationRoleReady;

    /** The property that runs a context as the tables' owner on PostgreSQL (a module test's: see below). */
    public static final String AS_OWNER = "carnet.test.database-as-owner";

    /** The property naming a database (and data directory) shared by the contexts of a restart test. */
    public static final String SHARED_NAME = "carnet.test.database-name";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String shared = context.getEnvironment().getProperty(SHARED_NAME);
        String name = shared != null ? shared : freshName();
        Map<String, Object> properties = new HashMap<>();
        Path dataDir = Path.of("target", "test-data", name).toAbsolutePath();
        properties.put("carnet.data-dir", dataDir.toString());
        // Every test context is witnessed, on H2 as on PostgreSQL, as a deployment should be.
        if (!context.getEnvironment().containsProperty("carnet.audit.witness.directory")) {
            properties.put(
                    "carnet.audit.witness.directory", witnessDirectory(name).toString());
        }
        if (usePostgres(context)) {
            if (shared == null || !postgresDatabaseExists(name)) {
                createPostgresDatabase(name);
            }
            properties.put("spring.datasource.url", PG_SERVER + name);
            // Migrations run as the owner; Carnet as its restricted role, as a deployment does (docs/operations.md).
            // A module test bootstraps one module, without audit's grants to that role: it runs as the owner.
            boolean asOwner = context.getEnvironment().getProperty(AS_OWNER, Boolean.class, false);
            properties.put("spring.flyway.user", PG_USER);
            properties.put("spring.flyway.password", PG_PASSWORD);
            properties.put("spring.datasource.username", asOwner ? PG_USER : applicationRole());
            properties.put("spring.datasource.password", asOwner ? PG_PASSWORD : PG_APP_PASSWORD);
            if (!context.getEnvironment().containsProperty("spring.datasource.hikari.maximum-pool-size")) {
                properties.put("spring.datasource.hikari.maximum-pool-size", "20");
            }
            // The test contexts Spring caches share the server's 100 connections: each keeps one or two
            // open while it waits for its next test, and opens more only while a test runs.
            if (!context.getEnvironment().containsProperty("spring.datasource.hikari.minimum-idle")) {
                properties.put("spring.datasource.hikari.minimum-idle", "1");
                properties.put("spring.datasource.hikari.idle-timeout", "10000");
            }
            if (shared == null) {
                // Dropped once the context's beans are gone: registered before any of them, it is destroyed
                // last, after the event publication registry has read its table one last time on closing.
                ((DefaultSingletonBeanRegistry) context.getBeanFactory())
                        .registerDisposableBean("carnet-test-database", () -> dropPostgresDatabase(name));
            }
        } else {
            properties.put("spring.datasource.url", h2Url(name));
        }
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("carnet-test-database", properties));
    }

    /**
     * A whole Carnet for a benchmark, on a fresh database of this name (the "test" profile, a random port,
     * no demo data, Carnet's own logs at WARN), with these further arguments ({@code --name=value}).
     * The caller closes it, then drops the database.
     */
    public static org.springframework.context.ConfigurableApplicationContext startCarnet(
            String name, String... arguments) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(
                "--server.port=0",
                "--" + SHARED_NAME + "=" + name,
                "--carnet.demo.enabled=false",
                "--logging.level.org.carnet=WARN"));
        all.addAll(java.util.List.of(arguments));
        return new org.springframework.boot.builder.SpringApplicationBuilder(org.carnet.CarnetApplication.class)
                .profiles("test")
                .initializers(new TestDatabase())
                .run(all.toArray(String[]::new));
    }

    /**
     * The {@code --key=value} arguments that point a command run in-process (such as {@code admin
     * bootstrap}, which starts its own application) at the database and data directory a restart test
     * shares under this name; the PostgreSQL database is created if this run uses PostgreSQL.
     */
    public static java.util.List<String> commandLine(String name) {
        java.util.List<String> args = new java.util.ArrayList<>();
        args.add("--carnet.data-dir=" + Path.of("target", "test-data", name).toAbsolutePath());
        args.add("--carnet.audit.witness.directory=" + witnessDirectory(name));
        if (postgresRun()) {
            args.addAll(postgresArguments(name));
        } else {
            args.add("--spring.datasource.url=" + h2Url(name));
        }
        return args;
    }

    /**
     * The {@code --key=value} arguments that run Carnet on the PostgreSQL database of this name (created
     * if missing), migrated by its owner and run as the restricted application role, whichever database
     * this run targets: for the tests that only PostgreSQL can prove.
     */
    public static java.util.List<String> postgresArguments(String name) {
        if (!postgresDatabaseExists(name)) {
            createPostgresDatabase(name);
        }
        return java.util.List.of(
                "--spring.datasource.url=" + PG_SERVER + name,
                "--spring.flyway.user=" + PG_USER,
                "--spring.flyway.password=" + PG_PASSWORD,
                "--spring.datasource.username=" + applicationRole(),
                "--spring.datasource.password=" + PG_APP_PASSWORD);
    }

    /** A connection to this PostgreSQL database as its owner. */
    public static Connection postgresOwner(String name) throws SQLException {
        return DriverManager.getConnection(PG_SERVER + name, PG_USER, PG_PASSWORD);
    }

    /** The audit witness directory of the contexts (and commands) run on this database. */
    public static Path witnessDirectory(String name) {
        return Path.of("target", "test-data", name, "audit-witness").toAbsolutePath();
    }

    /**
     * Carnet's restricted role: a login with no rights of its own; each test database's migrations grant
     * it its rights (ApplicationRoleGrants). Created once per server; other runs may race to create it.
     */
    public static synchronized String applicationRole() {
        if (applicationRoleReady) {
            return PG_APP_ROLE;
        }
        try (Connection connection = DriverManager.getConnection(PG_SERVER + "postgres", PG_USER, PG_PASSWORD);
                java.sql.PreparedStatement exists =
                        connection.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            exists.setString(1, PG_APP_ROLE);
            boolean present;
            try (java.sql.ResultSet rs = exists.executeQuery()) {
                present = rs.next();
            }
            if (!present) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE ROLE \"" + PG_APP_ROLE.replace("\"", "\"\"") + "\" LOGIN"
                            + (PG_APP_PASSWORD.isEmpty()
                                    ? ""
                                    : " PASSWORD '" + PG_APP_PASSWORD.replace("'", "''") + "'"));
                } catch (SQLException e) {
                    // 42710: another run created it meanwhile; 23505: the same race, seen in the catalogue.
                    if (!"42710".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the test application role", e);
        }
        applicationRoleReady = true;
        return PG_APP_ROLE;
    }

    /**
     * A connection to this context's database as its owner: what a database insider (or a test that
     * tampers like one) uses. On H2, the one user.
     */
    public static org.springframework.jdbc.core.simple.JdbcClient owner(org.springframework.core.env.Environment env) {
        String url = env.getRequiredProperty("spring.datasource.url");
        String user = env.getProperty("spring.flyway.user", env.getProperty("spring.datasource.username", "sa"));
        String password = env.getProperty("spring.flyway.password", env.getProperty("spring.datasource.password", ""));
        return org.springframework.jdbc.core.simple.JdbcClient.create(
                new org.springframework.jdbc.datasource.DriverManagerDataSource(url, user, password));
    }

    /** A name no other test uses, for a database and its data directory. */
    public static String freshName() {
        return "carnet_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Removes a shared database once its test is done with it (PostgreSQL or in-memory H2). */
    public static void drop(String name) {
        if (postgresDatabaseExists(name)) {
            dropPostgresDatabase(name);
            return;
        }
        try (Connection connection = DriverManager.getConnection(h2Url(name) + ";IFEXISTS=TRUE");
                Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (SQLException e) {
            // Never opened on H2 (or already gone): nothing to remove.
        }
    }

    private static String h2Url(String name) {
        // DB_CLOSE_DELAY=-1: the in-memory database outlives its connections, and a closed context.
        // LOCK_TIMEOUT as the embedded default's (application.yml): a busy CI machine makes waits long.
        return "jdbc:h2:mem:" + name + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
                + "DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
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

    private static boolean postgresDatabaseExists(String name) {
        if (!postgresRun() && !postgresReachable()) {
            return false;
        }
        try (Connection connection = DriverManager.getConnection(PG_SERVER + "postgres", PG_USER, PG_PASSWORD);
                java.sql.PreparedStatement statement =
                        connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            statement.setString(1, name);
            try (java.sql.ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL test database: " + e.getMessage(), e);
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
