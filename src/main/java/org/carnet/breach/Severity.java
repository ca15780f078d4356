package org.carnet.breach;

/** How bad an incident looks: the highest severity of the rules that fired for it. */
public enum Severity {
    LOW,
    MEDIUM,
    HIGH;

    public Severity atLeast(Severity other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
