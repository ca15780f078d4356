package org.carnet.fhir.web;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.jspecify.annotations.Nullable;

/**
 * The search parameters as Carnet reads them: strictly. A modifier, a chain, {@code :missing} or a
 * prefix that the CapabilityStatement does not promise is refused (400), never silently ignored.
 */
final class SearchParams {

    static final int DEFAULT_COUNT = 20;
    static final int MAX_COUNT = 100;
    static final int MAX_OFFSET = 10_000;

    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private SearchParams() {}

    /** Which part of the results a page shows: {@code _offset}, and {@code _count} capped at {@link #MAX_COUNT}. */
    record Page(int offset, int count) {
        static Page of(@Nullable Integer offset, @Nullable Integer count) {
            int from = offset == null ? 0 : offset;
            if (from < 0 || from > MAX_OFFSET) {
                throw Refusals.badRequest("_offset must be between 0 and " + MAX_OFFSET + ".");
            }
            int size = count == null ? DEFAULT_COUNT : count;
            if (size < 0) {
                throw Refusals.badRequest("_count must not be negative.");
            }
            return new Page(from, Math.min(size, MAX_COUNT));
        }

        <T> List<T> of(List<T> all) {
            if (offset >= all.size()) {
                return List.of();
            }
            return all.subList(offset, Math.min(all.size(), offset + count));
        }
    }

    /** One page of results and their total: HAPI links the next and previous pages by {@code _offset}. */
    static IBundleProvider bundle(List<? extends IBaseResource> resources, Page page, int total) {
        SimpleBundleProvider bundle = new SimpleBundleProvider(resources);
        bundle.setCurrentPageOffset(page.offset());
        bundle.setCurrentPageSize(page.count());
        bundle.setSize(total);
        return bundle;
    }

    /** A Carnet id: a UUID, or nothing (an id of another shape names nothing here). */
    static Optional<UUID> uuid(@Nullable String id) {
        if (id == null || !UUID_SHAPE.matcher(id).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(id));
    }

    static Optional<UUID> id(IIdType id) {
        return uuid(id.getIdPart());
    }

    /** A token's code, when its system is absent or one of these. */
    static Optional<String> code(TokenParam token, String name, String... systems) {
        if (token.getModifier() != null || token.getMissing() != null) {
            throw Refusals.badRequest(name + " takes no modifier.");
        }
        String system = token.getSystem();
        if (system != null && !system.isEmpty() && !Arrays.asList(systems).contains(system)) {
            return Optional.empty();
        }
        String value = token.getValue();
        if (value == null || value.isBlank()) {
            throw Refusals.badRequest(name + " needs a code.");
        }
        return Optional.of(value);
    }

    static String text(StringParam param, String name) {
        if (param.isExact() || param.isContains() || param.getMissing() != null) {
            throw Refusals.badRequest(name + " takes no modifier.");
        }
        String value = param.getValue();
        if (value == null || value.isBlank() || value.length() > 100) {
            throw Refusals.badRequest(name + " needs a value of 1 to 100 characters.");
        }
        return value.strip();
    }

    /** The id a reference names, when it is of one of these types (or untyped): empty when it names nothing. */
    static Optional<UUID> reference(ReferenceParam reference, String name, String... types) {
        if (reference.getMissing() != null
                || (reference.getChain() != null && !reference.getChain().isEmpty())) {
            throw Refusals.badRequest(name + " takes no modifier and no chain.");
        }
        String type = reference.getResourceType();
        if (type != null && !type.isEmpty() && !Arrays.asList(types).contains(type)) {
            throw Refusals.badRequest(name + " must reference a " + String.join(" or ", types) + ".");
        }
        return uuid(reference.getIdPart());
    }

    /**
     * The half-open interval [from, to) that a date search names: {@code ge}, {@code gt} or {@code eq}
     * for its lower bound, {@code lt}, {@code le} or {@code eq} for its upper one. A date without a
     * time is a day in Carnet's time zone, as in the web search; a time needs its offset.
     */
    record Window(@Nullable Instant from, @Nullable Instant to) {
        static Window of(@Nullable DateRangeParam range, String name, ZoneId zone) {
            if (range == null) {
                return new Window(null, null);
            }
            DateParam lower = range.getLowerBound();
            DateParam upper = range.getUpperBound();
            Instant from = null;
            Instant to = null;
            if (lower != null) {
                Bounds bounds = Bounds.of(lower, name, zone);
                ParamPrefixEnum prefix = lower.getPrefix() == null ? ParamPrefixEnum.EQUAL : lower.getPrefix();
                from = switch (prefix) {
                    case GREATERTHAN_OR_EQUALS, EQUAL -> bounds.start();
                    case GREATERTHAN -> bounds.end();
                    default -> throw Refusals.badRequest(name + " takes the prefixes ge, gt, lt, le and eq.");
                };
            }
            if (upper != null) {
                Bounds bounds = Bounds.of(upper, name, zone);
                ParamPrefixEnum prefix = upper.getPrefix() == null ? ParamPrefixEnum.EQUAL : upper.getPrefix();
                to = switch (prefix) {
                    case LESSTHAN -> bounds.start();
                    case LESSTHAN_OR_EQUALS, EQUAL -> bounds.end();
                    default -> throw Refusals.badRequest(name + " takes the prefixes ge, gt, lt, le and eq.");
                };
            }
            return new Window(from, to);
        }
    }

    /** What one date value covers: a whole day, or one instant (to the microsecond the database keeps). */
    private record Bounds(Instant start, Instant end) {
        static Bounds of(DateParam date, String name, ZoneId zone) {
            String text = date.getValueAsString();
            try {
                if (date.getPrecision() == TemporalPrecisionEnum.DAY && text != null) {
                    LocalDate day = LocalDate.parse(text);
                    return new Bounds(
                            day.atStartOfDay(zone).toInstant(),
                            day.plusDays(1).atStartOfDay(zone).toInstant());
                }
                if (text != null && text.contains("T")) {
                    Instant instant = OffsetDateTime.parse(text).toInstant();
                    return new Bounds(instant, instant.plusNanos(1000));
                }
            } catch (DateTimeParseException e) {
                // refused below
            }
            throw Refusals.badRequest(
                    name + " must be a date (yyyy-MM-dd) or a date-time with its offset (yyyy-MM-ddThh:mm:ss+01:00).");
        }
    }
}
