package org.carnet.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL's own dump: {@code pg_dump} in plain format, read from its standard output, and {@code psql
 * --single-transaction} fed on its standard input for the restore. The dump keeps the grants (the
 * application role's rights, column by column, on the append-only audit tables) and drops the owner
 * names: the restored objects belong to the role that restores them, the tables' owner. psql commits
 * only once its input ends, and its input ends only after the backup's signature and integrity are
 * checked; a failed check kills psql and the server rolls everything back.
 */
final class PostgresDump implements DatabaseDump {

    private final DatabaseLogin login;
    private final @Nullable Path toolDirectory;

    PostgresDump(DatabaseLogin login, @Nullable Path toolDirectory) {
        this.login = login;
        this.toolDirectory = toolDirectory;
    }

    @Override
    public String kind() {
        return "postgresql";
    }

    @Override
    public long objects() {
        String ours = " n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
                + " AND n.nspname NOT LIKE 'pg\\_temp%'";
        try (Connection connection = login.connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT"
                        + " (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE"
                        + ours + ")"
                        + " + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE"
                        + ours + ")")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the PostgreSQL catalogue: " + e.getMessage(), e);
        }
    }

    @Override
    public void dump(OutputStream out) {
        Process process = start(
                List.of("pg_dump", "--format=plain", "--no-owner", "--no-password", "--encoding=UTF8"),
                ProcessBuilder.Redirect.PIPE);
        ErrorOutput errors = ErrorOutput.of(process);
        try (InputStream dump = process.getInputStream()) {
            dump.transferTo(out);
            int status = process.waitFor();
            if (status != 0) {
                throw new IllegalStateException("pg_dump failed (exit " + status + "): " + errors.firstLine());
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while pg_dump ran", e);
        }
    }

    @Override
    public void restore(InputStream dump, Runnable check) {
        Process process = start(
                List.of(
                        "psql",
                        "--no-psqlrc",
                        "--quiet",
                        "--no-password",
                        "--set=ON_ERROR_STOP=1",
                        "--single-transaction",
                        "--file=-"),
                ProcessBuilder.Redirect.DISCARD);
        ErrorOutput errors = ErrorOutput.of(process);
        boolean committed = false;
        try {
            OutputStream input = process.getOutputStream();
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = dump.read(buffer)) >= 0; ) {
                try {
                    input.write(buffer, 0, n);
                } catch (IOException e) {
                    // psql stopped reading: it met an error and rolled back; its status and message say which.
                    throw new IllegalStateException(
                            "psql stopped the restore (exit " + process.waitFor() + "): " + errors.firstLine());
                }
            }
            check.run();
            input.close();
            committed = true;
            int status = process.waitFor();
            if (status != 0) {
                throw new IllegalStateException("psql failed (exit " + status + "): " + errors.firstLine());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while psql ran", e);
        } catch (IOException e) {
            // Reading the backup failed (damaged): psql is killed below, before it could commit.
            throw new UncheckedIOException(e);
        } finally {
            if (!committed) {
                // Killed before its input ended, psql never sends COMMIT: the server rolls the transaction back.
                process.destroyForcibly();
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private Process start(List<String> command, ProcessBuilder.Redirect output) {
        Endpoint parts = parse(login.url());
        List<String> line = new ArrayList<>(command);
        line.set(0, tool(command.get(0)));
        line.addAll(List.of(
                "--host=" + parts.host(),
                "--port=" + parts.port(),
                "--username=" + login.user(),
                "--dbname=" + parts.database()));
        ProcessBuilder builder = new ProcessBuilder(line).redirectOutput(output);
        Map<String, String> environment = builder.environment();
        // The password goes through the environment, never the command line that ps shows.
        environment.remove("PGPASSWORD");
        if (!login.password().isEmpty()) {
            environment.put("PGPASSWORD", login.password());
        }
        if (parts.sslMode() != null) {
            environment.put("PGSSLMODE", parts.sslMode());
        }
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + line.get(0)
                    + " (install the PostgreSQL client, or set carnet.backup.postgres-bin to its directory)");
        }
    }

    private String tool(String name) {
        if (toolDirectory == null) {
            return name;
        }
        Path tool = toolDirectory.resolve(name);
        return Files.isExecutable(tool) ? tool.toString() : name;
    }

    /** Whether {@code pg_dump} and {@code psql} can be run from this directory, or the path when null. */
    static boolean toolsAvailable(@Nullable Path toolDirectory) {
        for (String name : List.of("pg_dump", "psql")) {
            try {
                Process process = new ProcessBuilder(
                                toolDirectory == null
                                        ? name
                                        : toolDirectory.resolve(name).toString(),
                                "--version")
                        .redirectErrorStream(true)
                        .start();
                process.getInputStream().transferTo(OutputStream.nullOutputStream());
                if (process.waitFor() != 0) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    record Endpoint(
            String host,
            int port,
            String database,
            @Nullable String sslMode) {}

    /** Host, port, database and sslmode of a single-host {@code jdbc:postgresql://} URL. */
    static Endpoint parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.substring("jdbc:".length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Backups need a jdbc:postgresql://host:port/database URL");
        }
        String host = uri.getHost();
        String path = uri.getPath();
        if (host == null || path == null || path.length() < 2) {
            throw new IllegalArgumentException("Backups need a jdbc:postgresql://host:port/database URL (one host)");
        }
        String sslMode = null;
        if (uri.getQuery() != null) {
            for (String parameter : uri.getQuery().split("&")) {
                if (parameter.startsWith("sslmode=")) {
                    sslMode = parameter.substring("sslmode=".length());
                }
            }
        }
        return new Endpoint(host, uri.getPort() < 0 ? 5432 : uri.getPort(), path.substring(1), sslMode);
    }

    /** The tool's standard error, read as it comes so that it never blocks, kept short. */
    private static final class ErrorOutput {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread reader;

        private ErrorOutput(Process process) {
            reader = new Thread(
                    () -> {
                        byte[] buffer = new byte[8192];
                        try (InputStream in = process.getErrorStream()) {
                            for (int n; (n = in.read(buffer)) >= 0; ) {
                                synchronized (bytes) {
                                    if (bytes.size() < 64 * 1024) {
                                        bytes.write(buffer, 0, n);
                                    }
                                }
                            }
                        } catch (IOException e) {
                            // The process is gone.
                        }
                    },
                    "backup-tool-stderr");
            reader.setDaemon(true);
            reader.start();
        }

        static ErrorOutput of(Process process) {
            return new ErrorOutput(process);
        }

        /**
         * The first error line, cut short: psql's ERROR line names the failing statement's problem; the
         * DETAIL and CONTEXT lines that may quote row values are left out.
         */
        String firstLine() {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String text;
            synchronized (bytes) {
                text = bytes.toString(StandardCharsets.UTF_8);
            }
            String line = text.lines()
                    .filter(l -> l.contains("ERROR") || l.contains("FATAL") || l.contains("error"))
                    .findFirst()
                    .orElse(text.lines().findFirst().orElse("no message"));
            return Redaction.sqlError(line);
        }
    }
}
