package org.carnet.support;

import java.nio.file.Files;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables tests that need nginx where it is installed; under CI they always run. */
final class NginxCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (CiEnvironment.isCi()) {
            return ConditionEvaluationResult.enabled("CI=true: nginx tests are required");
        }
        if (Files.isExecutable(Nginx.NGINX)) {
            return ConditionEvaluationResult.enabled("nginx found at " + Nginx.NGINX);
        }
        String reason = "SKIPPED: test needs " + Nginx.NGINX + " (apt-get install nginx; required under CI)";
        System.out.println(reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
