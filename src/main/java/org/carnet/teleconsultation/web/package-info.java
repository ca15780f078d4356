/** The teleconsultation API under {@code /api/v1/teleconsultations}. */
@org.jspecify.annotations.NullMarked
package org.carnet.teleconsultation.web;
