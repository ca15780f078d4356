package org.carnet.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every text of the pages and messages exists in French and in English: a missing one shows its key. */
class MessageBundlesTest {

    @ParameterizedTest
    @ValueSource(strings = {"messages", "accesslog", "exports", "e2e", "privacy"})
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
