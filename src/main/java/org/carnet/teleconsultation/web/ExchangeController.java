package org.carnet.teleconsultation.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.carnet.identity.SignedIn;
import org.carnet.teleconsultation.ConsultationExchanges;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A teleconsultation's written exchange: messages and documents as JWE ciphertext (docs/e2e.md,
 * "Exchanges"), between its patient and the practitioners of the establishment in care of the patient.
 */
@RestController
@RequestMapping("/api/v1/teleconsultations")
@Tag(name = "Teleconsultations")
class ExchangeController {

    /**
     * A message to store: the id the sender's client bound into the envelope, the sender's number for it (bound
     * there too; absent for an unnumbered message), and the envelope.
     */
    record MessageUpload(
            @NotNull UUID messageId,

            @Nullable @Min(1) @Max(ConsultationExchanges.MAX_SEQUENCE)
            Integer sequence,

            @NotNull @Valid Jwe envelope) {}

    /** A message as served; {@code sequence} null for an unnumbered one. */
    record Message(
            UUID messageId,
            String sender,
            UUID senderId,
            @Nullable Integer sequence,
            Jwe envelope,
            String postedAt) {
        static Message of(ConsultationExchanges.MessageView message) {
            return new Message(
                    message.id(),
                    message.senderKind().code(),
                    message.senderId(),
                    message.sequence(),
                    Jwe.of(message.envelope()),
                    message.postedAt().toString());
        }
    }

    /** A document to create: its id, its size in bytes (which fixes its chunks) and its encrypted descriptor. */
    record DocumentUpload(
            @NotNull UUID documentId,

            @NotNull @Min(1) @Max(ConsultationExchanges.MAX_DOCUMENT)
            Integer size,

            @NotNull @Valid Jwe descriptor) {}

    /** A document as served: its descriptor and its chunks' progress. */
    record Document(
            UUID documentId,
            String uploader,
            UUID uploaderId,
            int size,
            int chunkCount,
            int chunksStored,
            boolean complete,
            Jwe descriptor,
            String createdAt) {
        static Document of(ConsultationExchanges.DocumentView document) {
            return new Document(
                    document.id(),
                    document.uploaderKind().code(),
                    document.uploaderId(),
                    document.size(),
                    document.chunkCount(),
                    document.chunksStored(),
                    document.complete(),
                    Jwe.of(document.descriptor()),
                    document.createdAt().toString());
        }
    }

    private final ConsultationExchanges exchanges;

    ExchangeController(ConsultationExchanges exchanges) {
        this.exchanges = exchanges;
    }

    @PostMapping("/{appointmentId}/messages")
    @ApiResponse(
            responseCode = "423",
            description = "The establishment is read-only for the time of a security incident")
    @Operation(
            operationId = "postConsultationMessage",
            summary = "Post a message to the teleconsultation's exchange, encrypted",
            description = "The patient, or a practitioner of the establishment in care of the patient, once the"
                    + " consultation key is set up. One JWE (dir, A256GCM under the consultation key, cty"
                    + " application/vnd.carnet.message+json) bound by its protected header to this consultation,"
                    + " the kind message and messageId (docs/e2e.md, \"Exchanges\"); at most 64 KiB of ciphertext."
                    + " A numbered message (sequence given) is bound besides to its sender (the caller) and its"
                    + " number, the sender's own count of their messages from 1, which each sender uses once; its"
                    + " reader shows a gap in a sender's numbers as a withheld message (docs/e2e.md, \"Sequence"
                    + " numbers\")."
                    + " The server checks the shape and binding only, records the write in the patient's access"
                    + " log, and tells the other side that a message arrived, without a word of it.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "201", description = "Stored")
    @ApiResponse(responseCode = "404", description = "No such teleconsultation for the caller, or no key set up yet")
    @ApiResponse(
            responseCode = "409",
            description = "A message with this id, or this sender's number, is already stored, or the exchange is full")
    @ApiResponse(
            responseCode = "422",
            description = "The envelope is bound to another consultation, kind or item, or to another sender or number")
    @ApiResponse(responseCode = "403", description = "The caller is neither a patient nor a practitioner")
    ResponseEntity<Message> post(@PathVariable UUID appointmentId, @Valid @RequestBody MessageUpload upload) {
        Message stored = Message.of(exchanges.post(
                SignedIn.required(),
                appointmentId,
                upload.messageId(),
                upload.sequence(),
                upload.envelope().envelope()));
        return ResponseEntity.created(URI.create("/api/v1/teleconsultations/" + appointmentId + "/messages"))
                .body(stored);
    }

    @GetMapping("/{appointmentId}/messages")
    @Operation(
            operationId = "listConsultationMessages",
            summary = "The teleconsultation's messages, encrypted, oldest first",
            description = "The patient, or a practitioner of the establishment in care of the patient; recorded in the"
                    + " patient's access log. Staff, administrators, other establishments and other patients are"
                    + " refused.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The messages (at most 1000)")
    @ApiResponse(responseCode = "404", description = "No exchange the caller may read")
    List<Message> messages(@PathVariable UUID appointmentId) {
        return exchanges.messages(SignedIn.required(), appointmentId).stream()
                .map(Message::of)
                .toList();
    }

    @PostMapping("/{appointmentId}/documents")
    @ApiResponse(
            responseCode = "423",
            description = "The establishment is read-only for the time of a security incident")
    @Operation(
            operationId = "createConsultationDocument",
            summary = "Start a document's upload: its size and its encrypted descriptor",
            description = "The patient, or a practitioner of the establishment in care of the patient. The descriptor"
                    + " is a JWE (dir, A256GCM, cty application/vnd.carnet.document+json) bound to this"
                    + " consultation, the kind document and documentId; it holds the document's name, media type,"
                    + " SHA-256 and, for a prescription or a report, the practitioner's JWS (ES256) over them"
                    + " (docs/e2e.md). The size (at most 20 MB) fixes the chunks: ceil(size / 1 MiB), each 1 MiB"
                    + " but the last. The chunks follow, by the same person (PUT …/chunks/{index}).",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "201", description = "Created; no chunk stored yet")
    @ApiResponse(responseCode = "404", description = "No such teleconsultation for the caller, or no key set up yet")
    @ApiResponse(responseCode = "409", description = "A document with this id exists, or the exchange is full")
    @ApiResponse(responseCode = "422", description = "The descriptor is bound to another consultation, kind or item")
    @ApiResponse(responseCode = "403", description = "The caller is neither a patient nor a practitioner")
    ResponseEntity<Document> createDocument(
            @PathVariable UUID appointmentId, @Valid @RequestBody DocumentUpload upload) {
        Document created = Document.of(exchanges.createDocument(
                SignedIn.required(),
                appointmentId,
                upload.documentId(),
                upload.size(),
                upload.descriptor().envelope()));
        return ResponseEntity.created(
                        URI.create("/api/v1/teleconsultations/" + appointmentId + "/documents/" + upload.documentId()))
                .body(created);
    }

    @PutMapping("/{appointmentId}/documents/{documentId}/chunks/{index}")
    @ApiResponse(
            responseCode = "423",
            description = "The establishment is read-only for the time of a security incident")
    @Operation(
            operationId = "storeConsultationDocumentChunk",
            summary = "Store one encrypted chunk of a document",
            description = "The document's uploader. A JWE (dir, A256GCM, cty application/vnd.carnet.document-chunk)"
                    + " bound to this consultation, the kind document-chunk and the item <documentId>/<index>, whose"
                    + " ciphertext is exactly the chunk's length (1 MiB, the last one the rest). Each chunk is"
                    + " written once; the document is complete when all are stored, and the other side is then"
                    + " told, without a word of it.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "Stored; the document's progress")
    @ApiResponse(responseCode = "404", description = "No such document of the caller's")
    @ApiResponse(responseCode = "409", description = "This chunk is already stored")
    @ApiResponse(
            responseCode = "422",
            description = "The chunk is bound to another consultation, document or index, or has the wrong length")
    @ApiResponse(responseCode = "403", description = "The caller is neither a patient nor a practitioner")
    Document storeChunk(
            @PathVariable UUID appointmentId,
            @PathVariable UUID documentId,
            @PathVariable @Min(0) @Max(19) int index,
            @Valid @RequestBody ChunkJwe chunk) {
        return Document.of(
                exchanges.storeChunk(SignedIn.required(), appointmentId, documentId, index, chunk.envelope()));
    }

    @GetMapping("/{appointmentId}/documents")
    @Operation(
            operationId = "listConsultationDocuments",
            summary = "The teleconsultation's documents: their encrypted descriptors and chunk counts",
            description = "The patient, or a practitioner of the establishment in care of the patient; recorded in the"
                    + " patient's access log.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The documents")
    @ApiResponse(responseCode = "404", description = "No exchange the caller may read")
    List<Document> documents(@PathVariable UUID appointmentId) {
        return exchanges.documents(SignedIn.required(), appointmentId).stream()
                .map(Document::of)
                .toList();
    }

    @GetMapping("/{appointmentId}/documents/{documentId}/chunks/{index}")
    @Operation(
            operationId = "getConsultationDocumentChunk",
            summary = "One encrypted chunk of a document",
            description = "The patient, or a practitioner of the establishment in care of the patient; each chunk"
                    + " fetched is recorded in the patient's access log.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The chunk's envelope")
    @ApiResponse(responseCode = "404", description = "No such chunk the caller may read")
    ChunkJwe chunk(
            @PathVariable UUID appointmentId, @PathVariable UUID documentId, @PathVariable @Min(0) @Max(19) int index) {
        return ChunkJwe.of(exchanges.chunk(SignedIn.required(), appointmentId, documentId, index));
    }
}
