package org.carnet.patients.internal;

import java.text.Normalizer;
import java.time.LocalDate;
import java.util.Locale;
import java.util.UUID;
import org.carnet.crypto.BlindIndex;
import org.springframework.stereotype.Component;

/**
 * Blind indexes of a patient file's last name and birth date, so that staff can find a file without
 * any plaintext column. The establishment is part of the purpose: the same name in two establishments
 * gives two unrelated indexes. Names are compared without case, accents, hyphens or apostrophes.
 */
@Component
public class FileIndexes {

    private final BlindIndex blindIndex;

    FileIndexes(BlindIndex blindIndex) {
        this.blindIndex = blindIndex;
    }

    public byte[] lastName(UUID establishmentId, String lastName) {
        return blindIndex.of("patient-file-last-name:" + establishmentId, normalise(lastName));
    }

    public byte[] birthDate(UUID establishmentId, LocalDate birthDate) {
        return blindIndex.of("patient-file-birth-date:" + establishmentId, birthDate.toString());
    }

    static String normalise(String name) {
        String stripped = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return stripped.toLowerCase(Locale.ROOT)
                .replaceAll("[-'’]", " ")
                .replaceAll("\\s+", " ")
                .trim();
    }
}
