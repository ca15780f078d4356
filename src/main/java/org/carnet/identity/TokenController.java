package org.carnet.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "Authentication")
class TokenController {

    record TokenRequest(
            @NotBlank @Email @Size(max = 254) String email,
            @NotBlank @Size(max = 128) String password) {}

    record TokenResponse(
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") long expiresIn) {}

    private final Logins logins;
    private final AccessTokens tokens;

    TokenController(Logins logins, AccessTokens tokens) {
        this.logins = logins;
        this.tokens = tokens;
    }

    @PostMapping("/token")
    @Transactional
    @Operation(summary = "Exchange an e-mail and password for a short-lived bearer token")
    ResponseEntity<?> token(@Valid @RequestBody TokenRequest request) {
        return logins.authenticate(request.email(), request.password())
                .<ResponseEntity<?>>map(principal -> {
                    AccessTokens.Issued issued = tokens.issue(principal.userId());
                    return ResponseEntity.ok(new TokenResponse(
                            issued.token(), "Bearer", issued.lifetime().toSeconds()));
                })
                .orElseGet(() -> ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(invalidCredentials()));
    }

    private static ProblemDetail invalidCredentials() {
        // The same answer whether the e-mail has an account or not.
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.UNAUTHORIZED, "The e-mail address or the password is wrong.");
        problem.setType(URI.create("https://carnet.example/problems/invalid-credentials"));
        problem.setTitle("Invalid credentials");
        return problem;
    }
}
