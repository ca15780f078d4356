package org.carnet.administration;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.carnet.access.BreakTheGlassLog;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.directory.Rpps;
import org.carnet.directory.Specialty;
import org.carnet.identity.CarnetPrincipal;
import org.carnet.identity.Logins;
import org.carnet.identity.Role;
import org.carnet.patients.PatientFiles;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
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
 * The establishment administrator's page. New professionals get an initial password from the
 * administrator and must enrol a second factor at their first sign-in.
 */
@WebPage
class EstablishmentAdminPage {

    /** A break-the-glass opening as reviewed: who opened whose file, when, why. */
    record Review(UUID id, java.time.Instant at, String actor, String patient, String reason) {}

    private final Directory directory;
    private final Logins logins;
    private final BreakTheGlassLog breakTheGlass;
    private final PatientFiles files;

    EstablishmentAdminPage(Directory directory, Logins logins, BreakTheGlassLog breakTheGlass, PatientFiles files) {
        this.directory = directory;
        this.logins = logins;
        this.breakTheGlass = breakTheGlass;
        this.files = files;
    }

    @GetMapping("/establishment")
    @Transactional
    String page(Model model) {
        return show(model);
    }

    @PostMapping("/establishment/practitioners")
    @Transactional
    String addPractitioner(
            @RequestParam(defaultValue = "") String firstName,
            @RequestParam(defaultValue = "") String lastName,
            @RequestParam(defaultValue = "") String rpps,
            @RequestParam(defaultValue = "") String specialty,
            @RequestParam(defaultValue = "") String email,
            @RequestParam(defaultValue = "") String password,
            Model model) {
        CarnetPrincipal admin = CarnetPrincipal.required();
        model.addAttribute(
                "practitionerForm",
                Map.of(
                        "firstName",
                        firstName,
                        "lastName",
                        lastName,
                        "rpps",
                        rpps,
                        "specialty",
                        specialty,
                        "email",
                        email));
        try {
            Specialty chosen = Specialty.fromCode(specialty)
                    .orElseThrow(() -> new InvalidRequestException("specialty", "unknown specialty"));
            Practitioner practitioner = directory.addPractitioner(
                    admin.establishmentId(), new Rpps(rpps.strip()), firstName.strip(), lastName.strip(), chosen);
            logins.create(Role.PRACTITIONER, practitioner.id(), admin.establishmentId(), checkedEmail(email), password);
        } catch (InvalidRequestException | ConflictException e) {
            TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
            model.addAttribute("practitionerError", errorKey(e));
            return show(model);
        }
        return "redirect:/establishment?created";
    }

    @PostMapping("/establishment/staff")
    @Transactional
    String addStaff(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String email,
            @RequestParam(defaultValue = "") String password,
            Model model) {
        CarnetPrincipal admin = CarnetPrincipal.required();
        model.addAttribute("staffForm", Map.of("name", name, "email", email));
        try {
            if (name.isBlank() || name.length() > 200) {
                throw new InvalidRequestException("name", "is required, at most 200 characters");
            }
            logins.createStaff(Role.STAFF, admin.establishmentId(), name.strip(), checkedEmail(email), password);
        } catch (InvalidRequestException | ConflictException e) {
            TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
            model.addAttribute("staffError", errorKey(e));
            return show(model);
        }
        return "redirect:/establishment?created";
    }

    @PostMapping("/establishment/reviews/{id}")
    @Transactional
    String reviewed(@PathVariable UUID id) {
        CarnetPrincipal admin = CarnetPrincipal.required();
        breakTheGlass.markReviewed(admin.establishmentId(), id, admin.userId());
        return "redirect:/establishment?reviewed";
    }

    private String show(Model model) {
        CarnetPrincipal admin = CarnetPrincipal.required();
        UUID establishment = admin.establishmentId();
        model.addAttribute(
                "establishment", directory.establishment(establishment).orElseThrow());
        model.addAttribute("specialties", Specialty.values());
        model.addAttribute("locale", LocaleContextHolder.getLocale());
        List<BreakTheGlassLog.Opening> openings = breakTheGlass.toReview(establishment);
        Map<UUID, String> patients = files.displayNames(
                establishment,
                openings.stream().map(BreakTheGlassLog.Opening::patientId).toList(),
                admin,
                "break-the-glass-review");
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

    private static String checkedEmail(String email) {
        String value = email.strip();
        if (value.length() > 254 || !value.matches("^[^@\\s]{1,64}@[^@\\s]{1,189}\\.[^@\\s]{1,63}$")) {
            throw new InvalidRequestException("email", "must be an e-mail address");
        }
        return value;
    }

    private static String errorKey(RuntimeException e) {
        if (e instanceof ConflictException) {
            return "admin.error.conflict";
        }
        return "admin.error."
                + Optional.ofNullable(((InvalidRequestException) e).field()).orElse("invalid");
    }
}
