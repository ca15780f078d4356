package org.carnet.support;

import java.nio.file.Files;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables tests that need coturn where it is installed; under CI they always run. */
final class CoturnCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (CiEnvironment.isCi()) {
            return ConditionEvaluationResult.enabled("CI=true: coturn tests are required");
        }
        if (Files.isExecutable(Coturn.TURNSERVER)) {
            return ConditionEvaluationResult.enabled("coturn found at " + Coturn.TURNSERVER);
        }
        String reason = "SKIPPED: test needs " + Coturn.TURNSERVER + " (apt-get install coturn; required under CI)";
        System.out.println(reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
