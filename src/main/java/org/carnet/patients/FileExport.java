package org.carnet.patients;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every patient file of an establishment, opened for its export: read by pages of ids, each page in a
 * transaction of its own in which every file is decided and recorded by the access decision (purpose
 * {@code export}), so that memory stays flat whatever the establishment's size and the access log holds
 * one entry for each file that left.
 */
@Service
public class FileExport {

    /** The fields an export hands over (the NIR stays: the receiving software asks the patient again). */
    public static final List<Field> FIELDS =
            List.of(Field.FIRST_NAME, Field.LAST_NAME, Field.BIRTH_DATE, Field.SEX, Field.PHONE, Field.EMAIL);

    static final int PAGE = 500;

    /** One opened file. Redacted {@code toString}. */
    public record ExportedFile(
            UUID id,
            @Nullable UUID accountId,
            String firstName,
            String lastName,
            LocalDate birthDate,
            String sex,
            String phone,
            String email,
            Instant createdAt) {
        @Override
        public String toString() {
            return "ExportedFile[id=" + id + ", personal fields redacted]";
        }
    }

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final AccessDecision access;
    private final FileAccounts fileAccounts;
    private final TransactionTemplate pageTransaction;

    FileExport(
            JdbcClient jdbc,
            FieldSealer sealer,
            AccessDecision access,
            FileAccounts fileAccounts,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.fileAccounts = fileAccounts;
        this.sealer = sealer;
        this.access = access;
        this.pageTransaction = new TransactionTemplate(transactions);
        this.pageTransaction.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
    }

    /** Hands every file of the establishment to {@code sink}, in id order; the number of files. */
    public long each(UUID establishmentId, Actor actor, Consumer<ExportedFile> sink) {
        long count = 0;
        UUID after = new UUID(Long.MIN_VALUE, Long.MIN_VALUE);
        boolean first = true;
        while (true) {
            List<ExportedFile> page = page(establishmentId, actor, first ? null : after);
            // The page is written after its transaction commits: no transaction waits on the recipient.
            page.forEach(sink);
            count += page.size();
            if (page.size() < PAGE) {
                return count;
            }
            after = page.get(page.size() - 1).id();
            first = false;
        }
    }

    private List<ExportedFile> page(UUID establishmentId, Actor actor, @Nullable UUID after) {
        return Objects.requireNonNull(
                pageTransaction.execute(status -> {
                    KeyOwner owner = KeyOwner.establishment(establishmentId);
                    List<ExportedFile> files = new ArrayList<>(PAGE);
                    JdbcClient.StatementSpec select = jdbc.sql("SELECT * FROM patient_files WHERE establishment_id ="
                                    + " :establishment" + (after == null ? "" : " AND id > :after")
                                    + " ORDER BY id LIMIT "
                                    + PAGE)
                            .param("establishment", establishmentId);
                    if (after != null) {
                        select = select.param("after", after);
                    }
                    select.query(rs -> {
                        UUID id = rs.getObject("id", UUID.class);
                        UUID account = fileAccounts.accountOf(establishmentId, id, rs.getBytes("patient_account"));
                        access.require(new AccessRequest(
                                actor,
                                PatientRef.of(account, id),
                                EstablishmentId.of(establishmentId),
                                Action.READ,
                                Resource.PATIENT_FILE,
                                FIELDS,
                                Purpose.EXPORT));
                        java.util.function.Function<String, String> open = column -> {
                            try {
                                return Objects.requireNonNullElse(
                                        sealer.open(owner, PatientFiles.SEALED.column(column, id), rs.getBytes(column)),
                                        "");
                            } catch (java.sql.SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        };
                        files.add(new ExportedFile(
                                id,
                                account,
                                open.apply("first_name"),
                                open.apply("last_name"),
                                LocalDate.parse(open.apply("birth_date")),
                                open.apply("sex"),
                                open.apply("phone"),
                                open.apply("email"),
                                rs.getObject("created_at", java.time.OffsetDateTime.class)
                                        .toInstant()));
                    });
                    return files;
                }),
                "page");
    }
}
