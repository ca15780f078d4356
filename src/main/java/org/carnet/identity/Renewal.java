package org.carnet.identity;

/**
 * What a login still has to renew after a security officer required it ({@link
 * AccountContainment#requireRenewal}): its password first, then, for a professional or an account that had
 * one, its second factor. Until both are done, a sign-in opens nothing but the step that remains.
 */
enum Renewal {
    /** Its next sign-in, with every factor it has, may only choose a new password. */
    PASSWORD,
    /** The new password is set; a new authenticator is still to be enrolled. */
    SECOND_FACTOR
}
