package org.carnet.breach;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The fields of the access log in the words of a notice to a patient, in French and in English. */
final class FieldWords {

    private static final Map<String, List<String>> WORDS = Map.ofEntries(
            Map.entry("first_name", List.of("prénom", "first name")),
            Map.entry("last_name", List.of("nom", "last name")),
            Map.entry("birth_date", List.of("date de naissance", "date of birth")),
            Map.entry("sex", List.of("sexe", "sex")),
            Map.entry("nir", List.of("numéro de sécurité sociale (NIR)", "social security number (NIR)")),
            Map.entry("relationship", List.of("lien avec un proche", "relationship to a relative")),
            Map.entry("email", List.of("adresse e-mail", "e-mail address")),
            Map.entry("phone", List.of("numéro de téléphone", "phone number")),
            Map.entry("slot", List.of("date et heure de rendez-vous", "appointment date and time")),
            Map.entry("status", List.of("état de rendez-vous", "appointment status")),
            Map.entry("body", List.of("messages au sujet de vos rendez-vous", "messages about your appointments")),
            Map.entry("motive", List.of("motif de consultation", "reason for the visit")),
            Map.entry("comment", List.of("commentaire de rendez-vous", "appointment comment")),
            Map.entry("public_key", List.of("clé publique", "public key")));

    private FieldWords() {}

    /** The fields, in the order given, joined: index 0 for French, 1 for English; unknown codes as they are. */
    static String say(List<String> codes, int language) {
        return String.join(
                ", ",
                codes.stream()
                        .map(code -> Objects.requireNonNull(
                                WORDS.getOrDefault(code, List.of(code, code)).get(language)))
                        .distinct()
                        .toList());
    }
}
