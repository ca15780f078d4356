package org.carnet.breach;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A draft of one establishment's notification to the CNIL under GDPR Article 33, in French, with the items
 * of Article 33(3), filled from the incident and its exact scope. A draft, not a filing: the security officer
 * and the establishment check and complete it; it is redrawn from the log each time it is asked for, so it
 * grows with the scope (Article 33(4) allows notifying in phases).
 *
 * @param phase {@code initiale} while the incident is open, {@code complémentaire} once closed
 * @param establishmentFiness the establishment's FINESS number, when it has one
 * @param nature what happened, in words: the rules that fired and what the subject did
 * @param personCategories the categories of people concerned
 * @param dataCategories the categories of data concerned, in words
 * @param approximatePeople distinct patients whose data was reached (Article 33(3)(a))
 * @param approximateRecords accesses to their data (the records concerned)
 * @param peopleToTell patients of whom something intelligible that names them left: Article 34 may require
 *     telling them; the others received only ciphertext or pseudonyms (Article 34(3)(a))
 * @param scopeStatement how sure the numbers are: the chains verified, what no verified chain vouches for
 * @param contactPoint the data protection officer or other contact point (Article 33(3)(b))
 * @param likelyConsequences Article 33(3)(c)
 * @param measuresTaken Article 33(3)(d): the containment on the incident's timeline, dated
 * @param measuresProposed Article 33(3)(d): what is proposed to mitigate the effects
 */
public record Article33Draft(
        UUID incidentId,
        UUID establishmentId,
        String establishmentName,
        @Nullable String establishmentFiness,
        String phase,
        Instant generatedAt,
        Instant awareAt,
        Instant notifyBy,
        boolean overdue,
        String nature,
        List<String> personCategories,
        List<String> dataCategories,
        int approximatePeople,
        int approximateRecords,
        int peopleToTell,
        String scopeStatement,
        String contactPoint,
        List<String> likelyConsequences,
        List<String> measuresTaken,
        List<String> measuresProposed) {

    public Article33Draft {
        personCategories = List.copyOf(personCategories);
        dataCategories = List.copyOf(dataCategories);
        likelyConsequences = List.copyOf(likelyConsequences);
        measuresTaken = List.copyOf(measuresTaken);
        measuresProposed = List.copyOf(measuresProposed);
    }
}
