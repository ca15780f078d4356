package org.carnet.notifications.web;

import java.util.Locale;
import org.carnet.identity.SignedIn;
import org.carnet.notifications.Channel;
import org.carnet.notifications.NotificationPreferences;
import org.carnet.notifications.Recipient;
import org.carnet.shared.Actor;
import org.carnet.shared.WebPage;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A patient's choices for the messages Carnet sends them besides the inbox: e-mail or SMS, French or
 * English, and whether they want appointment reminders.
 */
@WebPage
class NotificationSettingsPage {

    private final NotificationPreferences preferences;

    NotificationSettingsPage(NotificationPreferences preferences) {
        this.preferences = preferences;
    }

    @GetMapping("/me/notifications")
    String show(Model model) {
        Actor.Person patient = SignedIn.required();
        NotificationPreferences.Preferences chosen = preferences.of(Recipient.of(patient));
        model.addAttribute("channel", chosen.channel().name());
        model.addAttribute("language", chosen.language().getLanguage());
        model.addAttribute("reminders", chosen.reminders());
        return "notification-settings";
    }

    @PostMapping("/me/notifications")
    String save(
            @RequestParam String channel,
            @RequestParam String language,
            @RequestParam(defaultValue = "false") boolean reminders,
            RedirectAttributes redirect) {
        Actor.Person patient = SignedIn.required();
        if (!channel.equals("EMAIL") && !channel.equals("SMS") || !language.equals("fr") && !language.equals("en")) {
            return "redirect:/me/notifications";
        }
        preferences.set(
                Recipient.of(patient),
                new NotificationPreferences.Preferences(
                        Locale.forLanguageTag(language), Channel.valueOf(channel), reminders));
        redirect.addFlashAttribute("saved", true);
        return "redirect:/me/notifications";
    }
}
