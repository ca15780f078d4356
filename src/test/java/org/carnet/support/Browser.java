package org.carnet.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

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
            throw new AssertionError(name + " is wider than 375 px: " + width + " px");
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
