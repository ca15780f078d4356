package org.carnet.backup;

import java.io.InputStream;
import java.io.OutputStream;

/** A database's own dump and restore, as plain SQL streams. */
interface DatabaseDump {

    /** The kind of database, written into the backup: a dump of one kind is not restored into another. */
    String kind();

    /** How many tables, sequences, views or routines the database holds (0 for an empty one). */
    long objects();

    /** Writes the whole database to {@code out} as SQL, never to a file. */
    void dump(OutputStream out);

    /**
     * Loads a dump into this (empty) database, runs {@code check} once the dump has been read to its end,
     * and keeps what was loaded only if both succeed; otherwise the database is left empty.
     */
    void restore(InputStream dump, Runnable check);
}
