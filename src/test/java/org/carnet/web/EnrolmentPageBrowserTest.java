package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.carnet.support.Browser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The enrolment page a new login's owner opens with their one-time code: accessible, and a code that
 * is not valid gets its message next to the field (the whole enrolment is {@code
 * AdminBootstrapIntegrationTest}). Shares the passkey tests' application context.
 */
class EnrolmentPageBrowserTest extends PasskeyPages {

    Browser browser;

    @BeforeEach
    void startBrowser() {
        browser = Browser.start(PORT);
    }

    @AfterEach
    void stopBrowser() {
        browser.close();
    }

    @Test
    void aCodeThatIsNotValidIsRefusedNextToItsField() {
        browser.open("/enrol");
        browser.checkPage("69-enrol");
        browser.visible(By.id("code")).sendKeys("ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23");
        browser.driver().findElement(By.id("password")).sendKeys("a long synthetic enrolment password");
        browser.click(By.id("enrol-submit"));
        assertThat(browser.visible(By.id("code-error")).getText()).isNotBlank();
        assertThat(browser.driver().getCurrentUrl()).endsWith("/enrol");
        browser.checkPage("70-enrol-refused");
    }
}
