package org.carnet.scheduling.web;

import jakarta.servlet.http.HttpServletResponse;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.carnet.directory.Practitioner;
import org.carnet.identity.EmailAddresses;
import org.carnet.identity.SignedIn;
import org.carnet.patients.PatientFiles;
import org.carnet.patients.Sex;
import org.carnet.scheduling.PhoneBookings;
import org.carnet.scheduling.Slot;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.PageParams;
import org.carnet.shared.Role;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Booking a free slot on a patient's behalf (a phone call): find the patient among the
 * establishment's files by last name and/or birth date, or make a file for a new patient, then book.
 */
@WebPage
class PhoneBookingPages {

    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 .()-]{6,20}");

    record Motive(String id, String label, int durationMinutes) {}

    record Found(String id, String name, String birthDate, String phone, boolean hasAccount) {}

    private final PhoneBookings phoneBookings;
    private final PatientFiles patients;
    private final org.carnet.directory.Directory directory;
    private final PageDates dates;

    PhoneBookingPages(
            PhoneBookings phoneBookings,
            PatientFiles patients,
            org.carnet.directory.Directory directory,
            PageDates dates) {
        this.phoneBookings = phoneBookings;
        this.patients = patients;
        this.directory = directory;
        this.dates = dates;
    }

    @GetMapping("/agenda/phone/{slotId}")
    String page(@PathVariable UUID slotId, Model model) {
        Actor.Person professional = SignedIn.required();
        Slot slot = phoneBookings.slot(professional, slotId);
        search(professional, slot, "", "", model);
        model.addAttribute("patient", Map.of());
        return show(professional, slot, model);
    }

    /**
     * The search among the establishment's files. A POST, never a GET: a patient's name and birth date
     * must not reach an address bar, a browser history or a proxy's log.
     */
    @PostMapping("/agenda/phone/{slotId}/search")
    String find(
            @PathVariable UUID slotId,
            @RequestParam(defaultValue = "") String lastName,
            @RequestParam(defaultValue = "") String birthDate,
            Model model) {
        Actor.Person professional = SignedIn.required();
        Slot slot = phoneBookings.slot(professional, slotId);
        search(professional, slot, lastName, birthDate, model);
        model.addAttribute("patient", Map.of());
        return show(professional, slot, model);
    }

    @PostMapping("/agenda/phone/{slotId}")
    String bookExisting(
            @PathVariable UUID slotId,
            @RequestParam(defaultValue = "") String fileId,
            @RequestParam(defaultValue = "") String motiveId,
            @RequestParam(defaultValue = "") String lastName,
            @RequestParam(defaultValue = "") String birthDate,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        Actor.Person professional = SignedIn.required();
        Slot slot = phoneBookings.slot(professional, slotId);
        Optional<UUID> file = PageParams.uuid(fileId);
        Optional<UUID> motive = PageParams.uuid(motiveId);
        if (file.isEmpty()) {
            model.addAttribute("fileError", "phone.error.file");
        }
        if (motive.isEmpty()) {
            model.addAttribute("existingMotiveError", "book.error.motive");
        }
        if (file.isPresent() && motive.isPresent()) {
            try {
                phoneBookings.book(professional, slotId, motive.get(), file.get());
                return booked(professional, slot, redirect);
            } catch (InvalidRequestException e) {
                model.addAttribute(
                        "motiveId".equals(e.field()) ? "existingMotiveError" : "fileError",
                        "motiveId".equals(e.field()) ? "book.error.motive" : "phone.error.file");
            } catch (ConflictException e) {
                model.addAttribute("bookingError", "phone.error.taken");
            }
        }
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        search(professional, slot, lastName, birthDate, model);
        model.addAttribute("chosenFile", fileId);
        model.addAttribute("existingMotive", motiveId);
        model.addAttribute("patient", Map.of());
        return show(professional, slot, model);
    }

    @PostMapping("/agenda/phone/{slotId}/new")
    String bookNew(
            @PathVariable UUID slotId,
            @RequestParam Map<String, String> typed,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        Actor.Person professional = SignedIn.required();
        Slot slot = phoneBookings.slot(professional, slotId);
        // Every field, absent ones as empty text.
        Map<String, String> patient = new HashMap<>();
        for (String field : List.of("firstName", "lastName", "birthDate", "sex", "phone", "email", "motiveId")) {
            String value = typed.getOrDefault(field, "").strip();
            patient.put(field, value.length() > 254 ? value.substring(0, 254) : value);
        }
        Map<String, String> errors = new HashMap<>();
        for (String field : List.of("firstName", "lastName")) {
            if (patient.getOrDefault(field, "").isEmpty()) {
                errors.put(field, "NotBlank");
            } else if (patient.getOrDefault(field, "").length() > 100) {
                errors.put(field, "Size");
            }
        }
        LocalDate birth = date(patient.getOrDefault("birthDate", ""));
        if (birth == null) {
            errors.put("birthDate", "typeMismatch.registration.birthDate");
        }
        if (!List.of("F", "M", "X").contains(patient.getOrDefault("sex", ""))) {
            errors.put("sex", "Pattern.registration.sex");
        }
        if (!PHONE.matcher(patient.getOrDefault("phone", "")).matches()) {
            errors.put("phone", "Pattern.registration.phone");
        }
        if (!patient.getOrDefault("email", "").isEmpty()
                && !EmailAddresses.isValid(patient.getOrDefault("email", ""))) {
            errors.put("email", "Invalid.email");
        }
        Optional<UUID> motive = PageParams.uuid(patient.getOrDefault("motiveId", ""));
        if (motive.isEmpty()) {
            errors.put("motiveId", "book.error.motive");
        }
        if (errors.isEmpty()) {
            try {
                phoneBookings.bookNewPatient(
                        professional,
                        slotId,
                        motive.get(),
                        new PhoneBookings.NewPatientFile(
                                patient.getOrDefault("firstName", ""),
                                patient.getOrDefault("lastName", ""),
                                Objects.requireNonNull(birth, "birth date, parsed when no error"),
                                Sex.valueOf(patient.getOrDefault("sex", "")),
                                patient.getOrDefault("phone", ""),
                                patient.getOrDefault("email", "").isEmpty()
                                        ? null
                                        : patient.getOrDefault("email", "")));
                return booked(professional, slot, redirect);
            } catch (InvalidRequestException e) {
                errors.put(
                        "motiveId".equals(e.field()) ? "motiveId" : "birthDate",
                        "motiveId".equals(e.field()) ? "book.error.motive" : "Invalid.birthDate");
            } catch (ConflictException e) {
                model.addAttribute("bookingError", "phone.error.taken");
            }
        }
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        model.addAttribute("patient", patient);
        model.addAttribute("errors", errors);
        model.addAttribute("searched", false);
        model.addAttribute("lastName", "");
        model.addAttribute("birthDate", "");
        return show(professional, slot, model);
    }

    private void search(Actor.Person professional, Slot slot, String lastName, String birthDate, Model model) {
        String name = lastName.strip().length() > 100 ? lastName.strip().substring(0, 100) : lastName.strip();
        model.addAttribute("lastName", name);
        model.addAttribute("birthDate", birthDate.length() > 10 ? "" : birthDate);
        model.addAttribute("searched", false);
        if (name.isEmpty() && birthDate.isEmpty()) {
            return;
        }
        LocalDate birth = birthDate.isEmpty() ? null : date(birthDate);
        if (!birthDate.isEmpty() && birth == null) {
            model.addAttribute("searchError", "phone.error.birthDate");
            return;
        }
        model.addAttribute("searched", true);
        model.addAttribute(
                "found",
                patients.search(slot.establishmentId(), name, birth, professional).stream()
                        .map(f -> new Found(
                                f.fileId().toString(),
                                f.displayName(),
                                f.birthDate().toString(),
                                f.phone(),
                                f.patientAccountId() != null))
                        .toList());
    }

    private String show(Actor.Person professional, Slot slot, Model model) {
        Practitioner practitioner = phoneBookings.practitionerOf(slot);
        model.addAttribute("slotId", slot.id().toString());
        model.addAttribute("when", dates.dateTime(slot.start()));
        model.addAttribute("practitionerName", practitioner.displayName());
        model.addAttribute("practitionerId", practitioner.id().toString());
        model.addAttribute("staff", professional.role() == Role.STAFF);
        model.addAttribute("available", slot.status() == Slot.Status.FREE);
        model.addAttribute(
                "motives",
                directory.motives(practitioner.id()).stream()
                        .map(m -> new Motive(m.id().toString(), m.label(), m.durationMinutes()))
                        .toList());
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
        }
        return "agenda-phone";
    }

    private String booked(Actor.Person professional, Slot slot, RedirectAttributes redirect) {
        redirect.addFlashAttribute("notice", "phone.booked");
        String date = dates.day(slot.start()).toString();
        return professional.role() == Role.STAFF
                ? "redirect:/agenda?date=" + date + "&practitioner=" + slot.practitionerId()
                : "redirect:/agenda?date=" + date;
    }

    private static @Nullable LocalDate date(@Nullable String value) {
        if (value == null || value.length() != 10) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
