package org.carnet.notifications;

/** How a message leaves Carnet besides the in-app inbox. */
public enum Channel {
    EMAIL,
    SMS
}
