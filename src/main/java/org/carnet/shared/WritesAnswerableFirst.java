package org.carnet.shared;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A write to the API whose answer could not be given in a media type the client accepts is refused
 * (406) before it is done. Otherwise Spring would do it, then find it cannot write the answer and say
 * 406: the client would think nothing happened (HostileInputIntegrationTest found a questionnaire
 * created that way). Every write of the API answers JSON or a problem, or nothing.
 */
@Component
class WritesAnswerableFirst extends OncePerRequestFilter {

    private static final List<MediaType> ANSWERS =
            List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON);
    private static final String PROBLEM = "{\"type\":\"https://carnet.example/problems/not-acceptable\",\"title\":\"Not"
            + " acceptable\",\"status\":406,\"detail\":\"This operation answers application/json (or"
            + " application/problem+json); nothing was done.\"}";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return method.equals("GET")
                || method.equals("HEAD")
                || method.equals("OPTIONS")
                || !request.getRequestURI().startsWith(request.getContextPath() + "/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (answerable(request.getHeader(HttpHeaders.ACCEPT))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_NOT_ACCEPTABLE);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(PROBLEM.getBytes(StandardCharsets.UTF_8));
    }

    /** No Accept header, or one that takes JSON or a problem; an unreadable one takes nothing. */
    static boolean answerable(@Nullable String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        try {
            return MediaType.parseMediaTypes(accept).stream()
                    .anyMatch(accepted -> ANSWERS.stream().anyMatch(accepted::isCompatibleWith));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
