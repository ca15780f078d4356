/** The security officer's incidents: the API under /api/v1/security/incidents and the console page. */
@org.jspecify.annotations.NullMarked
package org.carnet.breach.web;
