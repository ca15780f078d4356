/** The exports module's stores, OpenPGP streams, archive writer, marks and leak-file readers. */
@org.jspecify.annotations.NullMarked
package org.carnet.exports.internal;
