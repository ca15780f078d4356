package org.carnet.demo;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Whether this Carnet runs with the demo data, whose accounts' passwords and second-factor secrets
 * are published in the README. On by default only on the embedded H2 database (a local try-out); on
 * any other database only when {@code carnet.demo.enabled} says so, and then every page says it (the
 * layout asks {@code @demoMode.bannerShown()}) and the log warns at start.
 */
@Component("demoMode")
@EnableConfigurationProperties(DemoProperties.class)
public class DemoMode {

    private final boolean enabled;
    private final boolean embedded;

    DemoMode(DemoProperties properties, @Value("${spring.datasource.url:}") String datasourceUrl) {
        this.embedded = datasourceUrl.startsWith("jdbc:h2:");
        Boolean explicit = properties.enabled();
        this.enabled = explicit != null ? explicit : embedded;
    }

    /** Whether the demo directory and accounts are seeded. */
    public boolean enabled() {
        return enabled;
    }

    /** Demo accounts on a server database: every page carries a banner saying so. */
    public boolean bannerShown() {
        return enabled && !embedded;
    }
}
