package org.carnet.breach;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code carnet.breach.*}: the detection rules' thresholds (see docs/breach-response.md for why these
 * defaults).
 *
 * @param enabled whether the detector runs on this node
 * @param pollInterval how often the detector reads the access log's new entries when nothing wakes it
 * @param distinctWindow the sliding window over which distinct patients read are counted
 * @param clientFloor distinct patients a program may read within the window before the rule fires,
 *     whatever its baseline
 * @param personFloor the same for a signed-in person
 * @param baselineFactor how many times its own baseline (its highest daily peak of the past {@code
 *     baselineDays} days) an actor may read before the rule fires, when that is above the floor
 * @param baselineDays how many past days make the baseline
 * @param sequenceRun distinct patients read in increasing (or decreasing) id order, in a row, that count
 *     as walking the ids
 * @param deniedThreshold denied accesses by one actor within {@code deniedWindow}
 * @param unknownIdsWindow the sliding window over which a program's asks for unknown ids are counted
 * @param unknownIds distinct patient or appointment ids (or pseudonyms) naming nothing that one program
 *     may ask for within {@code unknownIdsWindow}: the one that reaches it suspends the program
 * @param nightStart start of the night, in {@code zone}
 * @param nightEnd end of the night, in {@code zone}
 * @param nightFloor distinct patients read within the window, at night, that count as a bulk read
 * @param breakGlassFloor break-the-glass openings in one establishment within {@code breakGlassWindow}
 *     before the rule fires, whatever its usual rate
 * @param signInWindow the window over which failed sign-ins are counted
 * @param accountFailures failed sign-ins for one account within the window
 * @param sourceFailures failed sign-ins from one source (an IPv4 address or an IPv6 /64)
 * @param platformFailures failed sign-ins across the platform (credential stuffing)
 * @param repeatAfter how long a rule that fired for a subject stays quiet for that subject
 * @param suspendPrograms whether a program caught by a data-access rule is suspended at once
 * @param zone the time zone of the night and of the dates in notification drafts
 * @param contactPoint the contact point an Article 33 draft names (GDPR Article 33(3)(b)): the data protection
 *     officer's service, as the operator sets it
 */
@ConfigurationProperties("carnet.breach")
public record BreachProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("PT1S") Duration pollInterval,
        @DefaultValue("PT1H") Duration distinctWindow,
        @DefaultValue("100") int clientFloor,
        @DefaultValue("150") int personFloor,
        @DefaultValue("3") int baselineFactor,
        @DefaultValue("14") int baselineDays,
        @DefaultValue("40") int sequenceRun,
        @DefaultValue("PT10M") Duration deniedWindow,
        @DefaultValue("20") int deniedThreshold,
        @DefaultValue("PT1H") Duration unknownIdsWindow,
        @DefaultValue("50") int unknownIds,
        @DefaultValue("22:00") LocalTime nightStart,
        @DefaultValue("06:00") LocalTime nightEnd,
        @DefaultValue("40") int nightFloor,
        @DefaultValue("P1D") Duration breakGlassWindow,
        @DefaultValue("5") int breakGlassFloor,
        @DefaultValue("PT10M") Duration signInWindow,
        @DefaultValue("20") int accountFailures,
        @DefaultValue("30") int sourceFailures,
        @DefaultValue("200") int platformFailures,
        @DefaultValue("PT30M") Duration repeatAfter,
        @DefaultValue("true") boolean suspendPrograms,
        @DefaultValue("Europe/Paris") ZoneId zone,

        @DefaultValue("Délégué à la protection des données de la plateforme Carnet")
        String contactPoint) {

    public BreachProperties {
        positive("poll-interval", pollInterval);
        positive("distinct-window", distinctWindow);
        positive("denied-window", deniedWindow);
        positive("unknown-ids-window", unknownIdsWindow);
        positive("break-glass-window", breakGlassWindow);
        positive("sign-in-window", signInWindow);
        positive("repeat-after", repeatAfter);
        if (pollInterval.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new IllegalArgumentException("carnet.breach.poll-interval must be at most 5 seconds");
        }
        if (distinctWindow.compareTo(Duration.ofDays(1)) > 0
                || signInWindow.compareTo(Duration.ofDays(1)) > 0
                || unknownIdsWindow.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException(
                    "carnet.breach windows of distinct patients, sign-ins and unknown ids are at most a day");
        }
        for (int threshold : new int[] {
            clientFloor,
            personFloor,
            baselineFactor,
            baselineDays,
            sequenceRun,
            deniedThreshold,
            unknownIds,
            nightFloor,
            breakGlassFloor,
            accountFailures,
            sourceFailures,
            platformFailures
        }) {
            if (threshold < 1 || threshold > 1_000_000) {
                throw new IllegalArgumentException("carnet.breach thresholds are between 1 and 1,000,000");
            }
        }
        if (sequenceRun < 3) {
            throw new IllegalArgumentException("carnet.breach.sequence-run must be at least 3");
        }
    }

    private static void positive(String name, Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("carnet.breach." + name + " must be positive");
        }
    }
}
