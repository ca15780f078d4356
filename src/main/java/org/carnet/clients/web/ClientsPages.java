package org.carnet.clients.web;

import com.nimbusds.jose.util.JSONObjectUtils;
import jakarta.servlet.http.HttpServletResponse;
import java.text.ParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.clients.ClientDecision;
import org.carnet.clients.ClientView;
import org.carnet.clients.Clients;
import org.carnet.clients.NewClient;
import org.carnet.clients.ProgramKeys;
import org.carnet.clients.internal.KeyServers;
import org.carnet.identity.SignedIn;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.WebPage;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The pages of third-party programs: an establishment administrator's list and request form
 * ({@code /establishment/clients}), and the security officers' list with the decisions each program's
 * state allows ({@code /security/clients}).
 */
@WebPage
class ClientsPages {

    /** A program as a page row, with the decisions its state allows. */
    record Row(ClientView client, List<String> decisions) {}

    private final Clients clients;

    ClientsPages(Clients clients) {
        this.clients = clients;
    }

    @GetMapping("/establishment/clients")
    String establishment(Model model) {
        model.addAttribute("form", Map.of());
        return showEstablishment(model, null);
    }

    @PostMapping("/establishment/clients")
    String request(
            @RequestParam Map<String, String> typed,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        String name = typed.getOrDefault("name", "").strip();
        String purpose = typed.getOrDefault("purpose", "").strip();
        String scopes = typed.getOrDefault("scopes", "").strip();
        String jwks = typed.getOrDefault("jwks", "").strip();
        String jwksUri = typed.getOrDefault("jwksUri", "").strip();
        String redirectUris = typed.getOrDefault("redirectUris", "").strip();
        String error;
        if (name.isEmpty() || name.length() > 100) {
            error = "name";
        } else if (purpose.isEmpty() || purpose.length() > 1000) {
            error = "purpose";
        } else if (jwks.length() > ProgramKeys.MAX_JSON) {
            error = "jwks";
        } else if (jwksUri.length() > KeyServers.MAX_URI) {
            error = "jwksUri";
        } else if (redirectUris.length() > 2600) {
            error = "redirectUris";
        } else {
            try {
                ClientView requested = clients.request(
                        SignedIn.required(),
                        new NewClient(
                                name,
                                purpose,
                                Arrays.stream(scopes.split("\\s+"))
                                        .filter(s -> !s.isEmpty())
                                        .toList(),
                                jwks.isEmpty() ? null : parse(jwks),
                                jwksUri.isEmpty() ? null : jwksUri,
                                Arrays.stream(redirectUris.split("\\s+"))
                                        .filter(s -> !s.isEmpty())
                                        .toList()));
                redirect.addFlashAttribute("requested", requested.clientId().toString());
                return "redirect:/establishment/clients";
            } catch (InvalidRequestException e) {
                error = switch (e.field()) {
                    case "scopes", "jwks", "jwksUri", "name", "purpose", "redirectUris" -> e.field();
                    default -> "jwks";
                };
            }
        }
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        // The keys are not typed back: a private key pasted by mistake must not be shown again.
        model.addAttribute(
                "form",
                Map.of(
                        "name",
                        name,
                        "purpose",
                        purpose,
                        "scopes",
                        scopes,
                        "redirectUris",
                        redirectUris,
                        "jwksUri",
                        jwksUri));
        return showEstablishment(model, "clients.error." + error);
    }

    @GetMapping("/security/clients")
    String security(Model model) {
        model.addAttribute(
                "rows",
                clients.list(SignedIn.required()).stream()
                        .map(client -> new Row(client, decisions(client)))
                        .toList());
        return "security-clients";
    }

    @PostMapping("/security/clients/{clientId}/{decision}")
    String decide(@PathVariable UUID clientId, @PathVariable String decision, RedirectAttributes redirect) {
        ClientDecision chosen = Arrays.stream(ClientDecision.values())
                .filter(d -> d.path().equals(decision))
                .findFirst()
                .orElseThrow(() -> new org.carnet.shared.NotFoundException("decision"));
        try {
            clients.decide(SignedIn.required(), clientId, chosen);
            redirect.addFlashAttribute("decided", "clients.decided." + chosen.path());
        } catch (ConflictException e) {
            redirect.addFlashAttribute("conflict", true);
        }
        return "redirect:/security/clients";
    }

    private String showEstablishment(Model model, @org.jspecify.annotations.Nullable String error) {
        model.addAttribute("clients", clients.list(SignedIn.required()));
        model.addAttribute("error", error);
        return "establishment-clients";
    }

    private static List<String> decisions(ClientView client) {
        return Arrays.stream(ClientDecision.values())
                .filter(d -> d.allowedFrom(client.status()))
                .map(ClientDecision::path)
                .toList();
    }

    private static Map<String, Object> parse(String jwks) {
        try {
            return JSONObjectUtils.parse(jwks);
        } catch (ParseException e) {
            throw new InvalidRequestException("jwks", "must be a JWK Set in JSON");
        }
    }
}
