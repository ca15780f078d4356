package org.carnet.teleconsultation.web;

import org.carnet.shared.NotFoundException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every 404 of a teleconsultation's endpoints reads the same, whether the appointment does not exist, is
 * not a teleconsultation, has no key or answers yet, or is someone else's: the words of whichever check
 * refused (the appointment's, the access door's, the key's) would otherwise tell an outsider which
 * teleconsultations exist.
 */
@RestControllerAdvice(assignableTypes = {ConsultationController.class, ExchangeController.class, VideoController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class OneAnswerForNotFound {

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound() {
        return NotFoundException.problem("Teleconsultation");
    }
}
