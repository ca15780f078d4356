package org.carnet.shared;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Nothing of that kind the caller may see: the API answers 404 with the same words either way. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String what) {
        super(what + " not found");
    }

    /** The 404 problem the API answers for this kind of thing, for a module that words all its 404s alike. */
    public static ProblemDetail problem(String what) {
        return ApiProblems.problem(
                HttpStatus.NOT_FOUND, "not-found", "Not found", new NotFoundException(what).getMessage());
    }
}
