package org.carnet.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/** A password check refused for want of a hashing permit, in a page or API call: 503 with Retry-After. */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class PasswordHashingBusyAdvice {

    @ExceptionHandler(PasswordHashingBusy.class)
    void busy(HttpServletRequest request, HttpServletResponse response) throws IOException {
        SignInRateLimiter.refuse(request, response, 503, PasswordHashingBusy.RETRY_AFTER_SECONDS);
    }
}
