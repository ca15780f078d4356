package org.carnet.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every text of the pages and messages exists in French and in English: a missing one shows its key. And no
 * key is defined in two of the bundles Spring reads: the first would silently win, and a page would show
 * another page's words (the breach register once showed the patient registration's heading).
 */
class MessageBundlesTest {

    /** The bundles, as {@code spring.messages.basename} in application.yml lists them. */
    static List<String> bundles() throws IOException {
        String yaml = Files.readString(Path.of("src/main/resources/application.yml"));
        Matcher basename = Pattern.compile("basename:\\s*([\\w,]+)").matcher(yaml);
        assertThat(basename.find()).as("spring.messages.basename").isTrue();
        return List.of(basename.group(1).split(","));
    }

    @Test
    void noKeyIsDefinedInTwoBundles() throws IOException {
        List<String> bundles = bundles();
        assertThat(bundles).hasSizeGreaterThan(1);
        for (String suffix : List.of(".properties", "_en.properties")) {
            Map<String, String> owner = new HashMap<>();
            List<String> twice = new ArrayList<>();
            for (String bundle : bundles) {
                for (String key : keys(bundle + suffix)) {
                    String first = owner.putIfAbsent(key, bundle);
                    if (first != null) {
                        twice.add(key + " in " + first + " and " + bundle);
                    }
                }
            }
            assertThat(twice).as("keys defined twice (%s)", suffix).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("bundles")
    void eachBundleHasTheSameKeysInBothLanguages(String bundle) throws IOException {
        Set<String> french = keys(bundle + ".properties");
        Set<String> english = keys(bundle + "_en.properties");

        assertThat(french).isNotEmpty();
        assertThat(difference(french, english)).as("%s: in French only", bundle).isEmpty();
        assertThat(difference(english, french))
                .as("%s: in English only", bundle)
                .isEmpty();
    }

    private static Set<String> keys(String resource) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = MessageBundlesTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return new TreeSet<>(properties.stringPropertyNames());
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> only = new TreeSet<>(a);
        only.removeAll(b);
        return only;
    }
}
