package org.carnet.support;

import java.nio.file.Files;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables tests that need gpg where it is installed; under CI they always run. */
final class GpgCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (CiEnvironment.isCi()) {
            return ConditionEvaluationResult.enabled("CI=true: gpg tests are required");
        }
        if (Files.isExecutable(Gpg.GPG)) {
            return ConditionEvaluationResult.enabled("gpg found at " + Gpg.GPG);
        }
        String reason = "SKIPPED: test needs " + Gpg.GPG + " (apt-get install gnupg; required under CI)";
        System.out.println(reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
