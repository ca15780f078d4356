package org.carnet.support;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Free slots found through the public search, as a patient finds them: specialty by specialty. */
public final class FreeSlots {

    private FreeSlots() {}

    /** Free slots with an in-person motive of their practitioner each, {@code [slotId, motiveId]}, at most {@code wanted}. */
    public static List<String[]> withMotive(Api api, int wanted) {
        List<String[]> slots = new ArrayList<>();
        for (JsonNode specialty : api.get("/api/v1/specialties", null).body()) {
            JsonNode page = api.get(
                            "/api/v1/availability?specialty="
                                    + specialty.get("code").asString(),
                            null)
                    .body();
            for (JsonNode practitioner : page.get("content")) {
                String id = practitioner.get("id").asString();
                String motive = null;
                for (JsonNode candidate :
                        api.get("/api/v1/practitioners/" + id, null).body().get("motives")) {
                    if (!candidate.get("teleconsultation").asBoolean()) {
                        motive = candidate.get("id").asString();
                    }
                }
                if (motive == null) {
                    continue;
                }
                for (JsonNode slot :
                        api.get("/api/v1/practitioners/" + id + "/slots", null).body()) {
                    slots.add(new String[] {slot.get("id").asString(), motive});
                    if (slots.size() == wanted) {
                        return slots;
                    }
                }
            }
        }
        return slots;
    }
}
