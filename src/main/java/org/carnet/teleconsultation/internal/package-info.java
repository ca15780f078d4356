/** The teleconsultation module's stores, the directory entries' canonical hashing and the envelopes' shape check. */
@org.jspecify.annotations.NullMarked
package org.carnet.teleconsultation.internal;
