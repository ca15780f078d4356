package org.carnet.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.carnet.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A benchmark, not a test (its name matches no test pattern; run it by name): how many sealed values a
 * second {@code keys rotate-data} re-seals. One establishment gets {@code carnet.bench.rotation-values}
 * (100,000) break-the-glass reasons, sealed as Carnet seals them (one sealed column a row, which makes
 * rows/s = values/s), then its data key is rotated with the default batch size; the settle time is zero
 * (no other node here), so the figure is the re-sealing alone. Prints the rate.
 *
 * <pre>
 * ./mvnw -B -ntp verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=DataKeyRotationBenchmark -Ppostgres
 * </pre>
 */
class DataKeyRotationBenchmark {

    private static final int VALUES = Integer.getInteger("carnet.bench.rotation-values", 100_000);

    @Test
    void reSealingRate() {
        String database = TestDatabase.freshName();
        try (ConfigurableApplicationContext carnet =
                TestDatabase.startCarnet(database, "--carnet.crypto.rotation.settle=PT0S")) {
            FieldSealer sealer = carnet.getBean(FieldSealer.class);
            JdbcTemplate jdbc = carnet.getBean(JdbcTemplate.class);
            DataKeyRotation rotation = carnet.getBean(DataKeyRotation.class);
            KeyOwner owner = KeyOwner.establishment(UUID.randomUUID());
            UUID actor = UUID.randomUUID();
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < VALUES; i++) {
                UUID id = UUID.randomUUID();
                byte[] reason = sealer.seal(
                        owner, new SealedColumn("break_glass_openings", "reason", id), "Raison synthétique " + i);
                rows.add(new Object[] {id, owner.id(), actor, UUID.randomUUID(), reason, now});
                if (rows.size() == 1_000 || i == VALUES - 1) {
                    jdbc.batchUpdate(
                            "INSERT INTO break_glass_openings (id, establishment_id, actor_user_id, patient_id, reason,"
                                    + " opened_at) VALUES (?, ?, ?, ?, ?, ?)",
                            rows);
                    rows.clear();
                }
            }
            jdbc.execute("ANALYZE break_glass_openings");

            long started = System.nanoTime();
            DataKeyRotation.Result result = rotation.rotate(owner, progress -> {});
            double seconds = (System.nanoTime() - started) / 1e9;

            System.out.printf(
                    "DataKeyRotationBenchmark: %d values re-sealed under version %d in %.1f s (%d passes): %.0f values/s%n",
                    result.resealed(), result.version(), seconds, result.passes(), result.resealed() / seconds);
            // A rate is only worth printing if the rotation did its work: every value, under the new version.
            assertThat(result.resealed()).isEqualTo(VALUES);
            assertThat(rotation.versions(owner).get("break_glass_openings")).containsOnlyKeys(result.version());
        } finally {
            TestDatabase.drop(database);
        }
    }
}
