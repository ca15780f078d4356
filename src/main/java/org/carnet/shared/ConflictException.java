package org.carnet.shared;

/** A request that is well-formed but collides with the current state, such as a slot already taken. */
public class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
