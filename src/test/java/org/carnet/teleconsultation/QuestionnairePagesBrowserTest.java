package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.carnet.directory.Directory;
import org.carnet.directory.VisitMotive;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Browser;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.carnet.support.RequiresChromium;
import org.carnet.support.SignIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A practitioner defines a pre-consultation questionnaire on the page (no script), offers it for their
 * teleconsultation motive and takes it back; what the patient would be given changes accordingly. The
 * establishment's administrator sees it and every practitioner's teleconsultation motives; staff are
 * refused. French and English, 375 and 1280 px, axe-clean.
 */
@CarnetIntegrationTest
@RequiresChromium
class QuestionnairePagesBrowserTest {

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
    Questionnaires questionnaires;

    Fixtures.Agenda agenda;
    VisitMotive atTheOffice;
    Professionals professionals;
    Browser browser;

    @BeforeEach
    void aPractitionerWithATeleconsultationMotiveAndAnOfficeOne() {
        agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        atTheOffice = directory.addMotive(agenda.practitioner().id(), "Consultation au cabinet", 20, false);
        professionals = new Professionals(logins, transactions);
        browser = Browser.start(port);
    }

    @AfterEach
    void stopBrowser() {
        browser.close();
    }

    @Test
    void aPractitionerDefinesAQuestionnaireOffersItForTheirMotiveAndTakesItBack() {
        SignIn.professional(
                browser,
                professionals.practitioner(
                        agenda.practitioner().id(), agenda.establishment().id()));
        browser.open("/agenda");
        browser.clickToNewPage(By.id("questionnaires-link"));
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Questionnaires de préconsultation");
        assertThat(browser.text(By.id("no-questionnaires"))).isEqualTo("Aucun questionnaire pour l’instant.");
        browser.checkPage("questionnaires-empty");

        // Refused with reasons, what was typed kept: no title, a choice with one option, options on a number.
        browser.driver().findElement(By.id("q0-label")).sendKeys("Êtes-vous à jeun ?");
        new Select(browser.driver().findElement(By.id("q0-type"))).selectByValue("SINGLE_CHOICE");
        browser.driver().findElement(By.id("q0-options")).sendKeys("Oui");
        browser.driver().findElement(By.id("q1-label")).sendKeys("Votre poids en kilos");
        new Select(browser.driver().findElement(By.id("q1-type"))).selectByValue("NUMBER");
        browser.driver().findElement(By.id("q1-options")).sendKeys("80");
        browser.clickToNewPage(By.id("define"));
        assertThat(browser.text(By.id("title-error"))).isEqualTo("Donnez un titre (200 caractères au plus).");
        assertThat(browser.text(By.id("q0-options-error"))).startsWith("Un choix propose de 2 à 20 réponses");
        assertThat(browser.text(By.id("q1-options-error"))).startsWith("Seuls les choix uniques ou multiples");
        assertThat(browser.driver().findElement(By.id("q0-label")).getAttribute("value"))
                .isEqualTo("Êtes-vous à jeun ?");
        assertThat(browser.driver().findElement(By.id("q0-label")).getAttribute("aria-invalid"))
                .isNull();
        assertThat(browser.driver().findElement(By.id("q0-options")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        assertThat(questionnaires.forMotive(
                        agenda.establishment().id(), agenda.motive().id()))
                .isEmpty();
        browser.checkPage("questionnaires-refused");

        // Corrected, one more question on an added row, then made.
        browser.setValue("title", "Avant la téléconsultation");
        browser.driver().findElement(By.id("q0-options")).sendKeys("\nNon");
        browser.setValue("q1-options", "");
        browser.driver().findElement(By.id("q1-required")).click();
        browser.clickToNewPage(By.id("more-rows"));
        assertThat(browser.driver().findElements(By.cssSelector("fieldset.question-row")))
                .hasSize(6);
        assertThat(browser.driver().findElement(By.id("title")).getAttribute("value"))
                .isEqualTo("Avant la téléconsultation");
        browser.driver().findElement(By.id("q4-label")).sendKeys("Vos symptômes");
        browser.clickToNewPage(By.id("define"));
        assertThat(browser.text(By.id("notice"))).isEqualTo("Questionnaire créé.");
        WebElement listed = browser.visible(By.cssSelector("section.questionnaire"));
        assertThat(listed.findElement(By.tagName("h2")).getText()).isEqualTo("Avant la téléconsultation");
        assertThat(listed.getText()).contains("Créé par vous", "Proposé pour aucun motif.");

        // Offered for the teleconsultation motive only: the office motive is not a choice.
        List<String> offered = new Select(listed.findElement(By.tagName("select")))
                .getOptions().stream().map(WebElement::getText).toList();
        assertThat(offered).containsExactly("Consultation de test");
        browser.clickToNewPage(By.cssSelector("form.attach button"));
        assertThat(browser.text(By.id("notice"))).isEqualTo("Questionnaire proposé pour ce motif.");
        List<Questionnaire> given = questionnaires.forMotive(
                agenda.establishment().id(), agenda.motive().id());
        assertThat(given).hasSize(1);
        assertThat(given.get(0).title()).isEqualTo("Avant la téléconsultation");
        assertThat(given.get(0).practitionerId())
                .isEqualTo(agenda.practitioner().id());
        assertThat(given.get(0).questions())
                .containsExactly(
                        new Question(
                                "q1", Question.Type.SINGLE_CHOICE, "Êtes-vous à jeun ?", false, List.of("Oui", "Non")),
                        new Question("q2", Question.Type.NUMBER, "Votre poids en kilos", true, List.of()),
                        new Question("q3", Question.Type.FREE_TEXT, "Vos symptômes", false, List.of()));
        assertThat(questionnaires.forMotive(agenda.establishment().id(), atTheOffice.id()))
                .isEmpty();
        browser.checkPage("questionnaires-attached");

        browser.open("/agenda/questionnaires?lang=en");
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Pre-consultation questionnaires");
        assertThat(browser.text(By.cssSelector("section.questionnaire ol"))).contains("Single choice", "Required");
        browser.checkPage("questionnaires-en");
        browser.clickToNewPage(By.cssSelector("button.detach"));
        assertThat(browser.text(By.id("notice")))
                .isEqualTo("Questionnaire removed from this reason. Answers already given stay.");
        assertThat(questionnaires.forMotive(
                        agenda.establishment().id(), agenda.motive().id()))
                .isEmpty();
    }

    @Test
    void theAdministratorOffersAPractitionersQuestionnaireAndStaffAreRefused() {
        Professionals.Login practitioner = professionals.practitioner(
                agenda.practitioner().id(), agenda.establishment().id());
        PageClient asPractitioner = new PageClient(port);
        asPractitioner.signIn(practitioner.email(), practitioner.password(), practitioner.totpSecret());
        PageClient.Page made = asPractitioner.post(
                "/agenda/questionnaires",
                Map.of("title", "Suivi", "q0.label", "Comment allez-vous ?", "q0.type", "FREE_TEXT"));
        assertThat(made.status()).isEqualTo(302);

        SignIn.professional(
                browser,
                professionals.staff(
                        Role.ESTABLISHMENT_ADMIN, agenda.establishment().id()));
        browser.open("/establishment");
        browser.clickToNewPage(By.id("manage-questionnaires"));
        WebElement listed = browser.visible(By.cssSelector("section.questionnaire"));
        assertThat(listed.getText()).contains("Suivi", "Créé par un praticien de l’établissement");
        List<String> offered = new Select(listed.findElement(By.tagName("select")))
                .getOptions().stream().map(WebElement::getText).toList();
        assertThat(offered)
                .containsExactly(
                        "Consultation de test — " + agenda.practitioner().displayName());
        browser.clickToNewPage(By.cssSelector("form.attach button"));
        assertThat(browser.text(By.id("notice"))).isEqualTo("Questionnaire proposé pour ce motif.");
        assertThat(questionnaires.forMotive(
                        agenda.establishment().id(), agenda.motive().id()))
                .extracting(Questionnaire::title)
                .containsExactly("Suivi");
        browser.checkPage("questionnaires-admin");

        // Staff see agendas but define nothing: refused, and nothing is made.
        Professionals.Login staff =
                professionals.staff(Role.STAFF, agenda.establishment().id());
        PageClient asStaff = new PageClient(port);
        asStaff.signIn(staff.email(), staff.password(), staff.totpSecret());
        assertThat(asStaff.get("/agenda/questionnaires").status()).isEqualTo(403);
        assertThat(asStaff.post(
                                "/agenda/questionnaires",
                                Map.of("title", "Intrus", "q0.label", "Question", "q0.type", "FREE_TEXT"))
                        .status())
                .isEqualTo(403);
        assertThat(asPractitioner.get("/establishment/questionnaires").status()).isEqualTo(403);
    }
}
