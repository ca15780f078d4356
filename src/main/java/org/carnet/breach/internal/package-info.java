/** The detector (the audit log's tail, the sign-in counters, the rules) and the incident store. */
@org.jspecify.annotations.NullMarked
package org.carnet.breach.internal;
