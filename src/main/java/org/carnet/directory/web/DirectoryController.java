package org.carnet.directory.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.directory.Practitioner;
import org.carnet.directory.Specialty;
import org.carnet.shared.NotFoundException;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Directory")
class DirectoryController {

    record SpecialtyView(String code, String label) {
        static SpecialtyView of(Specialty specialty, Locale locale) {
            return new SpecialtyView(specialty.code(), specialty.label(locale));
        }
    }

    record EstablishmentView(UUID id, String finess, String name, String address, String city, String postcode) {
        static EstablishmentView of(Establishment e) {
            return new EstablishmentView(e.id(), e.finess().value(), e.name(), e.address(), e.city(), e.postcode());
        }
    }

    record MotiveView(UUID id, String label, int durationMinutes, boolean teleconsultation) {}

    record PractitionerView(
            UUID id,
            String firstName,
            String lastName,
            SpecialtyView specialty,
            EstablishmentView establishment,
            List<MotiveView> motives) {}

    private final Directory directory;

    DirectoryController(Directory directory) {
        this.directory = directory;
    }

    @GetMapping("/specialties")
    @Operation(
            operationId = "listSpecialties",
            summary = "The specialties practitioners are listed under",
            description = "Each code is what GET /api/v1/availability takes; labels follow Accept-Language.")
    @ApiResponse(responseCode = "200", description = "Every specialty")
    List<SpecialtyView> specialties() {
        Locale locale = LocaleContextHolder.getLocale();
        return Arrays.stream(Specialty.values())
                .map(s -> SpecialtyView.of(s, locale))
                .toList();
    }

    @GetMapping("/practitioners/{id}")
    @Operation(
            operationId = "getPractitioner",
            summary = "A practitioner with their establishment and visit motives",
            description = "A motive's id is what POST /api/v1/appointments takes as motiveId.")
    @ApiResponse(responseCode = "200", description = "The practitioner")
    @ApiResponse(responseCode = "404", description = "No such practitioner")
    PractitionerView practitioner(@PathVariable UUID id) {
        Practitioner practitioner = directory.practitioner(id).orElseThrow(() -> new NotFoundException("Practitioner"));
        Establishment establishment = directory
                .establishment(practitioner.establishmentId())
                .orElseThrow(() -> new NotFoundException("Establishment"));
        List<MotiveView> motives = directory.motives(id).stream()
                .map(m -> new MotiveView(m.id(), m.label(), m.durationMinutes(), m.teleconsultation()))
                .toList();
        return new PractitionerView(
                practitioner.id(),
                practitioner.firstName(),
                practitioner.lastName(),
                SpecialtyView.of(practitioner.specialty(), LocaleContextHolder.getLocale()),
                EstablishmentView.of(establishment),
                motives);
    }
}
