package org.carnet.access;

import java.util.List;

/** What an access decision allowed: the fields the actor may see, possibly none. */
public record Grant(List<String> fields) {

    public Grant {
        fields = List.copyOf(fields);
    }

    public boolean any() {
        return !fields.isEmpty();
    }

    public boolean allows(String field) {
        return fields.contains(field);
    }

    public boolean allows(DataCategory category) {
        return fields.stream().anyMatch(field -> DataCategory.of(field) == category);
    }
}
