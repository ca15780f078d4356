package org.carnet.notifications.web;

import java.util.Locale;
import java.util.Optional;
import org.carnet.notifications.MessageText;
import org.carnet.notifications.internal.VerificationCodes;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /verifier}, public: anyone who received an e-mail or SMS that claims to be Carnet's types its
 * verification code and learns whether Carnet sent a message with that code, when and of what kind,
 * and nothing else. The code is posted, never put in an address; the page shares the sign-in rate
 * limit per address.
 */
@WebPage
class VerifierPage {

    /** What the page says about the code typed. */
    record Outcome(
            String state, @Nullable String kind, @Nullable String sentAt) {}

    private final VerificationCodes codes;
    private final MessageText text;

    VerifierPage(VerificationCodes codes, MessageText text) {
        this.codes = codes;
        this.text = text;
    }

    @GetMapping("/verifier")
    String form() {
        return "verifier";
    }

    @PostMapping("/verifier")
    String check(@RequestParam(name = "code", defaultValue = "") String code, Model model) {
        Locale locale = LocaleContextHolder.getLocale();
        Optional<VerificationCodes.Verified> verified = code.length() > 40 ? Optional.empty() : codes.check(code);
        Outcome outcome = verified.map(v -> new Outcome(
                        v.expired() ? "expired" : "sent",
                        text.say("verifier.kind." + v.kind(), locale),
                        text.dateTime(v.sentAt(), locale)))
                .orElse(new Outcome("unknown", null, null));
        model.addAttribute("outcome", outcome);
        return "verifier";
    }
}
