package org.carnet.breach.internal;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.carnet.breach.BreachProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Each actor's baseline: its highest daily count (distinct patients read within the window, or an
 * establishment's break-the-glass openings) over the past days, today excluded so that a burst does
 * not raise its own bar. Read once a day per key; written by the detector as the day's peaks grow.
 */
@Component
public class Baselines {

    private final JdbcClient jdbc;
    private final BreachProperties properties;
    private final Map<String, Integer> cached = new HashMap<>();
    private LocalDate cachedFor = LocalDate.MIN;

    Baselines(JdbcClient jdbc, BreachProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** The key's baseline as of {@code today}: 0 when it has no history. */
    public int of(String key, LocalDate today) {
        if (!today.equals(cachedFor)) {
            cached.clear();
            cachedFor = today;
        }
        return cached.computeIfAbsent(
                key,
                k -> jdbc.sql("SELECT COALESCE(MAX(peak), 0) FROM breach_baselines"
                                + " WHERE baseline_key = ? AND peak_day >= ? AND peak_day < ?")
                        .params(k, today.minusDays(properties.baselineDays()), today)
                        .query(Integer.class)
                        .single());
    }

    /** Raises the day's stored peaks to these. */
    public void save(LocalDate day, Map<String, Integer> peaks) {
        peaks.forEach((key, peak) -> {
            int raised = jdbc.sql(
                            "UPDATE breach_baselines SET peak = GREATEST(peak, ?) WHERE baseline_key = ? AND peak_day = ?")
                    .params(peak, key, day)
                    .update();
            if (raised == 0) {
                jdbc.sql("INSERT INTO breach_baselines (baseline_key, peak_day, peak) VALUES (?, ?, ?)")
                        .params(key, day, peak)
                        .update();
            }
        });
    }
}
