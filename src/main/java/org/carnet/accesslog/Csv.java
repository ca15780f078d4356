package org.carnet.accesslog;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** RFC 4180 rows of the access log; cells that a spreadsheet would run as a formula are neutralised. */
final class Csv {

    static final String HEADER = "id,occurred_at,actor_type,actor_id,role,on_behalf_of,patient_id,action,resource,"
            + "fields,purpose,outcome,chain_position\r\n";

    private Csv() {}

    static String row(ShownEntry e) {
        return Stream.of(
                                e.id(),
                                e.at(),
                                e.actorType(),
                                e.actorId(),
                                e.role(),
                                e.onBehalfOf(),
                                e.patientId(),
                                e.action(),
                                e.resource(),
                                String.join(" ", e.fields()),
                                e.purpose(),
                                e.outcome(),
                                e.position())
                        .map(Csv::cell)
                        .collect(Collectors.joining(","))
                + "\r\n";
    }

    static String cell(Object value) {
        String text = Objects.toString(value, "");
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            text = "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }

    static List<String> header() {
        return List.of(HEADER.trim().split(","));
    }
}
