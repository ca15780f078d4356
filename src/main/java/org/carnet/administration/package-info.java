/**
 * The establishment administrator's pages: creating practitioner and staff accounts of their
 * establishment, and reviewing break-the-glass openings.
 */
package org.carnet.administration;
