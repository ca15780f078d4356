package org.carnet.notifications.internal;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.client.RestClient;

/**
 * Chooses where outgoing messages go: e-mail to the SMTP server of {@code spring.mail.host} when it is
 * set, else to the outbox folder; SMS to the provider of {@code carnet.sms.provider}.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties({OutboxProperties.class, MailProperties.class})
class OutgoingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OutgoingConfiguration.class);

    @Bean
    MailTransport mailTransport(
            ObjectProvider<JavaMailSender> smtp, MimeMessages messages, MailProperties properties, DkimSigning dkim) {
        JavaMailSender sender = smtp.getIfAvailable();
        String signing = dkim.enabled() ? ", DKIM-signed" : ", not DKIM-signed";
        if (sender instanceof JavaMailSenderImpl impl) {
            log.info("Outgoing e-mail through SMTP at {}:{}{}", impl.getHost(), impl.getPort(), signing);
            return new SmtpMailTransport(impl, messages);
        }
        log.info(
                "Outgoing e-mail written as .eml files to {} (set spring.mail.host to send it){}",
                properties.folder().toAbsolutePath(),
                signing);
        return new FolderMailTransport(properties.folder(), messages);
    }

    @Bean
    SmsProvider smsProvider(
            @Value("${carnet.sms.provider:log}") String provider,
            @Value("${carnet.sms.http.url:}") String url,
            @Value("${carnet.sms.http.api-key:}") String apiKey,
            MailProperties mail) {
        return switch (provider) {
            case "log" -> new LoggingSmsProvider(mail.folder());
            case "http" -> new HttpSmsProvider(RestClient.builder(), uri(url), apiKey);
            default -> throw new IllegalStateException("carnet.sms.provider is 'log' or 'http'");
        };
    }

    private static URI uri(@Nullable String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("carnet.sms.http.url is required with carnet.sms.provider=http");
        }
        return URI.create(url);
    }
}
