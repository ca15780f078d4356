package org.carnet.shared;

/**
 * Data that existed and was destroyed for good (its keys shredded at the end of a contract, or on a
 * patient's erasure): 410 in the API. The message names no person.
 */
public class GoneException extends RuntimeException {
    public GoneException(String what) {
        super(what);
    }
}
