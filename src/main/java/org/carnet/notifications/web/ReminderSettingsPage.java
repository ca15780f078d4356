package org.carnet.notifications.web;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.carnet.identity.SignedIn;
import org.carnet.notifications.ReminderSettings;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The establishment administrator's choice of when patients are reminded of their appointments: a
 * first and an optional second reminder, in hours before the start (half hours allowed).
 */
@WebPage
class ReminderSettingsPage {

    private final ReminderSettings settings;

    ReminderSettingsPage(ReminderSettings settings) {
        this.settings = settings;
    }

    @GetMapping("/establishment/reminders")
    String show(Model model) {
        List<Duration> offsets = settings.of(establishment());
        model.addAttribute("first", hours(offsets.get(0)));
        model.addAttribute("second", offsets.size() > 1 ? hours(offsets.get(1)) : "");
        return "establishment-reminders";
    }

    @PostMapping("/establishment/reminders")
    String save(
            @RequestParam(defaultValue = "") String first,
            @RequestParam(defaultValue = "") String second,
            Model model,
            RedirectAttributes redirect) {
        Duration firstOffset = parse(first);
        Duration secondOffset = second.isBlank() ? null : parse(second);
        try {
            if (firstOffset == null || (!second.isBlank() && secondOffset == null)) {
                throw new IllegalArgumentException("not a number of hours");
            }
            settings.set(establishment(), firstOffset, secondOffset);
        } catch (IllegalArgumentException e) {
            model.addAttribute("first", first);
            model.addAttribute("second", second);
            model.addAttribute("error", true);
            return "establishment-reminders";
        }
        redirect.addFlashAttribute("saved", true);
        return "redirect:/establishment/reminders";
    }

    private static UUID establishment() {
        return SignedIn.required().professionalEstablishmentId();
    }

    private static @Nullable Duration parse(String hours) {
        try {
            BigDecimal value = new BigDecimal(hours.trim().replace(',', '.'));
            return Duration.ofMinutes(value.multiply(BigDecimal.valueOf(60)).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static String hours(Duration offset) {
        return BigDecimal.valueOf(offset.toMinutes())
                .divide(BigDecimal.valueOf(60))
                .stripTrailingZeros()
                .toPlainString();
    }
}
