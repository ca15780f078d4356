package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Spring Security makes no observation per filter, authentication or authorization (they cost 13 % of a
 * booking request's CPU and nothing reads them), while the HTTP request observation, which feeds the
 * request metrics, is still made.
 */
@CarnetIntegrationTest
@Import(SecurityObservationsIntegrationTest.Observed.class)
class SecurityObservationsIntegrationTest {

    @TestConfiguration
    static class Observed {
        final List<String> started = new CopyOnWriteArrayList<>();

        @Bean
        ObservationHandler<Observation.Context> recordingHandler() {
            return new ObservationHandler<>() {
                @Override
                public void onStart(Observation.Context context) {
                    started.add(context.getName());
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            };
        }
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    Observed observed;

    @Test
    void anAuthenticatedApiRequestMakesNoSecurityObservationButStillItsHttpOne() {
        Api api = new Api(port);
        String token = Fixtures.aPatientToken(api);
        observed.started.clear();

        assertThat(api.get("/api/v1/me", token).status()).isEqualTo(200);

        assertThat(observed.started).anyMatch(name -> name.startsWith("http.server"));
        assertThat(observed.started).noneMatch(name -> name.startsWith("spring.security"));
    }
}
