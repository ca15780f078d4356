package org.carnet.notifications.internal;

import java.util.UUID;

/**
 * Where SMS go: {@code carnet.sms.provider=log} (development: written to the outbox folder, the log
 * shows only the number's last two digits) or {@code http} (a provider's HTTP API, see {@link
 * HttpSmsProvider}).
 */
interface SmsProvider {

    /**
     * Sends one SMS; the outbox id is passed as the provider's reference, so that a provider that
     * deduplicates by reference drops a copy sent again after a lost acknowledgement.
     *
     * @throws Exception when the SMS may not have left; the outbox tries again later
     */
    void send(UUID id, String phone, String text) throws Exception;

    /** A phone number as the log may show it: its last two digits. */
    static String masked(String phone) {
        String digits = phone.replaceAll("[^0-9]", "");
        return "••••••••" + (digits.length() >= 2 ? digits.substring(digits.length() - 2) : "");
    }
}
