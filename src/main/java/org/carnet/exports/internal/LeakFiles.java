package org.carnet.exports.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a suspected leak as records, each the list of its values as text, whatever it was: CSV (any
 * of {@code , ; tab}), NDJSON, JSON (an array of objects, or an object holding one), or the text of a
 * SQL dump ({@code INSERT ... VALUES} tuples, {@code COPY ... FROM stdin} rows). Column names are
 * not needed: marks are read from the values themselves.
 */
public final class LeakFiles {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The format a file was read as. */
    public enum Format {
        CSV,
        NDJSON,
        JSON,
        SQL
    }

    private LeakFiles() {}

    /** Reads the file, handing each record to {@code records}; the format it was read as. */
    public static Format read(Path file, Consumer<List<String>> records) throws IOException {
        return read(Files.readString(file, StandardCharsets.UTF_8), records);
    }

    /** Reads a file's text, handing each record to {@code records}; the format it was read as. */
    public static Format read(String content, Consumer<List<String>> records) {
        String text = content;
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        Format format = detect(text);
        switch (format) {
            case NDJSON -> ndjson(text, records);
            case JSON -> json(text, records);
            case SQL -> sql(text, records);
            default -> csv(text, records);
        }
        return format;
    }

    static Format detect(String text) {
        String start = text.stripLeading();
        if (start.startsWith("[")) {
            return Format.JSON;
        }
        if (start.startsWith("{")) {
            String firstLine = start.lines().findFirst().orElse("").strip();
            try {
                JSON.readTree(firstLine);
                return start.lines().filter(l -> !l.isBlank()).count() > 1 ? Format.NDJSON : Format.JSON;
            } catch (RuntimeException e) {
                return Format.JSON;
            }
        }
        String head = text.substring(0, Math.min(text.length(), 1 << 16)).toUpperCase(Locale.ROOT);
        if (head.contains("INSERT INTO") || (head.contains("COPY ") && head.contains("FROM STDIN"))) {
            return Format.SQL;
        }
        return Format.CSV;
    }

    private static void ndjson(String text, Consumer<List<String>> records) {
        text.lines().filter(line -> !line.isBlank()).forEach(line -> {
            try {
                records.accept(values(JSON.readTree(line)));
            } catch (RuntimeException e) {
                // A line that is not JSON (a truncated last line) tells nothing.
            }
        });
    }

    private static void json(String text, Consumer<List<String>> records) {
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY && parser.currentToken() != null) {
                    records.accept(values(parser.readValueAsTree()));
                }
                return;
            }
            JsonNode root = parser.readValueAsTree();
            if (!rows(root, records)) {
                records.accept(values(root));
            }
        }
    }

    /** The first array of objects found in the tree, each element a record. */
    private static boolean rows(JsonNode node, Consumer<List<String>> records) {
        if (node.isArray() && !node.isEmpty() && node.get(0).isObject()) {
            node.forEach(element -> records.accept(values(element)));
            return true;
        }
        if (node.isContainer()) {
            for (JsonNode child : node) {
                if (rows(child, records)) {
                    return true;
                }
            }
        }
        return false;
    }

    static List<String> values(JsonNode node) {
        List<String> values = new ArrayList<>();
        collect(node, values);
        return values;
    }

    private static void collect(JsonNode node, List<String> values) {
        if (node.isContainer()) {
            node.forEach(child -> collect(child, values));
        } else if (!node.isNull()) {
            values.add(node.asString());
        }
    }

    private static void sql(String text, Consumer<List<String>> records) {
        int n = text.length();
        boolean inValues = false;
        boolean inCopy = false;
        int depth = 0;
        List<String> record = new ArrayList<>();
        int i = 0;
        while (i < n) {
            if (inCopy) {
                int end = text.indexOf('\n', i);
                String line = text.substring(i, end < 0 ? n : end);
                i = end < 0 ? n : end + 1;
                if (line.equals("\\.")) {
                    inCopy = false;
                } else {
                    records.accept(List.of(line.split("\t", -1)));
                }
                continue;
            }
            char c = text.charAt(i);
            if (c == '\'') {
                StringBuilder literal = new StringBuilder();
                i++;
                while (i < n) {
                    char d = text.charAt(i);
                    if (d == '\'' && i + 1 < n && text.charAt(i + 1) == '\'') {
                        literal.append('\'');
                        i += 2;
                    } else if (d == '\\' && i + 1 < n) {
                        literal.append(text.charAt(i + 1));
                        i += 2;
                    } else if (d == '\'') {
                        i++;
                        break;
                    } else {
                        literal.append(d);
                        i++;
                    }
                }
                if (inValues && depth > 0) {
                    record.add(literal.toString());
                }
                continue;
            }
            if (!inValues && (c == 'V' || c == 'v') && text.regionMatches(true, i, "VALUES", 0, 6)) {
                inValues = true;
                i += 6;
                continue;
            }
            if (!inValues && (c == 'C' || c == 'c') && text.regionMatches(true, i, "COPY ", 0, 5)) {
                int end = text.indexOf('\n', i);
                String statement = text.substring(i, end < 0 ? n : end).toUpperCase(Locale.ROOT);
                if (statement.contains("FROM STDIN")) {
                    inCopy = true;
                    i = end < 0 ? n : end + 1;
                    continue;
                }
            }
            if (inValues) {
                if (c == '(') {
                    depth++;
                    if (depth == 1) {
                        record = new ArrayList<>();
                    }
                } else if (c == ')') {
                    depth--;
                    if (depth == 0) {
                        records.accept(record);
                    }
                } else if (c == ';' && depth == 0) {
                    inValues = false;
                }
            }
            i++;
        }
    }

    private static void csv(String text, Consumer<List<String>> records) {
        char delimiter = delimiter(text.lines().findFirst().orElse(""));
        List<String> record = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < n && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.isEmpty()) {
                quoted = true;
            } else if (c == delimiter) {
                record.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(cell.toString());
                cell.setLength(0);
                records.accept(record);
                record = new ArrayList<>();
            } else {
                cell.append(c);
            }
        }
        if (!cell.isEmpty() || !record.isEmpty()) {
            record.add(cell.toString());
            records.accept(record);
        }
    }

    private static char delimiter(String header) {
        char best = ',';
        long most = -1;
        for (char candidate : new char[] {',', ';', '\t', '|'}) {
            long count = header.chars().filter(c -> c == candidate).count();
            if (count > most) {
                most = count;
                best = candidate;
            }
        }
        return best;
    }
}
