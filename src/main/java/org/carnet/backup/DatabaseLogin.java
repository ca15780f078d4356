package org.carnet.backup;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.springframework.core.env.Environment;

/**
 * The database and the role a backup or a restore runs as: the tables' owner, the one that runs
 * migrations ({@code spring.flyway.url}, {@code .user}, {@code .password}), falling back on Carnet's
 * own datasource when there is no separate owner (the embedded H2).
 */
record DatabaseLogin(String url, String user, String password) {

    static DatabaseLogin of(Environment environment) {
        String url =
                environment.getProperty("spring.flyway.url", environment.getRequiredProperty("spring.datasource.url"));
        String user = environment.getProperty(
                "spring.flyway.user", environment.getProperty("spring.datasource.username", ""));
        String password = environment.getProperty(
                "spring.flyway.password", environment.getProperty("spring.datasource.password", ""));
        return new DatabaseLogin(url, user, password);
    }

    boolean postgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    boolean h2() {
        return url.startsWith("jdbc:h2:");
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    @Override
    public String toString() {
        return "DatabaseLogin[" + url + ", " + user + "]";
    }
}
