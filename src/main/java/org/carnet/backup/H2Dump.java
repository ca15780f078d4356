package org.carnet.backup;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.tools.RunScript;

/**
 * H2's own dump: the rows of its {@code SCRIPT} statement (schema, data, users with their password
 * hashes), read through JDBC and written as a SQL script, which H2's {@code RunScript} loads again. H2
 * runs DDL outside transactions, so a restore that fails is undone by dropping everything it made: the
 * database was empty before.
 */
final class H2Dump implements DatabaseDump {

    private final DatabaseLogin login;

    H2Dump(DatabaseLogin login) {
        this.login = login;
    }

    @Override
    public String kind() {
        return "h2";
    }

    @Override
    public long objects() {
        try (Connection connection = login.connect()) {
            return objects(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Cannot read the H2 database's catalogue: " + Redaction.sqlError(e.getMessage()), e);
        }
    }

    private static long objects(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT (SELECT COUNT(*) FROM information_schema.tables"
                        + " WHERE UPPER(table_schema) NOT IN ('INFORMATION_SCHEMA', 'PG_CATALOG'))"
                        + " + (SELECT COUNT(*) FROM information_schema.sequences"
                        + " WHERE UPPER(sequence_schema) NOT IN ('INFORMATION_SCHEMA', 'PG_CATALOG'))")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void dump(OutputStream out) {
        try (Connection connection = login.connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SCRIPT NOSETTINGS")) {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            while (rs.next()) {
                writer.write(rs.getString(1));
                writer.write(";\n");
            }
            writer.flush();
        } catch (SQLException e) {
            throw new IllegalStateException("H2 SCRIPT failed: " + Redaction.sqlError(e.getMessage()), e);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void restore(InputStream dump, Runnable check) {
        try (Connection connection = login.connect()) {
            // Checked again here, on the connection that would undo a failure by dropping everything: what
            // it drops must be only what this restore made.
            if (objects(connection) > 0) {
                throw new BackupRefusedException(
                        "the database is not empty: a backup is restored only into an" + " empty database");
            }
            try {
                Reader reader = new InputStreamReader(dump, StandardCharsets.UTF_8);
                connection.setAutoCommit(false);
                RunScript.execute(connection, reader);
                check.run();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DROP ALL OBJECTS");
                }
                if (e instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException("H2 RUNSCRIPT failed: " + Redaction.sqlError(e.getMessage()), e);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Cannot restore into the H2 database: " + Redaction.sqlError(e.getMessage()), e);
        }
    }
}
