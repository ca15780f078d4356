package org.carnet.shared;

/** An object that does not exist, or that the caller may not know exists: both answer 404. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String what) {
        super(what + " not found");
    }
}
