package org.carnet.support;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;

/**
 * Canary strings planted in content that must never reach the server in clear, and where to look for
 * them: every text and byte value of every table, as a dump would hold it, in clear and in base64.
 */
public final class Canaries {

    private Canaries() {}

    /** A fresh canary, unique to one test. */
    public static String aCanary() {
        return "CANARY-" + java.util.UUID.randomUUID();
    }

    /** The canary in clear and in base64 (standard and URL alphabets) at each of the three alignments. */
    public static List<String> spellings(String canary) {
        List<String> forms = new ArrayList<>(List.of(canary));
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = ("x".repeat(shift) + canary).getBytes(StandardCharsets.UTF_8);
            for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
                String encoded = encoder.withoutPadding().encodeToString(shifted);
                forms.add(encoded.substring(4, encoded.length() - 4));
            }
        }
        return forms;
    }

    /** Every text and byte value of every table of the public schema, one a line. */
    public static String databaseDump(DataSource dataSource) throws SQLException {
        StringBuilder dump = new StringBuilder();
        try (Connection connection = dataSource.getConnection()) {
            for (String table : tables(connection)) {
                try (Statement statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            Object value = rs.getObject(i);
                            if (value instanceof byte[] bytes) {
                                dump.append(new String(bytes, StandardCharsets.UTF_8))
                                        .append('\n');
                            } else if (value != null) {
                                dump.append(value).append('\n');
                            }
                        }
                    }
                }
            }
        }
        return dump.toString();
    }

    /** The tables of the public schema (H2 and PostgreSQL alike). */
    public static List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                if (schema != null && schema.equalsIgnoreCase("public")) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
        }
        return tables;
    }

    /** Whether the text holds the canary in any of its spellings (a boolean: a failure must not print the text). */
    public static boolean found(String text, String canary) {
        return spellings(canary).stream().anyMatch(text::contains);
    }
}
