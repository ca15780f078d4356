package org.carnet.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "Authentication")
class TokenController {

    record TokenRequest(
            @NotBlank @EmailAddress @Size(max = 254) String email,
            @NotBlank @Size(max = 128) String password,
            @Size(max = 64) @Nullable String otp) {
        /** Redacted: an e-mail address, a password and a code never reach a log line. */
        @Override
        public String toString() {
            return "TokenRequest[redacted]";
        }
    }

    record TokenResponse(
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") long expiresIn) {}

    private final SignIn signIn;
    private final AccessTokens tokens;

    TokenController(SignIn signIn, AccessTokens tokens) {
        this.signIn = signIn;
        this.tokens = tokens;
    }

    // No transaction around the sign-in: the password hash may wait for a permit, and must not hold a
    // database connection meanwhile (SignIn counts failures in short transactions of its own).
    @PostMapping("/token")
    @Operation(
            operationId = "signIn",
            summary = "Exchange an e-mail, a password and (if the account has one) a second-factor code for a"
                    + " short-lived bearer token",
            description = "otp is the 6-digit code of the authenticator app or one of the recovery codes."
                    + " Professional accounts must have enrolled a second factor on the pages first. The same"
                    + " invalid-credentials answer whether the e-mail has no account, the password is wrong or the"
                    + " account is locked.")
    @ApiResponse(
            responseCode = "200",
            description = "A bearer token",
            content = @Content(schema = @Schema(implementation = TokenResponse.class)))
    @ApiResponse(
            responseCode = "401",
            description = "invalid-credentials, second-factor-required or second-factor-invalid")
    @ApiResponse(
            responseCode = "403",
            description = "second-factor-enrolment-required, or renewal-required (a security officer required new"
                    + " credentials: the sign-in page asks for them)")
    @ApiResponse(responseCode = "429", description = "Too many sign-in attempts from this address")
    @ApiResponse(
            responseCode = "503",
            description = "Too many passwords are being checked at once; retry after Retry-After seconds")
    ResponseEntity<?> token(@Valid @RequestBody TokenRequest request) {
        SignIn.Step step = signIn.password(request.email(), request.password());
        if (step instanceof SignIn.Step.SecondFactorNeeded pending) {
            if (request.otp() == null || request.otp().isBlank()) {
                return refuse(
                        HttpStatus.UNAUTHORIZED,
                        "second-factor-required",
                        "Second factor required",
                        "This account has a second factor: send its current code as otp.");
            }
            step = signIn.secondFactor(pending.principal().userId(), request.otp());
            if (!(step instanceof SignIn.Step.SignedIn) && !(step instanceof SignIn.Step.RenewalNeeded)) {
                return refuse(
                        HttpStatus.UNAUTHORIZED,
                        "second-factor-invalid",
                        "Second factor invalid",
                        "The second-factor code is wrong, expired or already used.");
            }
        }
        if (step instanceof SignIn.Step.SignedIn signedIn) {
            AccessTokens.Issued issued = tokens.issue(signedIn.principal().userId());
            return ResponseEntity.ok(new TokenResponse(
                    issued.token(), "Bearer", issued.lifetime().toSeconds()));
        }
        if (step instanceof SignIn.Step.RenewalNeeded) {
            return refuse(
                    HttpStatus.FORBIDDEN,
                    "renewal-required",
                    "Credentials renewal required",
                    "This account must choose a new password (and enrol a new second factor) on the sign-in page"
                            + " first.");
        }
        if (step instanceof SignIn.Step.EnrolmentNeeded) {
            return refuse(
                    HttpStatus.FORBIDDEN,
                    "second-factor-enrolment-required",
                    "Second factor enrolment required",
                    "Professional accounts must enrol a second factor on the account pages first.");
        }
        // The same answer whether the e-mail has an account, the password is wrong or the account is locked.
        return refuse(
                HttpStatus.UNAUTHORIZED,
                "invalid-credentials",
                "Invalid credentials",
                "The e-mail address or the password is wrong.");
    }

    @DeleteMapping("/token")
    @Transactional
    @Operation(
            operationId = "signOut",
            summary = "Revoke the bearer token of this request",
            description = "Signs out: the token is refused from then on.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "204", description = "Revoked; the token is refused from now on")
    ResponseEntity<Void> revoke(
            @RequestHeader(HttpHeaders.AUTHORIZATION) @Parameter(hidden = true) String authorization) {
        tokens.revoke(authorization.substring("Bearer ".length()).strip());
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<ProblemDetail> refuse(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://carnet.example/problems/" + type));
        problem.setTitle(title);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.body(problem);
    }
}
