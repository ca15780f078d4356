package org.carnet.crypto;

import org.carnet.shared.GoneException;

/** A sealed value, or a new one, of an owner whose data keys were destroyed: no one can open it any more. */
public class KeyShreddedException extends GoneException {
    KeyShreddedException(KeyOwner owner) {
        super("The data keys of this " + owner.type().name().toLowerCase(java.util.Locale.ROOT)
                + " were destroyed: its sealed data can no longer be read or written.");
    }
}
