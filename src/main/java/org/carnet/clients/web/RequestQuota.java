package org.carnet.clients.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.carnet.clients.ClientAuthentication;
import org.carnet.clients.ClientQuotas;
import org.carnet.shared.TooManyRequestsException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts each {@code /fhir} request made with a program's token, once the token is checked and before
 * anything is looked up; beyond the program's quota, 429 with {@code Retry-After} and an
 * OperationOutcome, and the request goes no further. Anonymous requests are not counted here.
 */
final class RequestQuota extends OncePerRequestFilter {

    private static final byte[] TOO_MANY = ("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":"
                    + "\"error\",\"code\":\"throttled\",\"diagnostics\":\"Too many requests from this program;"
                    + " retry after the time in Retry-After.\"}]}")
            .getBytes(StandardCharsets.UTF_8);

    private final ClientQuotas quotas;

    RequestQuota(ClientQuotas quotas) {
        this.quotas = quotas;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof ClientAuthentication program) {
            try {
                quotas.countRequest(program.getPrincipal());
            } catch (TooManyRequestsException e) {
                response.setStatus(429);
                response.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
                response.setContentType("application/fhir+json;charset=UTF-8");
                response.getOutputStream().write(TOO_MANY);
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
