package org.carnet.demo;

/** The demo accounts listed in the README. Synthetic, for trying Carnet locally only. */
public final class DemoAccounts {
    public static final String PATIENT_EMAIL = "patient@demo.carnet.test";
    public static final String PATIENT_PASSWORD = "demo-patient-2026";
    public static final String PRACTITIONER_EMAIL = "praticien@demo.carnet.test";
    public static final String PRACTITIONER_PASSWORD = "demo-praticien-2026";

    private DemoAccounts() {}
}
