package org.carnet.patients.internal;

import java.text.Normalizer;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.carnet.crypto.BlindIndex;
import org.springframework.stereotype.Component;

/**
 * Blind indexes of a patient file's last name and birth date, so that staff can find a file without
 * any plaintext column. They are computed under the establishment's own blind-index key ({@link
 * BlindIndex#ofEstablishment}): the same name in two establishments gives two unrelated indexes, and
 * destroying the establishment's keys leaves indexes no one can match. Names are compared without case,
 * accents, hyphens or apostrophes.
 *
 * <p>Files indexed before that (format 1: the platform's key, the establishment's id in the purpose) are
 * re-indexed in the background ({@code FileReindexing}); until then a look-up matches either format.
 */
@Component
public class FileIndexes {

    private static final String LAST_NAME = "patient-file-last-name";
    private static final String BIRTH_DATE = "patient-file-birth-date";
    private static final String ACCOUNT = "patient-file-account";

    private final BlindIndex blindIndex;

    FileIndexes(BlindIndex blindIndex) {
        this.blindIndex = blindIndex;
    }

    /**
     * The index of the account a file is for: the establishment's way to its file of a patient, which a dump
     * without the keys cannot match to the account nor to the same account's files elsewhere.
     */
    public byte[] account(UUID establishmentId, UUID accountId) {
        return blindIndex.ofEstablishment(establishmentId, ACCOUNT, accountId.toString());
    }

    /** The index to store. */
    public byte[] lastName(UUID establishmentId, String lastName) {
        return blindIndex.ofEstablishment(establishmentId, LAST_NAME, normalise(lastName));
    }

    /** The index to store. */
    public byte[] birthDate(UUID establishmentId, LocalDate birthDate) {
        return blindIndex.ofEstablishment(establishmentId, BIRTH_DATE, birthDate.toString());
    }

    /** What a stored index of this last name may be: this format, or the platform key's of a file not re-indexed yet. */
    public List<byte[]> lastNameMatches(UUID establishmentId, String lastName) {
        return List.of(lastName(establishmentId, lastName), platformLastName(establishmentId, lastName));
    }

    /** What a stored index of this birth date may be: this format, or the platform key's of a file not re-indexed yet. */
    public List<byte[]> birthDateMatches(UUID establishmentId, LocalDate birthDate) {
        return List.of(birthDate(establishmentId, birthDate), platformBirthDate(establishmentId, birthDate));
    }

    /** The index files had before they were indexed under their establishment's key (format 1). */
    public byte[] platformLastName(UUID establishmentId, String lastName) {
        return blindIndex.of(LAST_NAME + ":" + establishmentId, normalise(lastName));
    }

    /** The index files had before they were indexed under their establishment's key (format 1). */
    public byte[] platformBirthDate(UUID establishmentId, LocalDate birthDate) {
        return blindIndex.of(BIRTH_DATE + ":" + establishmentId, birthDate.toString());
    }

    static String normalise(String name) {
        String stripped = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return stripped.toLowerCase(Locale.ROOT)
                .replaceAll("[-'’]", " ")
                .replaceAll("\\s+", " ")
                .trim();
    }
}
