package org.carnet.breach;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.shared.Actor;
import org.carnet.shared.DataCategory;
import org.carnet.shared.NotFoundException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Drafts an establishment's Article 33 notification from an incident and its exact scope (issue 17, item 5).
 * The words are fixed French sentences chosen by what the scope holds; nothing a patient wrote and no
 * patient's id goes into a draft, only counts and categories.
 */
@Service
public class Article33Drafts {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMMM yyyy 'à' HH'h'mm", Locale.FRENCH);

    private static final Map<String, String> RULES = Map.ofEntries(
            Map.entry(
                    "distinct-patients",
                    "lecture d'un nombre de dossiers de patients très supérieur à l'activité habituelle"),
            Map.entry(
                    "sequential-ids",
                    "parcours systématique des dossiers de patients dans l'ordre de leurs identifiants"),
            Map.entry("denied-accesses", "tentatives répétées d'accès à des dossiers refusées par la plateforme"),
            Map.entry(
                    "unknown-ids-probed",
                    "demandes répétées, par un logiciel tiers, de patients ou de rendez-vous inexistants"
                            + " (identifiants essayés au hasard)"),
            Map.entry("night-bulk-read", "lecture en nombre de dossiers de patients pendant la nuit"),
            Map.entry("sign-in-failures-account", "tentatives de connexion répétées sur un compte"),
            Map.entry("sign-in-failures-source", "tentatives de connexion répétées depuis une même origine"),
            Map.entry(
                    "credential-stuffing", "tentatives de connexion en masse sur la plateforme (credential stuffing)"),
            Map.entry(
                    "break-the-glass-rate",
                    "ouvertures de dossiers en urgence (bris de glace) au-delà du rythme habituel"),
            Map.entry("audit-verification-failed", "altération détectée du journal des accès"),
            Map.entry(
                    "export-link-replayed",
                    "lien de téléchargement d'un export de données présenté de nouveau après son usage ou son"
                            + " expiration"),
            Map.entry(
                    "export-unexpected-place",
                    "tentative de téléchargement d'un export de données depuis un réseau autre que ceux déclarés"
                            + " pour son destinataire, refusée par la plateforme (le lien de téléchargement est"
                            + " vraisemblablement sorti des mains du destinataire)"),
            Map.entry(
                    "export-leak-attributed",
                    "fichier de données divulgué, attribué par son marquage à un export de données de"
                            + " l'établissement remis à un destinataire nommé (la probabilité d'une attribution à"
                            + " tort est inférieure à un sur un milliard)"));

    private static final Map<String, String> CONTAINMENT = Map.of(
            "suspend-program", "suspension du logiciel tiers et révocation de ses jetons d'accès",
            "lock-account", "verrouillage du compte et fin de toutes ses sessions",
            "end-sessions", "fin de toutes les sessions et de tous les jetons d'accès du compte",
            "lift-lock", "déverrouillage du compte",
            "require-renewal",
                    "fin de toutes les sessions, jetons d'accès et clés d'accès du compte, et renouvellement obligatoire"
                            + " de son mot de passe et de son second facteur",
            "end-establishment-sessions",
                    "fin de toutes les sessions et de tous les jetons d'accès des professionnels de l'établissement"
                            + " et de ses logiciels tiers",
            "rotate-establishment-keys",
                    "renouvellement des clés de chiffrement de l'établissement et rechiffrement de ses données",
            "read-only-establishment", "passage de l'établissement en lecture seule (aucune modification possible)",
            "lift-read-only", "levée de la lecture seule de l'établissement");

    private final Incidents incidents;
    private final IncidentScopes scopes;
    private final Directory directory;
    private final BreachProperties properties;
    private final Clock clock;

    Article33Drafts(
            Incidents incidents, IncidentScopes scopes, Directory directory, BreachProperties properties, Clock clock) {
        this.incidents = incidents;
        this.scopes = scopes;
        this.directory = directory;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The draft for one establishment concerned by the incident, over the incident's default window.
     *
     * @throws NotFoundException when there is no such incident, or the establishment is not one it concerns
     */
    public Article33Draft draft(Actor.Person officer, UUID incidentId, UUID establishmentId) {
        IncidentView incident = incidents.concerning(officer, incidentId, establishmentId);
        IncidentScope.EstablishmentScope part = null;
        IncidentScope.@Nullable Verification verification = null;
        if (incident.clientId() != null || incident.userId() != null || incident.exportId() != null) {
            IncidentScope scope = scopes.scope(officer, incidentId, null, null);
            verification = scope.verification();
            part = scope.establishments().stream()
                    .filter(e -> e.establishmentId().equals(establishmentId))
                    .findFirst()
                    .orElse(null);
        }
        Establishment establishment = directory.establishment(establishmentId).orElse(null);
        Instant now = clock.instant();
        ZoneId zone = properties.zone();
        return new Article33Draft(
                incidentId,
                establishmentId,
                establishment == null ? "Établissement " + establishmentId : establishment.name(),
                establishment == null ? null : establishment.finess().value(),
                incident.status().equals("OPEN") ? "initiale" : "complémentaire",
                now,
                incident.awareAt(),
                incident.notifyBy(),
                now.isAfter(incident.notifyBy()),
                nature(incident, zone),
                List.of("Patients de l'établissement ayant un dossier ou un rendez-vous sur la plateforme Carnet"),
                part == null
                        ? List.of()
                        : part.categories().stream().map(Article33Drafts::label).toList(),
                part == null ? 0 : part.patients(),
                part == null ? 0 : part.records(),
                part == null ? 0 : part.patientsWithIntelligibleData(),
                scopeStatement(part, verification),
                properties.contactPoint(),
                consequences(part),
                measuresTaken(incident, zone),
                List.of(
                        "Informer les patients concernés dont des données intelligibles ont été exposées (article 34),"
                                + " par la messagerie de Carnet et un message sans lien, avec leur code de vérification.",
                        "Rappeler aux patients que Carnet ne leur demandera jamais leur numéro de sécurité sociale,"
                                + " un mot de passe ou un code par téléphone ou par message.",
                        "Revoir les autorisations des logiciels tiers connectés et des comptes de l'établissement.",
                        "Suivre le journal des accès de l'établissement pendant les semaines qui suivent."));
    }

    private static String nature(IncidentView incident, ZoneId zone) {
        List<String> seen = new ArrayList<>();
        for (String rule : incident.rules()) {
            seen.add(RULES.getOrDefault(rule, rule));
        }
        String who = incident.clientId() != null
                ? "un logiciel tiers connecté à l'établissement avec des identifiants valides"
                : incident.userId() != null
                        ? "un compte de la plateforme"
                        : incident.exportId() != null
                                ? "l'export de données " + incident.exportId()
                                        + " de l'établissement, remis à un destinataire nommé"
                                : "une origine inconnue";
        return "Violation de la confidentialité de données de santé, détectée le "
                + WHEN.format(incident.awareAt().atZone(zone))
                + " par les règles de détection de la plateforme : "
                + String.join(" ; ", seen)
                + ". Accès en cause : " + who + ".";
    }

    private static String scopeStatement(
            IncidentScope.@Nullable EstablishmentScope part, IncidentScope.@Nullable Verification verification) {
        if (part == null || verification == null) {
            return "Aucun accès à des données de patients n'est attribué à cet incident dans le journal des accès.";
        }
        StringBuilder text = new StringBuilder("Chiffres établis à partir du journal des accès, dont la chaîne de"
                + " l'établissement a été vérifiée avant lecture");
        text.append(verification.witnessed() ? " (contre le témoin conservé hors de la base)" : "");
        if (verification.brokenChains().contains(part.establishmentId())) {
            text.append(" ; ATTENTION : cette chaîne n'a pas été vérifiée intacte, les chiffres sont un minimum");
        }
        if (part.unverifiedEntries() > 0) {
            text.append(" ; ")
                    .append(part.unverifiedEntries())
                    .append(" accès comptés ne sont pas encore couverts par une vérification");
        }
        return text.append('.').toString();
    }

    private static List<String> consequences(IncidentScope.@Nullable EstablishmentScope part) {
        List<String> result = new ArrayList<>();
        if (part == null) {
            return result;
        }
        if (part.categories().contains(DataCategory.IDENTITY)
                || part.categories().contains(DataCategory.CONTACT)) {
            result.add("Hameçonnage (phishing) ciblé au nom de Carnet ou de l'établissement, usurpation d'identité.");
        }
        if (part.categories().contains(DataCategory.CONTACT)) {
            result.add("Sollicitations non désirées par téléphone ou par courriel.");
        }
        if (part.categories().contains(DataCategory.MEDICAL)) {
            result.add("Divulgation d'informations de santé (motifs de consultation), atteinte à la vie privée.");
        }
        if (part.categories().contains(DataCategory.AGENDA)) {
            result.add("Connaissance des dates de rendez-vous et des praticiens consultés.");
        }
        if (part.patientsCiphertextOrPseudonymOnly() > 0) {
            result.add(part.patientsCiphertextOrPseudonymOnly()
                    + " patient(s) n'ont été atteints que par des données chiffrées de bout en bout ou"
                    + " pseudonymisées, inintelligibles pour qui les a obtenues.");
        }
        return result;
    }

    private static List<String> measuresTaken(IncidentView incident, ZoneId zone) {
        List<String> result = new ArrayList<>();
        for (IncidentView.TimelineEntry entry : incident.timeline()) {
            if (entry.kind().equals("CONTAINMENT")) {
                result.add(WHEN.format(entry.at().atZone(zone)) + " : "
                        + CONTAINMENT.getOrDefault(entry.code(), entry.code())
                        + (entry.by() == null ? " (automatique)" : " (par l'officier de sécurité)"));
            }
        }
        return result;
    }

    static String label(DataCategory category) {
        return switch (category) {
            case IDENTITY -> "Identité (nom, prénom, date de naissance, sexe, NIR)";
            case CONTACT -> "Coordonnées (courriel, téléphone)";
            case AGENDA -> "Rendez-vous (dates, statuts, praticiens)";
            case MEDICAL -> "Données de santé (motifs, commentaires, contenus de téléconsultation)";
            case ACCESS_LOG -> "Journal des accès";
        };
    }
}
