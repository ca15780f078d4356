package org.carnet.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Runs axe-core (the WebJar {@code org.webjars.npm:axe-core}, resolved by Maven at build time) on the
 * current page. The script is injected through WebDriver, which the page's Content-Security-Policy
 * does not govern, so the site itself never serves it.
 */
public final class Axe {

    private static final String WEBJAR = "META-INF/resources/webjars/axe-core/";
    private static volatile String source;

    private Axe() {}

    /**
     * The serious and critical violations on the current page, as "rule: help [selectors]". Only rule
     * ids and CSS selectors are reported, never the page's text, so no personal data reaches the output.
     */
    @SuppressWarnings("unchecked")
    public static List<String> seriousViolations(WebDriver driver) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe !== 'undefined'"))) {
            js.executeScript(source());
        }
        Object result = js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                window.axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' ['
                        + v.nodes.map(n => n.target.join(' ')).join(', ') + ']')))
                  .catch(e => done(['axe failed: ' + e]));
                """);
        return (List<String>) result;
    }

    /** Fails with the list of serious and critical violations on the current page, if any. */
    public static void check(WebDriver driver, String page) {
        assertThat(seriousViolations(driver))
                .as("axe-core serious or critical violations on %s", page)
                .isEmpty();
    }

    private static String source() {
        if (source == null) {
            source = read(WEBJAR + version() + "/axe.min.js");
        }
        return source;
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = resource("META-INF/maven/org.webjars.npm/axe-core/pom.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    private static String read(String path) {
        try (InputStream in = resource(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = Axe.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("axe-core WebJar missing from the test class path: " + path);
        }
        return in;
    }
}
