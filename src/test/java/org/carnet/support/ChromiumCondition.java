package org.carnet.support;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables browser tests where Chromium and its driver are installed; under CI they always run. */
final class ChromiumCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (CiEnvironment.isCi()) {
            return ConditionEvaluationResult.enabled("CI=true: browser tests are required");
        }
        if (Files.isExecutable(Browser.CHROMIUM) && Files.isExecutable(Browser.CHROMEDRIVER)) {
            return ConditionEvaluationResult.enabled("Chromium found at " + Browser.CHROMIUM);
        }
        String reason = "SKIPPED: browser test needs " + missing()
                + " (apt-get install chromium chromium-driver; required under CI)";
        System.out.println(reason);
        return ConditionEvaluationResult.disabled(reason);
    }

    private static String missing() {
        StringBuilder missing = new StringBuilder();
        for (Path path : new Path[] {Browser.CHROMIUM, Browser.CHROMEDRIVER}) {
            if (!Files.isExecutable(path)) {
                missing.append(missing.length() == 0 ? "" : " and ").append(path);
            }
        }
        return missing.toString();
    }
}
