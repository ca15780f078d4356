package org.carnet.audit;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the audit log is witnessed outside the database.
 *
 * @param directory a directory the database (and its administrators) cannot reach; unset, the
 *     embedded demo uses {@code ${carnet.data-dir}/audit-witness} and any other database has no
 *     witness (said loudly at start and by every verification)
 * @param node this node's name in its position file ({@code node-NAME.positions}); distinct per node
 */
@ConfigurationProperties("carnet.audit.witness")
record WitnessProperties(
        @Nullable Path directory, @DefaultValue("local") String node) {

    WitnessProperties {
        if (!node.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException(
                    "carnet.audit.witness.node must be 1 to 64 letters, digits, dots, dashes or underscores");
        }
    }
}
