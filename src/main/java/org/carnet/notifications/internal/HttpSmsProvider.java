package org.carnet.notifications.internal;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * SMS through a provider's HTTP API ({@code carnet.sms.provider=http}): one {@code POST} to
 * {@code carnet.sms.http.url} per SMS, JSON {@code {"to": "+33…", "text": "…", "reference": "<outbox
 * id>"}}, with {@code Authorization: Bearer <carnet.sms.http.api-key>} (set it from the environment,
 * {@code CARNET_SMS_HTTP_API_KEY}, never in a file). Any 2xx answer is a delivery; anything else, or no
 * answer, is a failure the outbox retries with the same reference. A provider whose API differs gets
 * its own class implementing {@link SmsProvider}.
 */
class HttpSmsProvider implements SmsProvider {

    private final RestClient client;
    private final URI url;

    HttpSmsProvider(RestClient.Builder builder, URI url, String apiKey) {
        if (apiKey.isBlank()) {
            throw new IllegalStateException(
                    "carnet.sms.http.api-key (CARNET_SMS_HTTP_API_KEY) is required with carnet.sms.provider=http");
        }
        this.url = url;
        this.client = builder.defaultHeader("Authorization", "Bearer " + apiKey).build();
    }

    @Override
    public void send(UUID id, String phone, String text) {
        client.post()
                .uri(url)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("to", phone, "text", text, "reference", id.toString()))
                .retrieve()
                .toBodilessEntity();
    }

    @Override
    public String toString() {
        return "HttpSmsProvider[" + url.getHost() + "]";
    }
}
