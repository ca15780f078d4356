package org.carnet.shared;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What every page's layout needs, and the pages shown for a missing object, a malformed address or a change
 * refused by an establishment's read-only mode.
 */
@ControllerAdvice(annotations = WebPage.class)
class PageAdvice {

    /** The current address in French and in English, and who is signed in (roles only, no personal data). */
    record Layout(
            String frenchUrl,
            String englishUrl,
            boolean signedIn,
            boolean patient,
            boolean practitioner,
            boolean staff,
            boolean establishmentAdmin) {}

    @ModelAttribute("layout")
    Layout layout(HttpServletRequest request) {
        return layoutOf(request);
    }

    @ExceptionHandler({NotFoundException.class, MethodArgumentTypeMismatchException.class})
    String notFound(HttpServletRequest request, HttpServletResponse response, Model model) {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        model.addAttribute("layout", layoutOf(request));
        return "not-found";
    }

    /**
     * A change refused because the establishment is read-only for the time of an incident: 423, and a
     * page that says so (what the person was doing is not lost: the back button returns to their form).
     */
    @ExceptionHandler(EstablishmentReadOnlyException.class)
    String readOnly(HttpServletRequest request, HttpServletResponse response, Model model) {
        response.setStatus(423);
        model.addAttribute("layout", layoutOf(request));
        return "read-only";
    }

    static Layout layoutOf(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        boolean signedIn = authentication != null
                && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken);
        Set<String> authorities = signedIn && authentication != null
                ? authentication.getAuthorities().stream()
                        .map(GrantedAuthority::getAuthority)
                        .collect(Collectors.toSet())
                : Set.of();
        return new Layout(
                withLang(request, "fr"),
                withLang(request, "en"),
                signedIn,
                authorities.contains("ROLE_PATIENT"),
                authorities.contains("ROLE_PRACTITIONER"),
                authorities.contains("ROLE_STAFF"),
                authorities.contains("ROLE_ESTABLISHMENT_ADMIN"));
    }

    /** A GET address of the current page; forms re-shown after a POST link to their empty form. */
    private static String withLang(HttpServletRequest request, String lang) {
        UriComponentsBuilder address = UriComponentsBuilder.fromPath(request.getRequestURI());
        String query = request.getQueryString();
        if ("GET".equals(request.getMethod()) && query != null) {
            address.query(query);
        }
        return address.replaceQueryParam("lang", lang)
                .replaceQueryParam("continue")
                .build()
                .toUriString();
    }
}
