package org.carnet.exports;

import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.audit.AuditTrail;
import org.carnet.crypto.BlindIndex;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.KeyShredding;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.exports.internal.ExportArchive;
import org.carnet.exports.internal.ExportStore;
import org.carnet.exports.internal.Marks;
import org.carnet.exports.internal.OpenPgp;
import org.carnet.patients.FileExport;
import org.carnet.scheduling.AppointmentExport;
import org.carnet.scheduling.EstablishmentDeparture;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.ForbiddenException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.carnet.teleconsultation.ConsultationExport;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Exports of an establishment's data: requested by its administrator, approved by a security officer
 * who is not the requester, downloaded once by the recipient through a link that expires. Each step is
 * decided and recorded by the access decision (resource {@code export}, purpose {@code export}); the
 * download records one entry for every patient file and appointment that leaves.
 */
@Service
public class Exports {

    /** The fields an export hands over, as the access log names them. */
    public static final List<Field> FIELDS = List.of(
            Field.FIRST_NAME,
            Field.LAST_NAME,
            Field.BIRTH_DATE,
            Field.SEX,
            Field.PHONE,
            Field.EMAIL,
            Field.SLOT,
            Field.STATUS);

    /** The platform's export job, as the access log names it when it reads the files. */
    static final Actor JOB = Actor.system("export");

    static final int LIST_LIMIT = 200;
    static final int MAX_DAYS = 366 * 30;
    private static final String LINK_PURPOSE = "export-link";

    /** An approval: the export, and its download link's token, shown this once. Redacted {@code toString}. */
    public record Approval(ExportView export, String token) {
        @Override
        public String toString() {
            return "Approval[" + export.id() + ", token redacted]";
        }
    }

    /** Crypto-shredding refused (409): why, so that a page can say it in the reader's language. */
    public static final class ShredRefused extends ConflictException {
        /** Why. */
        public enum Reason {
            /** No export of its patient files was downloaded {@code carnet.exports.shred-after} ago or more. */
            NOT_RECEIVED_LONG_ENOUGH,
            /** Its keys are destroyed already. */
            ALREADY_DESTROYED
        }

        private final Reason reason;

        ShredRefused(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    private final ExportStore store;
    private final AccessDecision access;
    private final Directory directory;
    private final FileExport files;
    private final AppointmentExport appointments;
    private final ConsultationExport consultations;
    private final AuditTrail trail;
    private final ZoneId zone;
    private final OpenPgp openPgp;
    private final BlindIndex blindIndex;
    private final KeyShredding shredding;
    private final EstablishmentDeparture departure;
    private final ExportsProperties properties;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final SecureRandom random = new SecureRandom();

    Exports(
            ExportStore store,
            AccessDecision access,
            Directory directory,
            FileExport files,
            AppointmentExport appointments,
            ConsultationExport consultations,
            AuditTrail trail,
            @Value("${carnet.booking.zone}") ZoneId zone,
            OpenPgp openPgp,
            BlindIndex blindIndex,
            KeyShredding shredding,
            EstablishmentDeparture departure,
            ExportsProperties properties,
            Clock clock,
            PlatformTransactionManager transactions,
            ApplicationEventPublisher events) {
        this.events = events;
        this.shredding = shredding;
        this.departure = departure;
        this.store = store;
        this.access = access;
        this.directory = directory;
        this.files = files;
        this.appointments = appointments;
        this.consultations = consultations;
        this.trail = trail;
        this.zone = zone;
        this.openPgp = openPgp;
        this.blindIndex = blindIndex;
        this.properties = properties;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** The administrator asks for an export of their establishment. */
    @Transactional
    public ExportView request(Actor.Person admin, NewExport request) {
        require(admin, Role.ESTABLISHMENT_ADMIN);
        UUID establishment = admin.professionalEstablishmentId();
        Instant now = clock.instant();
        RecipientKey key = RecipientKey.parse(request.recipientKey(), now);
        RecipientNetworks networks = RecipientNetworks.parse(request.recipientNetworks());
        if (request.recipient().isBlank()) {
            throw new InvalidRequestException("recipient", "must name who receives the export");
        }
        if (request.scope().isEmpty()) {
            throw new InvalidRequestException("scope", "must name at least one part");
        }
        if (request.from().isAfter(request.to())) {
            throw new InvalidRequestException("to", "must not be before from");
        }
        if (request.from().plusDays(MAX_DAYS).isBefore(request.to())) {
            throw new InvalidRequestException("to", "the range is at most 30 years");
        }
        UUID id = UUID.randomUUID();
        record(admin, establishment, Action.CREATE);
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        List<String> scope =
                EnumSet.copyOf(request.scope()).stream().map(Enum::name).toList();
        store.insert(new ExportStore.Row(
                establishment,
                id,
                scope,
                request.from(),
                request.to(),
                request.recipient().strip(),
                key.armoured(),
                key.fingerprint(),
                networks.cidrs(),
                secret,
                admin.userId(),
                now,
                null,
                null,
                null,
                null,
                null));
        return view(store.find(id).orElseThrow());
    }

    /** The administrator's establishment's exports, or every export for a security officer; newest first. */
    @Transactional
    public List<ExportView> list(Actor.Person actor) {
        UUID establishment = actor.role() == Role.SECURITY_OFFICER ? null : adminEstablishment(actor);
        record(actor, establishment, Action.READ);
        return store.list(establishment, LIST_LIMIT).stream().map(this::view).toList();
    }

    /** One export, to its establishment's administrator or a security officer. */
    @Transactional
    public ExportView get(Actor.Person actor, UUID id) {
        ExportStore.Row row = store.find(id).orElseThrow(() -> new NotFoundException("export"));
        if (actor.role() != Role.SECURITY_OFFICER && !row.establishmentId().equals(adminEstablishment(actor))) {
            throw new NotFoundException("export");
        }
        record(actor, row.establishmentId(), Action.READ);
        return view(row);
    }

    /**
     * A security officer approves a requested export: its one-time download link is made, valid for
     * {@code carnet.exports.link-validity}.
     *
     * @throws ConflictException when it is already approved, or the officer requested it themselves
     */
    @Transactional
    public Approval approve(Actor.Person officer, UUID id) {
        require(officer, Role.SECURITY_OFFICER);
        ExportStore.Row row = store.findForUpdate(id).orElseThrow(() -> new NotFoundException("export"));
        if (row.requestedBy().equals(officer.userId())) {
            throw new ConflictException("Two-person rule: an export is approved by someone other than its requester.");
        }
        if (row.approvedBy() != null) {
            throw new ConflictException("This export is already approved.");
        }
        record(officer, row.establishmentId(), Action.UPDATE);
        Instant now = clock.instant();
        byte[] token = new byte[32];
        random.nextBytes(token);
        String link = Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        if (!store.approve(id, officer.userId(), now, linkHash(link), now.plus(properties.linkValidity()))) {
            throw new ConflictException("This export is already approved.");
        }
        return new Approval(view(store.find(id).orElseThrow()), link);
    }

    /**
     * After the contract: a security officer destroys the establishment's data keys (crypto-shredding),
     * so that its patient files and appointments become unreadable for everyone, Carnet included; it is
     * closed in the directory and its agendas stop (future appointments cancelled, their patients told). Only once an export of its patient files was downloaded by its
     * recipient at least {@code carnet.exports.shred-after} ago. The exports' own keys survive, so a
     * leaked copy can still be traced; the access log keeps the act and stays verifiable.
     *
     * @throws ConflictException when no such export was received, or the keys are already destroyed
     */
    @Transactional
    public void shredEstablishment(Actor.Person officer, UUID establishmentId) {
        require(officer, Role.SECURITY_OFFICER);
        if (directory.establishment(establishmentId).isEmpty()) {
            throw new NotFoundException("establishment");
        }
        Instant now = clock.instant();
        Instant receivedBy = now.minus(properties.shredAfter());
        boolean exported = store.list(establishmentId, LIST_LIMIT).stream().anyMatch(row -> {
            Instant downloaded = row.downloadedAt();
            return row.scope().contains(ExportScope.PATIENTS.name())
                    && downloaded != null
                    && !downloaded.isAfter(receivedBy);
        });
        if (!exported) {
            throw new ShredRefused(
                    ShredRefused.Reason.NOT_RECEIVED_LONG_ENOUGH,
                    "An establishment's keys are destroyed only after an export of its patient"
                            + " files was downloaded by its recipient, and carnet.exports.shred-after has passed.");
        }
        if (shredding.isShredded(KeyOwner.establishment(establishmentId))) {
            throw new ShredRefused(
                    ShredRefused.Reason.ALREADY_DESTROYED, "This establishment's keys are already destroyed.");
        }
        record(officer, establishmentId, Action.DELETE);
        directory.close(establishmentId, now);
        departure.stop(establishmentId);
        shredding.shred(KeyOwner.establishment(establishmentId));
    }

    /**
     * The recipient's download: uses the link (once, before it expires), then streams the archive,
     * signed and encrypted to the recipient's key, to {@code out}; plaintext exists only in memory, one
     * page of rows at a time.
     *
     * @param from the address the download comes from, as the server sees it
     * @throws NotFoundException for a link that is unknown, used or expired (the caller learns which of none);
     *     a real link used or expired is published ({@link ExportLinkReplayed}) for breach detection
     * @throws ForbiddenException for a usable link presented from outside the networks its export declared: the
     *     link is not used (the recipient may still download from where they said), and the attempt is
     *     published ({@link ExportDownloadRefused}) for breach detection
     */
    public void download(String link, @Nullable String from, OutputStream out) {
        Instant now = clock.instant();
        byte[] linkHash = linkHash(link);
        refuseUnexpectedPlace(linkHash, from, now);
        Optional<ExportStore.Row> used = transaction.execute(status -> {
            Optional<UUID> id = store.useLink(linkHash, now);
            if (id.isEmpty()) {
                return Optional.empty();
            }
            ExportStore.Row found = store.find(id.get()).orElseThrow();
            access.require(new AccessRequest(
                    JOB,
                    null,
                    EstablishmentId.of(found.establishmentId()),
                    Action.EXECUTE,
                    Resource.EXPORT,
                    FIELDS,
                    Purpose.EXPORT));
            if (found.scope().contains(ExportScope.AUDIT_LOG.name())) {
                // The establishment's access log leaves with it: one reading of the log, for the dates.
                access.require(new AccessRequest(
                        JOB,
                        null,
                        EstablishmentId.of(found.establishmentId()),
                        Action.READ,
                        Resource.ACCESS_LOG,
                        Field.LOG_ENTRY,
                        Purpose.EXPORT));
            }
            return Optional.of(found);
        });
        if (used == null || used.isEmpty()) {
            // A real link presented again after its download, or after it expired: someone else may hold it.
            store.byLink(linkHash)
                    .ifPresent(replayed -> events.publishEvent(new ExportLinkReplayed(
                            replayed.id(), replayed.establishmentId(), replayed.downloadedAt() != null, now)));
            throw new NotFoundException("export");
        }
        ExportStore.Row row = used.get();
        Establishment establishment =
                directory.establishment(row.establishmentId()).orElseThrow(() -> new NotFoundException("export"));
        Set<ExportArchive.Part> parts = EnumSet.noneOf(ExportArchive.Part.class);
        row.scope().forEach(part -> parts.add(ExportArchive.Part.valueOf(part)));
        RecipientKey key = RecipientKey.parse(row.recipientKey(), row.requestedAt());
        long rows;
        try (OutputStream encrypted =
                openPgp.encryptAndSign(out, key.encryptionKey(), "carnet-export-" + row.id() + ".zip", now)) {
            rows = new ExportArchive(files, appointments, consultations, trail, JOB)
                    .write(
                            new ExportArchive.Request(
                                    row.id(),
                                    establishment,
                                    directory.practitionersOf(establishment.id()),
                                    parts,
                                    row.from(),
                                    row.to(),
                                    row.from().atStartOfDay(zone).toInstant(),
                                    row.to().plusDays(1).atStartOfDay(zone).toInstant(),
                                    now,
                                    properties.canaries()),
                            new Marks(row.secret()),
                            encrypted);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        long written = rows;
        transaction.executeWithoutResult(status -> store.recordRows(row.id(), written));
    }

    /**
     * The one check of where a download comes from, before the link is used. The networks never change once
     * requested, so checking them before the conditional update that uses the link is not a race.
     */
    private void refuseUnexpectedPlace(byte[] linkHash, @Nullable String from, Instant now) {
        ExportStore.Row row = store.byLink(linkHash).orElse(null);
        if (row == null || row.downloadedAt() != null) {
            return;
        }
        Instant expires = row.linkExpiresAt();
        boolean usable = expires != null && expires.isAfter(now);
        if (usable && !new RecipientNetworks(row.recipientNetworks()).allow(from)) {
            events.publishEvent(new ExportDownloadRefused(row.id(), row.establishmentId(), from, now));
            throw new ForbiddenException(
                    "download-outside-recipient-networks",
                    "This export is downloaded only from the networks its request names; the attempt was recorded"
                            + " and the security officers told.");
        }
    }

    /** An establishment as the security officer sees it before destroying its keys. */
    public record ShredCandidate(UUID establishmentId, String name, String city, boolean destroyed) {}

    /** The establishment whose keys the officer may destroy, named, and whether they are destroyed already. */
    public ShredCandidate shredCandidate(Actor.Person officer, UUID establishmentId) {
        require(officer, Role.SECURITY_OFFICER);
        Establishment establishment =
                directory.establishment(establishmentId).orElseThrow(() -> new NotFoundException("establishment"));
        return new ShredCandidate(
                establishment.id(),
                establishment.name(),
                establishment.city(),
                shredding.isShredded(KeyOwner.establishment(establishmentId)));
    }

    /** How long after its export was received an establishment's keys may be destroyed. */
    public java.time.Duration shredAfter() {
        return properties.shredAfter();
    }

    /** Carnet's OpenPGP signing key, armoured: what a recipient imports to check an export's signature. */
    public String signingKey() {
        return openPgp.signingKey();
    }

    private byte[] linkHash(String link) {
        return blindIndex.of(LINK_PURPOSE, link);
    }

    private void record(
            Actor.Person actor, java.util.@org.jspecify.annotations.Nullable UUID establishment, Action action) {
        access.require(new AccessRequest(
                actor,
                null,
                establishment == null ? null : EstablishmentId.of(establishment),
                action,
                Resource.EXPORT,
                FIELDS,
                Purpose.EXPORT));
    }

    private static UUID adminEstablishment(Actor.Person actor) {
        require(actor, Role.ESTABLISHMENT_ADMIN);
        return actor.professionalEstablishmentId();
    }

    private static void require(Actor.Person actor, Role role) {
        if (actor.role() != role) {
            throw new AccessDeniedException("Requires " + role);
        }
    }

    ExportView view(ExportStore.Row row) {
        String status;
        if (row.downloadedAt() != null) {
            status = "DOWNLOADED";
        } else if (row.approvedAt() == null) {
            status = "REQUESTED";
        } else if (row.linkExpiresAt() != null && !row.linkExpiresAt().isAfter(clock.instant())) {
            status = "EXPIRED";
        } else {
            status = "APPROVED";
        }
        List<ExportScope> scope = new ArrayList<>();
        row.scope().forEach(part -> scope.add(ExportScope.valueOf(part)));
        return new ExportView(
                row.id(),
                row.establishmentId(),
                scope,
                row.from(),
                row.to(),
                row.recipient(),
                row.recipientFingerprint(),
                row.recipientNetworks(),
                row.requestedBy(),
                row.requestedAt(),
                row.approvedBy(),
                row.approvedAt(),
                row.linkExpiresAt(),
                row.downloadedAt(),
                row.rowsExported(),
                status);
    }
}
