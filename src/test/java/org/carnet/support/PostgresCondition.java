package org.carnet.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables PostgreSQL tests where a server answers; under CI they always run, so a missing server fails them. */
final class PostgresCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (CiEnvironment.isCi()) {
            return ConditionEvaluationResult.enabled("CI=true: PostgreSQL tests are required");
        }
        if (TestDatabase.postgresReachable()) {
            return ConditionEvaluationResult.enabled("PostgreSQL reachable at " + TestDatabase.PG_SERVER);
        }
        String reason = "SKIPPED: PostgreSQL not reachable at " + TestDatabase.PG_SERVER
                + " (set CARNET_TEST_PG_URL; required under CI)";
        System.out.println(reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
