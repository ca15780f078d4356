package org.carnet.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, when migrations run as their own role ({@code spring.flyway.user}, the tables'
 * owner) and Carnet as another ({@code spring.datasource.username}): after every migration, grants
 * the application's role what it needs and no more. Every table, read and written, except the audit
 * tables, which it may only read and insert into: it may write an entry's seal once (the seal's
 * three columns, guarded by {@code audit_log_seal_once}) and the signed chain heads, and delete
 * entries only through {@code carnet_audit_prune}. Run on every start, so that tables added by later
 * migrations are granted too. With one user, or on H2, it does nothing.
 */
@Component
class ApplicationRoleGrants implements Callback {

    private static final Logger log = LoggerFactory.getLogger(ApplicationRoleGrants.class);

    /** The audit tables the application may read and insert into only. */
    static final List<String> AUDIT_TABLES = List.of("audit_log", "audit_chain_heads", "audit_checkpoints");

    private final @Nullable String owner;
    private final @Nullable String application;

    ApplicationRoleGrants(Environment environment) {
        this.owner = environment.getProperty("spring.flyway.user");
        this.application = environment.getProperty("spring.datasource.username");
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        if (owner == null || application == null || owner.equals(application)) {
            return;
        }
        try {
            Connection connection = context.getConnection();
            if (!connection.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
                return;
            }
            grant(connection, quote(application));
            log.info("Database role {} granted its rights; the audit tables are append-only for it", application);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot grant the application's database role its rights", e);
        }
    }

    private static void grant(Connection connection, String app) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            String schema = quote(currentSchema(statement));
            statement.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + app);
            statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + app);
            statement.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + app);
            // Read only: a command started as this role sees the schema up to date and migrates nothing.
            statement.execute("REVOKE INSERT, UPDATE, DELETE ON flyway_schema_history FROM " + app);
            for (String table : AUDIT_TABLES) {
                statement.execute("REVOKE UPDATE, DELETE, TRUNCATE ON " + table + " FROM " + app);
            }
            // A seal, written once (the trigger refuses a second); a signed head, which moves with the seals.
            statement.execute("GRANT UPDATE (seq, prev_hash, entry_hash) ON audit_log TO " + app);
            statement.execute(
                    "GRANT UPDATE (seq, head_hash, key_id, signature, updated_at) ON audit_chain_heads TO " + app);
            statement.execute("GRANT EXECUTE ON FUNCTION carnet_audit_prune(UUID, BIGINT) TO " + app);
        }
    }

    private static String currentSchema(Statement statement) throws SQLException {
        try (var rs = statement.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String getCallbackName() {
        return "carnet-application-role-grants";
    }
}
