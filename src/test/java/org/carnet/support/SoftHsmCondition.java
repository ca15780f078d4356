package org.carnet.support;

import java.nio.file.Files;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables tests that need SoftHSM v2 where it is installed; under CI they always run. */
final class SoftHsmCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (CiEnvironment.isCi()) {
            return ConditionEvaluationResult.enabled("CI=true: SoftHSM tests are required");
        }
        if (Files.isRegularFile(SoftHsm.LIBRARY) && Files.isExecutable(SoftHsm.UTIL)) {
            return ConditionEvaluationResult.enabled("softhsm2 found at " + SoftHsm.LIBRARY);
        }
        String reason = "SKIPPED: test needs " + SoftHsm.LIBRARY + " (apt-get install softhsm2; required under CI)";
        System.out.println(reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
