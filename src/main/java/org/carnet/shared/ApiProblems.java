package org.carnet.shared;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Renders every API error as an RFC 7807 problem detail. Validation errors carry a per-field list
 * ({@code errors: [{field, message}]}); messages describe the rule broken, never echo the input.
 */
@RestControllerAdvice(annotations = RestController.class)
class ApiProblems extends ResponseEntityExceptionHandler {

    static final String TYPE_BASE = "https://carnet.example/problems/";

    record FieldError(String field, @Nullable String message) {}

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler(GoneException.class)
    ProblemDetail gone(GoneException e) {
        return problem(HttpStatus.GONE, "data-destroyed", "Data destroyed", e.getMessage());
    }

    /** 423 Locked: the establishment's data can be read, not changed, until the officer lifts it. */
    @ExceptionHandler(EstablishmentReadOnlyException.class)
    ProblemDetail readOnly(EstablishmentReadOnlyException e) {
        return problem(HttpStatus.LOCKED, "establishment-read-only", "Establishment read-only", e.getMessage());
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        return problem(HttpStatus.CONFLICT, "conflict", "Conflict", e.getMessage());
    }

    @ExceptionHandler(ForbiddenException.class)
    ProblemDetail forbidden(ForbiddenException e) {
        return problem(HttpStatus.FORBIDDEN, e.reason(), "Forbidden", e.getMessage());
    }

    @ExceptionHandler(UnprocessableException.class)
    ProblemDetail unprocessable(UnprocessableException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "unprocessable", "Unprocessable request", e.getMessage());
    }

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
        problem.setProperty("errors", List.of(new FieldError(e.field(), e.getMessage())));
        return problem;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        String message = "must be a valid " + simpleType(e.getRequiredType());
        ProblemDetail problem =
                problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getName() + " " + message);
        problem.setProperty("errors", List.of(new FieldError(e.getName(), message)));
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = e.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldError(error.getField(), error.getDefaultMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
        return ResponseEntity.badRequest().body(validationProblem(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Stream<FieldError> beanErrors = e.getBeanResults().stream()
                .flatMap(result -> result.getFieldErrors().stream())
                .map(error -> new FieldError(error.getField(), error.getDefaultMessage()));
        Stream<FieldError> valueErrors = e.getValueResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> new FieldError(parameterName(result), error.getDefaultMessage())));
        List<FieldError> errors = Stream.concat(beanErrors, valueErrors)
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
        return ResponseEntity.badRequest().body(validationProblem(errors));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.badRequest()
                .body(validationProblem(List.of(new FieldError(e.getParameterName(), "is required"))));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // The parser's message may quote the input; say what is wrong without it.
        return ResponseEntity.badRequest()
                .body(problem(
                        HttpStatus.BAD_REQUEST,
                        "malformed-body",
                        "Malformed request body",
                        "The body must be JSON of the documented shape: no unknown fields, valid dates and"
                                + " values of the right type."));
    }

    /** The name the caller used: the header or query parameter name rather than the Java one. */
    private static String parameterName(ParameterValidationResult result) {
        RequestHeader header = result.getMethodParameter().getParameterAnnotation(RequestHeader.class);
        if (header != null && !header.name().isEmpty()) {
            return header.name();
        }
        RequestParam param = result.getMethodParameter().getParameterAnnotation(RequestParam.class);
        if (param != null && !param.name().isEmpty()) {
            return param.name();
        }
        // Present: the build compiles with -parameters.
        return Objects.requireNonNull(result.getMethodParameter().getParameterName(), "parameter name");
    }

    private static ProblemDetail validationProblem(List<FieldError> errors) {
        ProblemDetail problem = problem(
                HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", "One or more fields are invalid.");
        problem.setProperty("errors", errors);
        return problem;
    }

    static ProblemDetail problem(HttpStatus status, String type, String title, @Nullable String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }

    private static String simpleType(@Nullable Class<?> type) {
        if (type == null) {
            return "value";
        }
        return Map.of(
                        "UUID", "identifier (UUID)",
                        "LocalDate", "date (yyyy-MM-dd)",
                        "Instant", "instant (ISO-8601)",
                        "OffsetDateTime", "date-time (ISO-8601 with offset)",
                        "Integer", "integer",
                        "int", "integer")
                .getOrDefault(type.getSimpleName(), type.getSimpleName());
    }
}
