package org.carnet.breach.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.carnet.breach.Article33Draft;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Lays an Article 33 draft out as a plain A4 PDF with PDFBox: headings and wrapped paragraphs in the standard
 * Helvetica fonts (their WinAnsi encoding covers French); a character outside it is shown as {@code ?}.
 */
final class Article33Pdf {

    private static final float MARGIN = 56;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private Article33Pdf() {}

    /** The draft as a PDF download, named after its incident and establishment. */
    static ResponseEntity<byte[]> download(Article33Draft draft) {
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"article-33-" + draft.incidentId() + "-" + draft.establishmentId()
                                + ".pdf\"")
                .body(render(draft));
    }

    static byte[] render(Article33Draft draft) {
        try (PDDocument document = new PDDocument()) {
            PDDocumentInformation info = document.getDocumentInformation();
            info.setTitle("Projet de notification à la CNIL (article 33 du RGPD)");
            info.setProducer("Carnet");
            Writer writer = new Writer(document);
            writer.heading("Projet de notification d'une violation de données à la CNIL", 15);
            writer.paragraph("Article 33 du RGPD. Projet établi par la plateforme Carnet, à vérifier et compléter par"
                    + " le responsable de traitement avant dépôt. Notification " + draft.phase() + ".");
            writer.section("Responsable de traitement");
            writer.paragraph(draft.establishmentName()
                    + (draft.establishmentFiness() == null ? "" : " (FINESS " + draft.establishmentFiness() + ")"));
            writer.section("Chronologie");
            writer.paragraph("Prise de connaissance : " + UTC.format(draft.awareAt()) + ". Notification due avant : "
                    + UTC.format(draft.notifyBy()) + (draft.overdue() ? " (délai dépassé)" : "")
                    + ". Projet établi le " + UTC.format(draft.generatedAt()) + ".");
            writer.section("Nature de la violation");
            writer.paragraph(draft.nature());
            writer.section("Personnes et données concernées");
            writer.bullets(draft.personCategories());
            writer.bullets(draft.dataCategories());
            writer.paragraph("Nombre approximatif de personnes concernées : " + draft.approximatePeople()
                    + ". Nombre approximatif d'enregistrements concernés : " + draft.approximateRecords()
                    + ". Personnes dont des données intelligibles ont été exposées (article 34) : "
                    + draft.peopleToTell() + ".");
            writer.paragraph(draft.scopeStatement());
            writer.section("Point de contact");
            writer.paragraph(draft.contactPoint());
            writer.section("Conséquences probables");
            writer.bullets(draft.likelyConsequences());
            writer.section("Mesures prises");
            writer.bullets(
                    draft.measuresTaken().isEmpty()
                            ? List.of("Aucune mesure enregistrée à ce stade.")
                            : draft.measuresTaken());
            writer.section("Mesures proposées");
            writer.bullets(draft.measuresProposed());
            writer.close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes lines top to bottom, page after page. */
    private static final class Writer {

        private final PDDocument document;
        private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
        private PDPageContentStream stream;
        private float y;

        Writer(PDDocument document) throws IOException {
            this.document = document;
            this.stream = newPage();
        }

        private PDPageContentStream newPage() throws IOException {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            y = PDRectangle.A4.getHeight() - MARGIN;
            return new PDPageContentStream(document, page);
        }

        void heading(String text, float size) throws IOException {
            lines(text, bold, size, 0);
            y -= 6;
        }

        void section(String text) throws IOException {
            y -= 8;
            lines(text, bold, 12, 0);
        }

        void paragraph(String text) throws IOException {
            lines(text, regular, 10, 0);
            y -= 4;
        }

        void bullets(List<String> items) throws IOException {
            for (String item : items) {
                lines("- " + item, regular, 10, 10);
            }
            y -= 4;
        }

        private void lines(String text, PDType1Font font, float size, float indent) throws IOException {
            float leading = size * 1.35f;
            for (String line : wrap(printable(text, font), font, size, WIDTH - indent)) {
                if (y - leading < MARGIN) {
                    stream.close();
                    stream = newPage();
                }
                y -= leading;
                stream.beginText();
                stream.setFont(font, size);
                stream.newLineAtOffset(MARGIN + indent, y);
                stream.showText(line);
                stream.endText();
            }
        }

        void close() throws IOException {
            stream.close();
        }
    }

    /** The text with each character the font cannot encode replaced by {@code ?}. */
    static String printable(String text, PDType1Font font) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            String one = new String(Character.toChars(c));
            try {
                font.encode(one);
                out.append(one);
            } catch (IOException | IllegalArgumentException e) {
                out.append('?');
            }
        });
        return out.toString();
    }

    private static List<String> wrap(String text, PDType1Font font, float size, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (font.getStringWidth(candidate) / 1000 * size > width && !line.isEmpty()) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
