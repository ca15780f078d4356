package org.carnet.demo;

/** The demo accounts listed in the README. Synthetic, for trying Carnet locally only. */
public final class DemoAccounts {
    public static final String PATIENT_EMAIL = "patient@demo.carnet.test";
    public static final String PATIENT_PASSWORD = "demo-patient-2026";
    public static final String PRACTITIONER_EMAIL = "praticien@demo.carnet.test";
    public static final String PRACTITIONER_PASSWORD = "demo-praticien-2026";
    public static final String PRACTITIONER_TOTP = "PRATICIENDEMOCARNETPRATICIENZZZZ";
    public static final String STAFF_EMAIL = "secretariat@demo.carnet.test";
    public static final String STAFF_PASSWORD = "demo-secretariat-2026";
    public static final String STAFF_TOTP = "SECRETARIATDEMOCARNETSECRETARIAT";
    public static final String ADMIN_EMAIL = "admin@demo.carnet.test";
    public static final String ADMIN_PASSWORD = "demo-admin-etab-2026";
    public static final String ADMIN_TOTP = "ADMINISTRATEURDEMOCARNETADMINZZZ";
    public static final String SECURITY_OFFICER_EMAIL = "securite@demo.carnet.test";
    public static final String SECURITY_OFFICER_PASSWORD = "demo-securite-2026";
    public static final String SECURITY_OFFICER_TOTP = "SECURITEDEMOCARNETSECURITEDEMOZZ";

    private DemoAccounts() {}
}
