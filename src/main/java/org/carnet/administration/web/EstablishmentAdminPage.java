package org.carnet.administration.web;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.carnet.access.BreakTheGlassLog;
import org.carnet.administration.Invitations;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.identity.Logins;
import org.carnet.identity.SignedIn;
import org.carnet.patients.PatientFiles;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.Purpose;
import org.carnet.shared.Role;
import org.carnet.shared.WebPage;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The establishment administrator's page. Practitioners and staff get their login by invitation
 * ({@link Invitations}): the administrator gives an e-mail address, never a password, and sees no
 * code; the invitee chooses their password and enrols a second factor on {@code /enrol}.
 */
@WebPage
class EstablishmentAdminPage {

    /** A break-the-glass opening as reviewed: who opened whose file, when, why. */
    record Review(UUID id, java.time.Instant at, String actor, String patient, String reason) {

        @Override
        public String toString() {
            return "Review[id=" + id + ", personal fields redacted]";
        }
    }

    private final Directory directory;
    private final Invitations invitations;
    private final Logins logins;
    private final BreakTheGlassLog breakTheGlass;
    private final PatientFiles files;

    EstablishmentAdminPage(
            Directory directory,
            Invitations invitations,
            Logins logins,
            BreakTheGlassLog breakTheGlass,
            PatientFiles files) {
        this.directory = directory;
        this.invitations = invitations;
        this.logins = logins;
        this.breakTheGlass = breakTheGlass;
        this.files = files;
    }

    @GetMapping("/establishment")
    @Transactional
    String page(Model model) {
        return show(model);
    }

    /**
     * Invites a practitioner already in the establishment's directory (added on the practitioners page)
     * to their login: the code goes to the address given, never to this page.
     */
    @PostMapping("/establishment/practitioner-accounts")
    @Transactional
    String invitePractitioner(
            @RequestParam(defaultValue = "") String practitioner,
            @RequestParam(defaultValue = "") String email,
            Model model) {
        Actor.Person admin = SignedIn.required();
        model.addAttribute("practitionerForm", Map.of("practitioner", practitioner, "email", email));
        return createAccount(model, "practitionerError", () -> {
            UUID chosen = parseUuid(practitioner)
                    .orElseThrow(() -> new InvalidRequestException("practitioner", "not a practitioner here"));
            invitations.practitioner(admin, chosen, email, LocaleContextHolder.getLocale());
        });
    }

    /** Invites a member of staff (secretariat) by their name and e-mail. */
    @PostMapping("/establishment/staff")
    @Transactional
    String inviteStaff(
            @RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String email, Model model) {
        Actor.Person admin = SignedIn.required();
        model.addAttribute("staffForm", Map.of("name", name, "email", email));
        return createAccount(
                model, "staffError", () -> invitations.staff(admin, name, email, LocaleContextHolder.getLocale()));
    }

    /** Invites someone, or re-shows the page with the error by its form, nothing saved. */
    private String createAccount(Model model, String errorAttribute, Runnable creation) {
        try {
            creation.run();
        } catch (InvalidRequestException | ConflictException e) {
            TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
            model.addAttribute(errorAttribute, errorKey(e));
            return show(model);
        }
        return "redirect:/establishment?invited";
    }

    @PostMapping("/establishment/reviews/{id}")
    @Transactional
    String reviewed(@PathVariable UUID id) {
        Actor.Person admin = SignedIn.required();
        breakTheGlass.markReviewed(admin.professionalEstablishmentId(), id, admin.userId());
        return "redirect:/establishment?reviewed";
    }

    private String show(Model model) {
        Actor.Person admin = SignedIn.required();
        UUID establishment = admin.professionalEstablishmentId();
        model.addAttribute(
                "establishment", directory.establishment(establishment).orElseThrow());
        model.addAttribute("practitioners", directory.practitionersOf(establishment));
        List<BreakTheGlassLog.Opening> openings = breakTheGlass.toReview(establishment);
        Map<UUID, String> patients = files.displayNames(
                establishment,
                openings.stream().map(BreakTheGlassLog.Opening::patientId).toList(),
                admin,
                Purpose.BREAK_THE_GLASS_REVIEW);
        model.addAttribute(
                "reviews",
                openings.stream()
                        .map(o -> new Review(
                                o.id(),
                                o.at(),
                                actorName(o.actorUserId()),
                                patients.getOrDefault(
                                        o.patientId(), o.patientId().toString()),
                                o.reason()))
                        .toList());
        return "establishment";
    }

    private String actorName(UUID userId) {
        return logins.byId(userId)
                .flatMap(principal -> principal.role() == Role.PRACTITIONER
                        ? directory.practitioner(principal.subjectId()).map(Practitioner::displayName)
                        : logins.displayName(userId))
                .orElse(userId.toString());
    }

    private static Optional<UUID> parseUuid(String value) {
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String errorKey(RuntimeException e) {
        if (e instanceof Invitations.AlreadyHasLogin) {
            return "admin.error.hasLogin";
        }
        if (e instanceof ConflictException) {
            return "admin.error.conflict";
        }
        return "admin.error."
                + Optional.ofNullable(((InvalidRequestException) e).field()).orElse("invalid");
    }
}
