package org.carnet.exports.internal;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * An export's synthetic canary patients: names, birth date and mobile number derived from the export's
 * secret, so that each export's canaries are its own and a leaked file holding one names its export.
 */
public final class Canaries {

    /** A synthetic patient; its phone's ten digits are what leak tracing looks for. */
    public record Canary(
            UUID id,
            String firstName,
            String lastName,
            LocalDate birthDate,
            String sex,
            String phoneDigits,
            String email) {
        @Override
        public String toString() {
            return "Canary[" + id + "]";
        }
    }

    private static final String[] FIRST_F = {
        "Camille",
        "Léa",
        "Manon",
        "Chloé",
        "Inès",
        "Sarah",
        "Julie",
        "Clara",
        "Anaïs",
        "Pauline",
        "Océane",
        "Margaux",
        "Lucie",
        "Elodie",
        "Mathilde",
        "Justine"
    };
    private static final String[] FIRST_M = {
        "Lucas",
        "Hugo",
        "Thomas",
        "Nathan",
        "Théo",
        "Maxime",
        "Antoine",
        "Julien",
        "Romain",
        "Nicolas",
        "Alexandre",
        "Quentin",
        "Baptiste",
        "Clément",
        "Florian",
        "Adrien"
    };
    private static final String[] LAST = {
        "Martin",
        "Bernard",
        "Dubois",
        "Thomas",
        "Robert",
        "Richard",
        "Petit",
        "Durand",
        "Leroy",
        "Moreau",
        "Simon",
        "Laurent",
        "Lefebvre",
        "Michel",
        "Garcia",
        "David",
        "Bertrand",
        "Roux",
        "Vincent",
        "Fournier",
        "Morel",
        "Girard",
        "Andre",
        "Mercier",
        "Dupont",
        "Lambert",
        "Bonnet",
        "François",
        "Martinez",
        "Legrand",
        "Garnier",
        "Faure"
    };
    private static final String[] DOMAINS = {"orange.fr", "free.fr", "gmail.com", "laposte.net", "sfr.fr", "wanadoo.fr"
    };

    private Canaries() {}

    public static List<Canary> of(Marks marks, int count) {
        List<Canary> canaries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] b = marks.bytes("canary", Integer.toString(i));
            boolean female = (b[0] & 1) == 0;
            String first = (female ? FIRST_F : FIRST_M)[(b[1] & 0xff) % 16];
            String last = LAST[(b[2] & 0xff) % LAST.length];
            LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(((b[3] & 0xff) << 8 | (b[4] & 0xff)) % 25_000);
            StringBuilder digits = new StringBuilder((b[5] & 1) == 0 ? "06" : "07");
            for (int d = 0; d < 8; d++) {
                digits.append((b[6 + d] & 0xff) % 10);
            }
            String email = ascii(first) + "." + ascii(last) + ((b[14] & 0xff) % 90 + 10) + "@"
                    + DOMAINS[(b[15] & 0xff) % DOMAINS.length];
            long hi = 0;
            long lo = 0;
            for (int k = 0; k < 8; k++) {
                hi = hi << 8 | (b[16 + k] & 0xff);
                lo = lo << 8 | (b[24 + k] & 0xff);
            }
            // A version-4 looking UUID, like every other file id.
            hi = (hi & ~0xF000L) | 0x4000L;
            lo = (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            canaries.add(
                    new Canary(new UUID(hi, lo), first, last, birth, female ? "F" : "M", digits.toString(), email));
        }
        return canaries;
    }

    private static String ascii(String name) {
        return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT);
    }
}
