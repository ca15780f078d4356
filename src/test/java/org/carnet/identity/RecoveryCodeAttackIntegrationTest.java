package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.carnet.directory.Directory;
import org.carnet.scheduling.Agendas;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** A stolen dump of the recovery codes' hashes, swept for every user at once; and the codes made before. */
@CarnetIntegrationTest
class RecoveryCodeAttackIntegrationTest {

    /** Generous for an attacker: a thousand GPUs at ten billion SHA-256 a second each. */
    private static final BigInteger HASHES_PER_SECOND = BigInteger.valueOf(10_000_000_000_000L);

    private static final BigInteger SECONDS_PER_YEAR = BigInteger.valueOf(31_557_600L);

    @Value("${local.server.port}")
    int port;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    RecoveryCodes recoveryCodes;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    SignInRateLimiter limiter;

    Api api;
    Professionals.Login practitioner;

    @BeforeEach
    void aPractitioner() {
        limiter.forgetAll();
        api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        practitioner = new Professionals(logins, transactions)
                .practitioner(agenda.practitioner().id(), agenda.establishment().id());
    }

    @Test
    void sweepingADumpForTheCodesWouldTakeLongerThanTheAgeOfTheUniverse() {
        List<String> codes = transactions.execute(status -> recoveryCodes.renew(practitioner.userId()));
        Set<Character> alphabet = new HashSet<>();
        Set<Integer> lengths = new HashSet<>();
        for (String code : codes) {
            String canonical = code.replace("-", "");
            lengths.add(canonical.length());
            canonical.chars().forEach(c -> alphabet.add((char) c));
            // Easy to read back and type: no 0/o, 1/l look-alikes, groups of four.
            assertThat(canonical).doesNotContain("0", "o", "1", "l");
            assertThat(code).matches("([a-z2-9]{4}-)+[a-z2-9]{4}");
        }
        assertThat(lengths).hasSize(1);
        int length = lengths.iterator().next();
        // The space to sweep: the alphabet the codes are drawn from, to the power of their length. The
        // codes seen use at most the 32 characters the format allows.
        BigInteger space = BigInteger.valueOf(Math.max(alphabet.size(), 32)).pow(length);
        assertThat(space.bitLength() - 1).as("bits per code").isGreaterThanOrEqualTo(128);
        BigInteger years = space.divide(HASHES_PER_SECOND).divide(SECONDS_PER_YEAR);
        assertThat(years).isGreaterThan(BigInteger.TEN.pow(10));
        // What the dump holds is a versioned hash, never the code.
        for (byte[] stored : jdbc.sql("SELECT code_hash FROM recovery_codes WHERE user_id = ?")
                .param(practitioner.userId())
                .query(byte[].class)
                .list()) {
            assertThat(stored[0]).isEqualTo((byte) 2);
            assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(codes.get(0));
        }
    }

    @Test
    void aCodeTypedWithSpacesAndCapitalsSignsInOnce() {
        List<String> codes = transactions.execute(status -> recoveryCodes.renew(practitioner.userId()));
        String typed = codes.get(2).replace('-', ' ').toUpperCase(Locale.ROOT);
        Map<String, String> withCode =
                Map.of("email", practitioner.email(), "password", practitioner.password(), "otp", typed);
        assertThat(api.post("/api/v1/auth/token", withCode, null).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/auth/token", withCode, null).status()).isEqualTo(401);
        assertThat(recoveryCodes.remaining(practitioner.userId())).isEqualTo(9);
    }

    @Test
    void aCodeOfTheOldShortKindStillSignsInOnceAndItsOwnerIsAskedToRenew() throws Exception {
        String old = "abcde-fghij";
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(old.getBytes(StandardCharsets.US_ASCII));
        byte[] stored = new byte[digest.length + 1];
        stored[0] = 1;
        System.arraycopy(digest, 0, stored, 1, digest.length);
        jdbc.sql("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)")
                .params(practitioner.userId(), stored)
                .update();
        PageClient pages = new PageClient(port);
        pages.signIn(practitioner.email(), practitioner.password(), practitioner.totpSecret());
        assertThat(pages.get("/account/security").body()).contains("id=\"recovery-codes-old\"");

        Map<String, String> withOldCode =
                Map.of("email", practitioner.email(), "password", practitioner.password(), "otp", old);
        assertThat(api.post("/api/v1/auth/token", withOldCode, null).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/auth/token", withOldCode, null).status()).isEqualTo(401);
        assertThat(pages.get("/account/security").body()).doesNotContain("id=\"recovery-codes-old\"");
    }
}
