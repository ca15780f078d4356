package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import javax.sql.DataSource;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.Browser;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the teleconsultation browser tests start from: a practitioner with teleconsultation slots and a
 * signed-in login, the establishment's keys published and held by the test (as an offline Java client),
 * a registered patient with the patient's browser started; the practitioner's browser is each test's to
 * start. Both browsers are closed after each test.
 */
abstract class ConsultationInBrowsers {

    static final String BASE = "/api/v1/teleconsultations";

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    Api api;
    Fixtures.Agenda agenda;
    Map<String, Object> registration;
    Fixtures.Patient patient;
    Professionals.Login practitioner;
    String practitionerToken;
    JoseClient.Keys establishmentKeys;
    Browser patientBrowser;
    Browser practitionerBrowser;

    @BeforeEach
    void aPractitionerAPatientAndTheEstablishmentsKeys() {
        api = new Api(port);
        agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Professionals professionals = new Professionals(logins, transactions);
        practitioner = professionals.practitioner(
                agenda.practitioner().id(), agenda.establishment().id());
        practitionerToken = api.token(practitioner);
        String adminToken = api.token(professionals.staff(
                Role.ESTABLISHMENT_ADMIN, agenda.establishment().id()));
        establishmentKeys = JoseClient.Keys.generate();
        assertThat(api.post(BASE + "/keys/establishment", establishmentKeys.publication(), adminToken)
                        .status())
                .isEqualTo(200);
        registration = Fixtures.aRegistration();
        patient = Fixtures.registered(api, registration);
        patientBrowser = Browser.start(port);
    }

    @AfterEach
    void stopBrowsers() {
        if (patientBrowser != null) {
            patientBrowser.close();
        }
        if (practitionerBrowser != null) {
            practitionerBrowser.close();
        }
    }

    /** Makes the keys on /account/keys, the browser's user signed in beforehand: the kid this device shows. */
    static String createKeys(Browser browser) {
        browser.open("/account/keys");
        browser.waitUntil(ExpectedConditions.attributeToBe(By.id("e2e-keys"), "data-state", "none"));
        browser.click(By.id("create-keys"));
        browser.waitUntil(ExpectedConditions.attributeToBe(By.id("e2e-keys"), "data-state", "ready"));
        return browser.text(By.id("device-kid"));
    }
}
