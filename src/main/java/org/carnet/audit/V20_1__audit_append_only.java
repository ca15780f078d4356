package org.carnet.audit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL only (H2 runs Carnet with one user): what lets the application's database role keep
 * the audit log without being able to rewrite it. {@link ApplicationRoleGrants} grants the rights.
 *
 * <ul>
 *   <li>{@code audit_log_seal_once}: a sealed entry's position and hashes never change again, except
 *       by the tables' owner (whose edits the verifier catches);
 *   <li>{@code carnet_audit_prune(chain, upto)}: the one way for the application to delete entries,
 *       a prefix of one chain up to a START checkpoint already stored at that position. It runs with
 *       the owner's rights ({@code SECURITY DEFINER}) and a fixed search path.
 * </ul>
 */
@Component
// Flyway reads the version from the class name.
class V20_1__audit_append_only extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        if (!connection.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            String schema;
            try (ResultSet rs = statement.executeQuery("SELECT current_schema()")) {
                rs.next();
                schema = rs.getString(1);
            }
            statement.execute("""
                    CREATE FUNCTION audit_log_seal_once() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF OLD.seq IS NOT NULL AND NOT pg_has_role(
                                current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
                            RAISE EXCEPTION 'audit entry % is sealed and cannot change', OLD.id
                                USING ERRCODE = 'insufficient_privilege';
                        END IF;
                        RETURN NEW;
                    END $$""");
            statement.execute("CREATE TRIGGER audit_log_seal_once BEFORE UPDATE ON audit_log"
                    + " FOR EACH ROW EXECUTE FUNCTION audit_log_seal_once()");
            statement.execute("""
                    CREATE FUNCTION carnet_audit_prune(chain UUID, upto BIGINT) RETURNS INTEGER
                    LANGUAGE plpgsql SECURITY DEFINER SET search_path = SCHEMA, pg_temp AS $$
                    DECLARE
                        removed INTEGER;
                    BEGIN
                        IF NOT EXISTS (SELECT 1 FROM audit_checkpoints
                                WHERE chain_key = chain AND seq = upto AND kind = 'START') THEN
                            RAISE EXCEPTION 'no START checkpoint at position % of this chain', upto
                                USING ERRCODE = 'insufficient_privilege';
                        END IF;
                        DELETE FROM audit_log WHERE chain_key = chain AND seq <= upto;
                        GET DIAGNOSTICS removed = ROW_COUNT;
                        RETURN removed;
                    END $$""".replace("SCHEMA", quoteIdentifier(schema)));
            statement.execute("REVOKE ALL ON FUNCTION carnet_audit_prune(UUID, BIGINT) FROM PUBLIC");
        }
    }

    private static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
