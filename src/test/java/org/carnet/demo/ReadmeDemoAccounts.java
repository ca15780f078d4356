package org.carnet.demo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.carnet.support.Api;
import org.carnet.support.TotpCodes;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;

/** The accounts the README publishes, tried on the API as anyone who read it would. */
final class ReadmeDemoAccounts {

    record Account(String email, String password, @Nullable String totpSecret) {}

    static final List<Account> ALL = List.of(
            new Account(DemoAccounts.PATIENT_EMAIL, DemoAccounts.PATIENT_PASSWORD, null),
            new Account(
                    DemoAccounts.PRACTITIONER_EMAIL,
                    DemoAccounts.PRACTITIONER_PASSWORD,
                    DemoAccounts.PRACTITIONER_TOTP),
            new Account(DemoAccounts.STAFF_EMAIL, DemoAccounts.STAFF_PASSWORD, DemoAccounts.STAFF_TOTP),
            new Account(DemoAccounts.ADMIN_EMAIL, DemoAccounts.ADMIN_PASSWORD, DemoAccounts.ADMIN_TOTP),
            new Account(
                    DemoAccounts.SECURITY_OFFICER_EMAIL,
                    DemoAccounts.SECURITY_OFFICER_PASSWORD,
                    DemoAccounts.SECURITY_OFFICER_TOTP));

    private ReadmeDemoAccounts() {}

    /** The status of a token request with the account's published password (and current code). */
    static int signIn(Api api, Account account) {
        Map<String, Object> body = new HashMap<>(Map.of("email", account.email(), "password", account.password()));
        if (account.totpSecret() != null) {
            body.put("otp", TotpCodes.now(account.totpSecret()));
        }
        return api.post("/api/v1/auth/token", body, null).status();
    }

    static Api api(ConfigurableApplicationContext context) {
        return new Api(port(context));
    }

    static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "0"));
    }
}
