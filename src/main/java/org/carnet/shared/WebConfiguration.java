package org.carnet.shared;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.AcceptHeaderLocaleResolver;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * The language of the pages: French unless the visitor chose English with {@code ?lang=en}, a
 * choice remembered in a cookie. The API keeps following Accept-Language.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    static final List<Locale> SUPPORTED = List.of(Locale.FRENCH, Locale.ENGLISH);

    @Bean
    LocaleResolver localeResolver() {
        return new PageLocaleResolver();
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor interceptor = new LocaleChangeInterceptor();
        interceptor.setParamName("lang");
        interceptor.setIgnoreInvalidLocale(true);
        registry.addInterceptor(interceptor).excludePathPatterns("/api/**");
    }

    /** French or English only: anything else (a crafted cookie or parameter) reads as French. */
    static Locale supported(@Nullable Locale locale) {
        if (locale == null) {
            return Locale.FRENCH;
        }
        return SUPPORTED.stream()
                .filter(s -> s.getLanguage().equals(locale.getLanguage()))
                .findFirst()
                .orElse(Locale.FRENCH);
    }

    static final class PageLocaleResolver implements LocaleResolver {

        private final CookieLocaleResolver pages = new CookieLocaleResolver("carnet-lang");
        private final AcceptHeaderLocaleResolver api = new AcceptHeaderLocaleResolver();

        PageLocaleResolver() {
            pages.setDefaultLocale(Locale.FRENCH);
            pages.setCookieMaxAge(Duration.ofDays(365));
            pages.setCookieHttpOnly(true);
            pages.setCookieSameSite("Lax");
            api.setSupportedLocales(SUPPORTED);
            api.setDefaultLocale(Locale.FRENCH);
        }

        @Override
        public Locale resolveLocale(HttpServletRequest request) {
            if (request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
                return api.resolveLocale(request);
            }
            return supported(pages.resolveLocale(request));
        }

        @Override
        public void setLocale(
                HttpServletRequest request, @Nullable HttpServletResponse response, @Nullable Locale locale) {
            pages.setLocale(request, response, supported(locale));
        }
    }
}
