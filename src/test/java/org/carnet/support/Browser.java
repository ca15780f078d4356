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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Debian Chromium on one running Carnet, driven through its own chromedriver (Selenium
 * Manager never downloads anything), and the few things every browser test does with it: open a
 * page, click, read a text, each waiting for the page rather than for time to pass.
 */
public final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final WebDriver driver;
    private final String base;
    private final WebDriverWait wait;

    private Browser(WebDriver driver, String base) {
        this.driver = driver;
        this.base = base;
        this.wait = new WebDriverWait(driver, PATIENCE);
    }

    /** A fresh browser with its own throw-away profile, 1280×1000, on Carnet at this local port. */
    public static Browser start(int port) {
        return start(port, new String[0]);
    }

    /** The same, with more Chromium switches (a fake camera for the video tests, say). */
    public static Browser start(int port, String... moreArguments) {
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
            options.addArguments(moreArguments);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            return new Browser(driver, "http://localhost:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The driver itself, for what these helpers do not cover. */
    public WebDriver driver() {
        return driver;
    }

    /** The full address of a path on this Carnet. */
    public String url(String path) {
        return base + path;
    }

    /** Goes to a path and waits for a whole Carnet page (its footer). */
    public void open(String path) {
        visit(path);
        waitUntil(ExpectedConditions.presenceOfElementLocated(By.tagName("footer")));
    }

    /** Goes to a path without waiting for any particular page: for one that redirects. */
    public void visit(String path) {
        driver.get(url(path));
    }

    public void click(By by) {
        waitUntil(ExpectedConditions.elementToBeClickable(by)).click();
    }

    /**
     * Clicks what submits a form or follows a link, and waits until the page it was on has been replaced
     * (so that what is read next is the new page's, not an element of the old one with the same id).
     */
    public void clickToNewPage(By by) {
        WebElement before = driver.findElement(By.tagName("footer"));
        click(by);
        waitUntilGone(before);
        waitUntil(ExpectedConditions.presenceOfElementLocated(By.tagName("footer")));
    }

    /** The text of an element, once it is visible. */
    public String text(By by) {
        return visible(by).getText();
    }

    public WebElement visible(By by) {
        return waitUntil(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Sets a field's value as a date or time picker would, without typing. */
    public void setValue(String id, String value) {
        ((JavascriptExecutor) driver)
                .executeScript("arguments[0].value = arguments[1]", driver.findElement(By.id(id)), value);
    }

    /** Waits (up to half a minute) for the condition and returns what it found. */
    public <T> T waitUntil(ExpectedCondition<T> condition) {
        return wait.until(condition);
    }

    /**
     * Waits until an element has left the page (its page was replaced). Chromium sometimes reports a
     * node of a page being replaced as "does not belong to the document" rather than as stale, which
     * Selenium's {@code stalenessOf} does not count as gone.
     */
    public void waitUntilGone(WebElement element) {
        wait.until(d -> {
            try {
                element.isEnabled();
                return false;
            } catch (org.openqa.selenium.WebDriverException e) {
                return true;
            }
        });
    }

    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /**
     * Checks the current page the way every browser test must: axe-core finds no serious or critical
     * violation, the page fits 375 px without scrolling sideways, and screenshots at 375 px and 1280 px
     * are kept as target/screenshots/{name}-375px.png and {name}-1280px.png. Leaves the window at 1280 px.
     */
    public void checkPage(String name) {
        Axe.check(driver, name);
        resize(375, 900);
        Object width = ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollWidth");
        screenshot(name + "-375px");
        resize(1280, 1000);
        screenshot(name + "-1280px");
        if (((Number) width).intValue() > 375) {
            resize(375, 900);
            Object culprit = ((JavascriptExecutor) driver)
                    .executeScript("var found = []; document.querySelectorAll('body *').forEach(function (e) {"
                            + " var clipped = false; for (var p = e.parentElement; p; p = p.parentElement) {"
                            + " if (getComputedStyle(p).overflowX !== 'visible') { clipped = true; } }"
                            + " if (getComputedStyle(e).position === 'absolute') { clipped = false; }"
                            + " if (!clipped && e.getBoundingClientRect().right > 376) {"
                            + " found.push(e.tagName + '#' + e.id + '.' + e.className); } });"
                            + " return found.slice(0, 5).join(', ') || 'none';");
            resize(1280, 1000);
            throw new AssertionError(name + " is wider than 375 px: " + width + " px, first too wide: " + culprit);
        }
    }

    /** Saves a PNG of the current page as target/screenshots/{name}.png. */
    public Path screenshot(String name) {
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

    @Override
    public void close() {
        driver.quit();
    }
}
