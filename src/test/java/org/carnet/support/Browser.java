package org.carnet.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A headless Debian Chromium driven through its own chromedriver; Selenium Manager never downloads anything. */
public final class Browser {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private Browser() {}

    /** A fresh browser with its own throw-away profile, 1280×1000. */
    public static WebDriver start() {
        try {
            Path profile = Files.createTempDirectory("carnet-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-dev-shm-usage",
                    "--window-size=1280,1000",
                    "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            return driver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Signs in on the pages: e-mail and password, then (for an account with a second factor) the code
     * computed from its secret, moving to the next time step if this one's code was already used.
     */
    public static void signIn(WebDriver driver, String baseUrl, String email, String password, String totpSecret) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        driver.get(baseUrl + "/login");
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        if (totpSecret == null) {
            wait.until(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));
            return;
        }
        enterSecondFactor(driver, totpSecret);
    }

    /**
     * On the code page, types the code computed from the secret; a code is accepted once, so if this
     * step's code was already used, waits for the next step and types its code.
     */
    public static void enterSecondFactor(WebDriver driver, String totpSecret) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(40));
        wait.until(ExpectedConditions.urlContains("/login/code"));
        long step = TotpCodes.step();
        driver.findElement(By.id("code")).sendKeys(TotpCodes.now(totpSecret));
        driver.findElement(By.id("code-submit")).click();
        wait.until(ExpectedConditions.or(
                ExpectedConditions.not(ExpectedConditions.urlContains("/login")),
                ExpectedConditions.presenceOfElementLocated(By.id("code-error"))));
        if (!driver.findElements(By.id("code-error")).isEmpty()) {
            TotpCodes.awaitNextStep(step);
            driver.findElement(By.id("code")).clear();
            driver.findElement(By.id("code")).sendKeys(TotpCodes.now(totpSecret));
            driver.findElement(By.id("code-submit")).click();
            wait.until(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));
        }
    }

    /**
     * Checks the current page the way every browser test must: axe-core finds no serious or critical
     * violation, the page fits 375 px without scrolling sideways, and screenshots at 375 px and 1280 px
     * are kept as target/screenshots/{name}-375px.png and {name}-1280px.png. Leaves the window at 1280 px.
     */
    public static void checkPage(WebDriver driver, String name) {
        Axe.check(driver, name);
        driver.manage().window().setSize(new Dimension(375, 900));
        Object width = ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollWidth");
        screenshot(driver, name + "-375px");
        driver.manage().window().setSize(new Dimension(1280, 1000));
        screenshot(driver, name + "-1280px");
        if (((Number) width).intValue() > 375) {
            driver.manage().window().setSize(new Dimension(375, 900));
            Object culprit = ((JavascriptExecutor) driver)
                    .executeScript("var found = []; document.querySelectorAll('body *').forEach(function (e) {"
                            + " var clipped = false; for (var p = e.parentElement; p; p = p.parentElement) {"
                            + " if (getComputedStyle(p).overflowX !== 'visible') { clipped = true; } }"
                            + " if (getComputedStyle(e).position === 'absolute') { clipped = false; }"
                            + " if (!clipped && e.getBoundingClientRect().right > 376) {"
                            + " found.push(e.tagName + '#' + e.id + '.' + e.className); } });"
                            + " return found.slice(0, 5).join(', ') || 'none';");
            driver.manage().window().setSize(new Dimension(1280, 1000));
            throw new AssertionError(name + " is wider than 375 px: " + width + " px, first too wide: " + culprit);
        }
    }

    /** Saves a PNG of the current page as target/screenshots/{name}.png. */
    public static Path screenshot(WebDriver driver, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(target, png);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
