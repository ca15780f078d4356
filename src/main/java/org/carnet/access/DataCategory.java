package org.carnet.access;

import java.util.Locale;
import java.util.Map;

/** What kind of personal data a field is; access rules are stated per category. */
public enum DataCategory {
    /** Name, birth date, sex, NIR. */
    IDENTITY,
    /** E-mail, phone. */
    CONTACT,
    /** When and with whom: appointment times, status, practitioner. */
    AGENDA,
    /** Motive, comments, and anything clinical. */
    MEDICAL;

    private static final Map<String, DataCategory> FIELDS = Map.ofEntries(
            Map.entry("first_name", IDENTITY),
            Map.entry("last_name", IDENTITY),
            Map.entry("birth_date", IDENTITY),
            Map.entry("sex", IDENTITY),
            Map.entry("nir", IDENTITY),
            Map.entry("email", CONTACT),
            Map.entry("phone", CONTACT),
            Map.entry("start", AGENDA),
            Map.entry("end", AGENDA),
            Map.entry("status", AGENDA),
            Map.entry("practitioner", AGENDA),
            Map.entry("slot", AGENDA),
            Map.entry("motive", MEDICAL),
            Map.entry("comment", MEDICAL));

    /** The category of a field name; a field nobody classified counts as medical, the most protected. */
    public static DataCategory of(String field) {
        return FIELDS.getOrDefault(field.toLowerCase(Locale.ROOT), MEDICAL);
    }
}
