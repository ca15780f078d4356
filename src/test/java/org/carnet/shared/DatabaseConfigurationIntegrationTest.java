package org.carnet.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.core.BaseConnection;
import org.springframework.beans.factory.annotation.Autowired;

@CarnetIntegrationTest
class DatabaseConfigurationIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void onPostgresqlABatchOfInsertsGoesAsMultiRowStatements() throws SQLException {
        assumeTrue(TestDatabase.postgresRun(), "a PostgreSQL driver option: runs with -Ppostgres");
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection
                            .unwrap(BaseConnection.class)
                            .getQueryExecutor()
                            .isReWriteBatchedInsertsEnabled())
                    .isTrue();
        }
    }
}
