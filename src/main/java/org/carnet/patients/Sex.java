package org.carnet.patients;

/** Sex as recorded for care: female, male, or other / unspecified. */
public enum Sex {
    F,
    M,
    X
}
