package org.carnet.exports.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.carnet.audit.AuditEntry;
import org.carnet.audit.AuditTrail;
import org.carnet.directory.Establishment;
import org.carnet.directory.Practitioner;
import org.carnet.patients.FileExport;
import org.carnet.scheduling.AppointmentExport;
import org.carnet.shared.Actor;
import org.carnet.teleconsultation.ConsultationExport;

/**
 * Writes one export's archive (zip) to a stream: FHIR Bulk Data style NDJSON, one file per resource
 * type, and the same as CSV, every personal value spelt as the export's {@link Marks} choose, with its
 * canary patients among the others. Rows are read page by page and written as they come: nothing is
 * held but the page being written, and nothing goes to disk.
 */
public final class ExportArchive {

    /** What to put in. */
    public enum Part {
        DIRECTORY,
        PATIENTS,
        APPOINTMENTS,
        TELECONSULTATIONS,
        AUDIT_LOG
    }

    /** The export being written. */
    public record Request(
            UUID exportId,
            Establishment establishment,
            List<Practitioner> practitioners,
            Set<Part> parts,
            LocalDate from,
            LocalDate to,
            Instant rangeStart,
            Instant rangeEnd,
            Instant now,
            int canaries) {}

    /** Audit entries in a page of the access log. */
    static final int AUDIT_PAGE = 1000;

    private final FileExport files;
    private final AppointmentExport appointments;
    private final ConsultationExport consultations;
    private final AuditTrail trail;
    private final Actor actor;

    public ExportArchive(
            FileExport files,
            AppointmentExport appointments,
            ConsultationExport consultations,
            AuditTrail trail,
            Actor actor) {
        this.files = files;
        this.appointments = appointments;
        this.consultations = consultations;
        this.trail = trail;
        this.actor = actor;
    }

    /**
     * Writes the archive; the number of patient files, appointments, questionnaire answers, messages,
     * documents and access log entries written (canaries excluded).
     */
    public long write(Request request, Marks marks, OutputStream out) {
        try {
            ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
            Writer text = new java.io.OutputStreamWriter(zip, StandardCharsets.UTF_8);
            long rows = 0;
            List<String> outputs = new ArrayList<>();
            UUID establishmentId = request.establishment().id();
            if (request.parts().contains(Part.DIRECTORY)) {
                entry(zip, text, "Organization.ndjson", outputs);
                text.write(organization(request.establishment()));
                entry(zip, text, "Practitioner.ndjson", outputs);
                for (Practitioner p : request.practitioners()) {
                    text.write(practitioner(p, marks));
                }
                entry(zip, text, "practitioners.csv", outputs);
                text.write(CsvCells.line(List.of("id", "rpps", "last_name", "first_name", "specialty")));
                for (Practitioner p : request.practitioners()) {
                    text.write(CsvCells.line(List.of(
                            p.id().toString(),
                            p.rpps().value(),
                            marks.name(p.lastName()),
                            marks.name(p.firstName()),
                            p.specialty().label(Locale.FRENCH))));
                }
            }
            if (request.parts().contains(Part.PATIENTS)) {
                List<Canaries.Canary> canaries = Canaries.of(marks, request.canaries());
                entry(zip, text, "Patient.ndjson", outputs);
                rows += patients(establishmentId, marks, canaries, file -> text.write(patient(file, marks)));
                entry(zip, text, "patients.csv", outputs);
                text.write(
                        CsvCells.line(List.of("id", "last_name", "first_name", "birth_date", "sex", "phone", "email")));
                patients(
                        establishmentId,
                        marks,
                        canaries,
                        file -> text.write(CsvCells.line(List.of(
                                file.id().toString(),
                                marks.name(file.lastName()),
                                marks.name(file.firstName()),
                                marks.date(file.birthDate()),
                                file.sex(),
                                marks.phone(file.phone()),
                                file.email()))));
            }
            if (request.parts().contains(Part.APPOINTMENTS)) {
                entry(zip, text, "Appointment.ndjson", outputs);
                rows += appointments.each(
                        establishmentId, request.from(), request.to(), actor, a -> write(text, appointment(a)));
                entry(zip, text, "appointments.csv", outputs);
                text.write(CsvCells.line(List.of("id", "start", "end", "status", "practitioner_id", "patient_id")));
                appointments.each(
                        establishmentId,
                        request.from(),
                        request.to(),
                        actor,
                        a -> write(
                                text,
                                CsvCells.line(List.of(
                                        a.id().toString(),
                                        a.start().toString(),
                                        a.end().toString(),
                                        a.status().toLowerCase(Locale.ROOT),
                                        a.practitionerId().toString(),
                                        a.patientFileId().toString()))));
            }
            if (request.parts().contains(Part.TELECONSULTATIONS)) {
                rows += teleconsultations(request, zip, text, outputs);
            }
            if (request.parts().contains(Part.AUDIT_LOG)) {
                entry(zip, text, "AuditEvent.ndjson", outputs);
                AuditEntry after = null;
                while (true) {
                    List<AuditEntry> page = trail.ofEstablishmentBetween(
                            establishmentId,
                            request.rangeStart(),
                            request.rangeEnd().isAfter(request.now()) ? request.now() : request.rangeEnd(),
                            after,
                            AUDIT_PAGE);
                    for (AuditEntry e : page) {
                        text.write(ConsultationLines.auditEvent(e));
                    }
                    rows += page.size();
                    if (page.size() < AUDIT_PAGE) {
                        break;
                    }
                    after = page.get(page.size() - 1);
                }
            }
            entry(zip, text, "manifest.json", outputs);
            outputs.remove(outputs.size() - 1);
            text.write(manifest(request, outputs));
            text.flush();
            zip.closeEntry();
            zip.finish();
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The teleconsultations in range, as stored: the establishment's wraps of their keys, then answers,
     * messages and documents (each document's chunks inside its line, as they are read one by one).
     */
    private long teleconsultations(Request request, ZipOutputStream zip, Writer text, List<String> outputs)
            throws IOException {
        ConsultationExport.Range range =
                new ConsultationExport.Range(request.establishment().id(), request.rangeStart(), request.rangeEnd());
        entry(zip, text, ConsultationLines.KEYS, outputs);
        consultations.keys(
                range,
                actor,
                k -> write(
                        text, ConsultationLines.key(k, request.establishment().id())));
        entry(zip, text, "QuestionnaireResponse.ndjson", outputs);
        long rows = consultations.answers(range, actor, a -> write(text, ConsultationLines.answers(a)));
        entry(zip, text, "Communication.ndjson", outputs);
        rows += consultations.messages(range, actor, m -> write(text, ConsultationLines.message(m)));
        entry(zip, text, "DocumentReference.ndjson", outputs);
        boolean[] open = {false};
        rows += consultations.documents(
                range,
                actor,
                d -> {
                    write(text, (open[0] ? ConsultationLines.DOCUMENT_END : "") + ConsultationLines.documentStart(d));
                    open[0] = true;
                },
                c -> write(text, ConsultationLines.chunk(c)));
        if (open[0]) {
            write(text, ConsultationLines.DOCUMENT_END);
        }
        return rows;
    }

    private interface FileSink {
        void accept(FileExport.ExportedFile file) throws IOException;
    }

    /**
     * Every file, page by page, each page in a keyed order (a mark of its own), with the canaries among
     * the first page's rows.
     */
    private long patients(UUID establishmentId, Marks marks, List<Canaries.Canary> canaries, FileSink sink) {
        List<FileExport.ExportedFile> page = new ArrayList<>();
        boolean[] first = {true};
        Runnable flush = () -> {
            List<FileExport.ExportedFile> rows = new ArrayList<>(page);
            if (first[0]) {
                for (Canaries.Canary c : canaries) {
                    rows.add(new FileExport.ExportedFile(
                            c.id(),
                            null,
                            c.firstName(),
                            c.lastName(),
                            c.birthDate(),
                            c.sex(),
                            c.phoneDigits(),
                            c.email(),
                            Instant.EPOCH));
                }
                first[0] = false;
            }
            rows.sort(Comparator.comparing(f -> HexFormat.of().formatHex(marks.bytes("order", f.id().toString()))));
            for (FileExport.ExportedFile f : rows) {
                try {
                    sink.accept(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            page.clear();
        };
        long count = files.each(establishmentId, actor, file -> {
            page.add(file);
            if (page.size() == 500) {
                flush.run();
            }
        });
        flush.run();
        return count;
    }

    private static void write(Writer text, String line) {
        try {
            text.write(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void entry(ZipOutputStream zip, Writer text, String name, List<String> outputs) throws IOException {
        text.flush();
        if (!outputs.isEmpty()) {
            zip.closeEntry();
        }
        zip.putNextEntry(new ZipEntry(name));
        outputs.add(name);
    }

    private static String organization(Establishment e) {
        return "{\"resourceType\":\"Organization\",\"id\":" + Json.quote(e.id().toString())
                + ",\"identifier\":[{\"system\":\"http://finess.sante.gouv.fr\",\"value\":"
                + Json.quote(e.finess().value())
                + "}],\"name\":" + Json.quote(e.name()) + ",\"address\":[{\"line\":[" + Json.quote(e.address())
                + "],\"city\":" + Json.quote(e.city()) + ",\"postalCode\":" + Json.quote(e.postcode())
                + ",\"country\":\"FR\"}]}\n";
    }

    private static String practitioner(Practitioner p, Marks marks) {
        return "{\"resourceType\":\"Practitioner\",\"id\":" + Json.quote(p.id().toString())
                + ",\"identifier\":[{\"system\":\"urn:oid:1.2.250.1.71.4.2.1\",\"value\":"
                + Json.quote(p.rpps().value())
                + "}],\"name\":[{\"family\":" + Json.quote(marks.name(p.lastName())) + ",\"given\":["
                + Json.quote(marks.name(p.firstName())) + "]}],\"qualification\":[{\"code\":{\"text\":"
                + Json.quote(p.specialty().label(Locale.FRENCH)) + "}}]}\n";
    }

    private static String patient(FileExport.ExportedFile f, Marks marks) {
        String id = f.id().toString();
        String phone = "{\"system\":\"phone\",\"value\":" + Json.quote(marks.phone(f.phone()))
                // A harmless optional field, present or not as the export's key chooses.
                + (marks.choice("phone-use", id, 2) == 0 ? ",\"use\":\"mobile\"" : "") + "}";
        String email = f.email().isBlank() ? null : "{\"system\":\"email\",\"value\":" + Json.quote(f.email()) + "}";
        String telecom = email == null
                ? phone
                : marks.choice("telecom-order", id, 2) == 0 ? phone + "," + email : email + "," + phone;
        String gender = switch (f.sex()) {
            case "F" -> "female";
            case "M" -> "male";
            default -> "other";
        };
        return "{\"resourceType\":\"Patient\",\"id\":" + Json.quote(id)
                + ",\"name\":[{\"family\":" + Json.quote(marks.name(f.lastName())) + ",\"given\":["
                + Json.quote(marks.name(f.firstName())) + "]}],\"telecom\":[" + telecom + "],\"gender\":\"" + gender
                + "\",\"birthDate\":\"" + f.birthDate() + "\"}\n";
    }

    private static String appointment(AppointmentExport.ExportedAppointment a) {
        return "{\"resourceType\":\"Appointment\",\"id\":" + Json.quote(a.id().toString()) + ",\"status\":"
                + Json.quote(a.status().equals("CANCELLED") ? "cancelled" : "booked") + ",\"start\":"
                + Json.quote(a.start().toString()) + ",\"end\":"
                + Json.quote(a.end().toString())
                + ",\"created\":" + Json.quote(a.bookedAt().toString())
                + ",\"participant\":[{\"actor\":{\"reference\":" + Json.quote("Patient/" + a.patientFileId())
                + "},\"status\":\"accepted\"},{\"actor\":{\"reference\":"
                + Json.quote("Practitioner/" + a.practitionerId())
                + "},\"status\":\"accepted\"}]}\n";
    }

    private static String manifest(Request request, List<String> outputs) {
        StringBuilder out = new StringBuilder("{\"transactionTime\":"
                + Json.quote(request.now().toString())
                + ",\"request\":" + Json.quote("carnet export " + request.exportId()) + ",\"requiresAccessToken\":false"
                + ",\"from\":" + Json.quote(request.from().toString()) + ",\"to\":"
                + Json.quote(request.to().toString())
                + ",\"output\":[");
        for (int i = 0; i < outputs.size(); i++) {
            String name = outputs.get(i);
            out.append(i == 0 ? "" : ",")
                    .append("{\"type\":")
                    .append(Json.quote(
                            name.equals(ConsultationLines.KEYS)
                                    ? ConsultationLines.KEYS_TYPE
                                    : name.endsWith(".ndjson") ? name.substring(0, name.indexOf('.')) : "csv"))
                    .append(",\"url\":")
                    .append(Json.quote(name))
                    .append('}');
        }
        return out.append("],\"error\":[]}\n").toString();
    }
}
