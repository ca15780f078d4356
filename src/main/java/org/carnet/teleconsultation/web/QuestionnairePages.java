package org.carnet.teleconsultation.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.directory.VisitMotive;
import org.carnet.identity.SignedIn;
import org.carnet.shared.Actor;
import org.carnet.shared.ForbiddenException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.Role;
import org.carnet.shared.UnprocessableException;
import org.carnet.shared.WebPage;
import org.carnet.teleconsultation.Question;
import org.carnet.teleconsultation.Questionnaire;
import org.carnet.teleconsultation.Questionnaires;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The page where practitioners ({@code /agenda/questionnaires}) and establishment administrators
 * ({@code /establishment/questionnaires}) define pre-consultation questionnaires and attach them to
 * teleconsultation motives: the API's operations as plain forms, without script. A form is a title and
 * rows of questions; a row left without a label is not a question. Question ids ({@code q1}, {@code
 * q2}…) follow the order of the filled rows. Definitions are not medical data; the answers are
 * end-to-end encrypted and never pass through here.
 */
@WebPage
class QuestionnairePages {

    static final int DEFAULT_ROWS = 3;

    /** A question row of the form, as typed. */
    record Row(int index, String label, String type, boolean required, String options) {}

    /** A motive the viewer may attach questionnaires to: a teleconsultation motive they may edit. */
    record MotiveOption(String id, String label) {}

    record QuestionLine(String label, String type, boolean required, List<String> options) {}

    record Listed(
            String id,
            String title,
            String author,
            boolean attachable,
            List<QuestionLine> questions,
            List<MotiveOption> attached,
            List<MotiveOption> attachableTo) {}

    private final Questionnaires questionnaires;
    private final Directory directory;

    QuestionnairePages(Questionnaires questionnaires, Directory directory) {
        this.questionnaires = questionnaires;
        this.directory = directory;
    }

    @GetMapping({"/agenda/questionnaires", "/establishment/questionnaires"})
    String list(Model model) {
        Actor.Person me = author();
        List<Row> empty = new ArrayList<>();
        for (int i = 0; i < DEFAULT_ROWS; i++) {
            empty.add(new Row(i, "", Question.Type.FREE_TEXT.name(), false, ""));
        }
        return show(me, "", empty, Map.of(), model);
    }

    @PostMapping({"/agenda/questionnaires", "/establishment/questionnaires"})
    String define(
            @RequestParam Map<String, String> typed,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model,
            RedirectAttributes redirect) {
        Actor.Person me = author();
        String title = typed.getOrDefault("title", "").strip();
        List<Row> rows = rows(typed);
        if ("true".equals(typed.get("more"))) {
            // "More questions": the same form, what was typed kept, with empty rows added; nothing checked yet.
            List<Row> more = new ArrayList<>(rows);
            for (int i = rows.size(); i < Math.min(rows.size() + DEFAULT_ROWS, Questionnaire.MAX_QUESTIONS); i++) {
                more.add(new Row(i, "", Question.Type.FREE_TEXT.name(), false, ""));
            }
            return show(me, title, more, Map.of(), model);
        }
        Map<String, String> errors = new HashMap<>();
        if (title.isEmpty() || title.length() > Questionnaire.MAX_TITLE) {
            errors.put("title", "questionnaires.error.title");
        }
        List<Question> questions = new ArrayList<>();
        for (Row row : rows) {
            if (row.label().isEmpty()) {
                continue;
            }
            Question.Type type = type(row.type());
            List<String> options = row.options()
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .toList();
            try {
                if (type == null) {
                    throw new InvalidRequestException("questions.type", "unknown type");
                }
                questions.add(new Question("q" + (questions.size() + 1), type, row.label(), row.required(), options));
            } catch (InvalidRequestException e) {
                errors.put("q" + row.index() + "." + rowField(e.field()), errorKey(e.field(), type, options));
            }
        }
        if (questions.isEmpty() && !errors.keySet().stream().anyMatch(k -> k.startsWith("q"))) {
            errors.put("q0.label", "questionnaires.error.none");
        }
        if (errors.isEmpty()) {
            questionnaires.define(me, title, questions);
            redirect.addFlashAttribute("notice", "questionnaires.defined");
            return "redirect:" + base(request);
        }
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        return show(me, title, rows, errors, model);
    }

    @PostMapping({"/agenda/questionnaires/{id}/motives", "/establishment/questionnaires/{id}/motives"})
    String attach(
            @PathVariable UUID id,
            @RequestParam(name = "motiveId", required = false) @Nullable UUID motiveId,
            HttpServletRequest request,
            RedirectAttributes redirect) {
        Actor.Person me = author();
        if (motiveId == null) {
            redirect.addFlashAttribute("problem", "questionnaires.error.motive");
            return "redirect:" + base(request);
        }
        try {
            questionnaires.attach(me, id, motiveId);
            redirect.addFlashAttribute("notice", "questionnaires.attached");
        } catch (ForbiddenException | UnprocessableException e) {
            redirect.addFlashAttribute("problem", "questionnaires.error.attach");
        }
        return "redirect:" + base(request);
    }

    @PostMapping({
        "/agenda/questionnaires/{id}/motives/{motiveId}/remove",
        "/establishment/questionnaires/{id}/motives/{motiveId}/remove"
    })
    String detach(
            @PathVariable UUID id,
            @PathVariable UUID motiveId,
            HttpServletRequest request,
            RedirectAttributes redirect) {
        Actor.Person me = author();
        try {
            questionnaires.detach(me, id, motiveId);
            redirect.addFlashAttribute("notice", "questionnaires.detached");
        } catch (ForbiddenException e) {
            redirect.addFlashAttribute("problem", "questionnaires.error.attach");
        }
        return "redirect:" + base(request);
    }

    private String show(Actor.Person me, String title, List<Row> rows, Map<String, String> errors, Model model) {
        List<VisitMotive> editable = editableMotives(me);
        Map<UUID, MotiveOption> options = new LinkedHashMap<>();
        for (VisitMotive motive : editable) {
            options.put(motive.id(), new MotiveOption(motive.id().toString(), motiveLabel(me, motive)));
        }
        Map<UUID, List<UUID>> attachments = questionnaires.attachedMotives(me);
        List<Listed> listed = questionnaires.ofEstablishment(me).stream()
                .map(q -> {
                    List<UUID> on = attachments.getOrDefault(q.id(), List.of());
                    boolean attachable = me.role() == Role.ESTABLISHMENT_ADMIN
                            || q.practitionerId() == null
                            || q.practitionerId().equals(me.subjectId());
                    return new Listed(
                            q.id().toString(),
                            q.title(),
                            author(me, q),
                            attachable,
                            q.questions().stream()
                                    .map(x ->
                                            new QuestionLine(x.label(), x.type().name(), x.required(), x.options()))
                                    .toList(),
                            on.stream()
                                    .map(options::get)
                                    .filter(Objects::nonNull)
                                    .toList(),
                            attachable
                                    ? options.entrySet().stream()
                                            .filter(e -> !on.contains(e.getKey()))
                                            .map(Map.Entry::getValue)
                                            .toList()
                                    : List.of());
                })
                .toList();
        model.addAttribute("questionnaires", listed);
        model.addAttribute("hasMotives", !editable.isEmpty());
        model.addAttribute("administrator", me.role() == Role.ESTABLISHMENT_ADMIN);
        model.addAttribute("formTitle", title);
        model.addAttribute("rows", rows);
        model.addAttribute("canAddRows", rows.size() < Questionnaire.MAX_QUESTIONS);
        model.addAttribute(
                "types",
                List.of(Question.Type.values()).stream().map(Enum::name).toList());
        model.addAttribute("errors", errors);
        model.addAttribute(
                "base",
                me.role() == Role.ESTABLISHMENT_ADMIN ? "/establishment/questionnaires" : "/agenda/questionnaires");
        return "questionnaires";
    }

    /** The teleconsultation motives the viewer may attach to: a practitioner's own, or all the establishment's. */
    private List<VisitMotive> editableMotives(Actor.Person me) {
        List<UUID> practitioners = me.role() == Role.PRACTITIONER
                ? List.of(me.subjectId())
                : directory.practitionersOf(me.professionalEstablishmentId()).stream()
                        .map(Practitioner::id)
                        .toList();
        List<VisitMotive> motives = new ArrayList<>();
        for (UUID practitioner : practitioners) {
            directory.motives(practitioner).stream()
                    .filter(VisitMotive::teleconsultation)
                    .forEach(motives::add);
        }
        return motives;
    }

    /** An administrator sees whose motive it is; a practitioner only has their own. */
    private String motiveLabel(Actor.Person me, VisitMotive motive) {
        if (me.role() == Role.PRACTITIONER) {
            return motive.label();
        }
        return directory
                .practitioner(motive.practitionerId())
                .map(p -> motive.label() + " — " + p.displayName())
                .orElse(motive.label());
    }

    /** A message key naming who defined it, seen from the viewer. */
    private static String author(Actor.Person me, Questionnaire questionnaire) {
        UUID practitioner = questionnaire.practitionerId();
        if (practitioner == null) {
            return "questionnaires.author.establishment";
        }
        if (me.role() == Role.ESTABLISHMENT_ADMIN) {
            return "questionnaires.author.practitioner";
        }
        return practitioner.equals(me.subjectId()) ? "questionnaires.author.yours" : "questionnaires.author.colleague";
    }

    /** Practitioners and administrators only; staff, who may see agendas, get 403. */
    private static Actor.Person author() {
        Actor.Person me = SignedIn.required();
        if (me.role() != Role.PRACTITIONER && me.role() != Role.ESTABLISHMENT_ADMIN) {
            throw new AccessDeniedException("not a questionnaire author");
        }
        return me;
    }

    private static String base(HttpServletRequest request) {
        return request.getServletPath().startsWith("/establishment/")
                ? "/establishment/questionnaires"
                : "/agenda/questionnaires";
    }

    /** The rows of the submitted form, in order ({@code q0.label}, {@code q0.type}…; at most 50). */
    private static List<Row> rows(Map<String, String> typed) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < Questionnaire.MAX_QUESTIONS; i++) {
            String prefix = "q" + i + ".";
            if (!typed.containsKey(prefix + "label")) {
                break;
            }
            rows.add(new Row(
                    i,
                    typed.getOrDefault(prefix + "label", "").strip(),
                    typed.getOrDefault(prefix + "type", Question.Type.FREE_TEXT.name()),
                    "true".equals(typed.get(prefix + "required")),
                    typed.getOrDefault(prefix + "options", "")));
        }
        return rows;
    }

    private static Question.@Nullable Type type(String name) {
        for (Question.Type type : Question.Type.values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }

    /** The row's input a problem of {@link Question} is about. */
    private static String rowField(String field) {
        return switch (field) {
            case "questions.options" -> "options";
            case "questions.type" -> "type";
            default -> "label";
        };
    }

    private static String errorKey(String field, Question.@Nullable Type type, List<String> options) {
        return switch (field) {
            case "questions.options" ->
                type != null && !type.choice() && !options.isEmpty()
                        ? "questionnaires.error.optionsUnused"
                        : "questionnaires.error.options";
            case "questions.type" -> "questionnaires.error.type";
            default -> "questionnaires.error.label";
        };
    }
}
