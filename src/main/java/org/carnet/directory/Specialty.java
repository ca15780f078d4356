package org.carnet.directory;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The specialties a practitioner can be listed under, with their French and English labels. */
public enum Specialty {
    MEDECIN_GENERALISTE("medecin-generaliste", "Médecin généraliste", "General practitioner"),
    OPHTALMOLOGUE("ophtalmologue", "Ophtalmologue", "Ophthalmologist"),
    DERMATOLOGUE("dermatologue", "Dermatologue", "Dermatologist"),
    PSYCHIATRE("psychiatre", "Psychiatre", "Psychiatrist"),
    GYNECOLOGUE("gynecologue", "Gynécologue", "Gynaecologist"),
    PEDIATRE("pediatre", "Pédiatre", "Paediatrician"),
    CARDIOLOGUE("cardiologue", "Cardiologue", "Cardiologist"),
    CHIRURGIEN_DENTISTE("chirurgien-dentiste", "Chirurgien-dentiste", "Dentist"),
    MASSEUR_KINESITHERAPEUTE("masseur-kinesitherapeute", "Masseur-kinésithérapeute", "Physiotherapist"),
    ORL("orl", "Oto-rhino-laryngologiste (ORL)", "Ear, nose and throat specialist"),
    RHUMATOLOGUE("rhumatologue", "Rhumatologue", "Rheumatologist"),
    ENDOCRINOLOGUE("endocrinologue", "Endocrinologue", "Endocrinologist"),
    GASTRO_ENTEROLOGUE("gastro-enterologue", "Gastro-entérologue", "Gastroenterologist"),
    PNEUMOLOGUE("pneumologue", "Pneumologue", "Pulmonologist"),
    NEUROLOGUE("neurologue", "Neurologue", "Neurologist"),
    SAGE_FEMME("sage-femme", "Sage-femme", "Midwife"),
    ORTHOPHONISTE("orthophoniste", "Orthophoniste", "Speech therapist"),
    PSYCHOLOGUE("psychologue", "Psychologue", "Psychologist"),
    UROLOGUE("urologue", "Urologue", "Urologist"),
    RADIOLOGUE("radiologue", "Radiologue", "Radiologist");

    private final String code;
    private final String french;
    private final String english;

    Specialty(String code, String french, String english) {
        this.code = code;
        this.french = french;
        this.english = english;
    }

    public String code() {
        return code;
    }

    public String label(Locale locale) {
        return "en".equals(locale.getLanguage()) ? english : french;
    }

    /**
     * The specialty a visitor typed: its code, or its French or English label with case, accents and
     * punctuation ignored ("medecin generaliste", "General practitioner").
     */
    public static Optional<Specialty> fromTyped(@Nullable String typed) {
        if (typed == null || typed.length() > 100) {
            return Optional.empty();
        }
        Optional<Specialty> byCode = fromCode(typed.strip());
        if (byCode.isPresent()) {
            return byCode;
        }
        String key = Directory.placeKey(typed);
        return Arrays.stream(values())
                .filter(s -> Directory.placeKey(s.french).equals(key)
                        || Directory.placeKey(s.english).equals(key))
                .findFirst();
    }

    public static Optional<Specialty> fromCode(@Nullable String code) {
        return Arrays.stream(values()).filter(s -> s.code.equals(code)).findFirst();
    }
}
