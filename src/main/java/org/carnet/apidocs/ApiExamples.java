package org.carnet.apidocs;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts the examples of {@code openapi/examples.json} (operation id, then {@code request} or a status,
 * then the example body) into the document. An example naming an operation or a status the document
 * does not have is refused: examples must not outlive what they illustrate. Spectral checks each one
 * against its schema.
 */
@Component
@Order(2)
class ApiExamples implements OpenApiCustomizer {

    static final String RESOURCE = "openapi/examples.json";

    private final Map<String, Map<String, Object>> examples;

    ApiExamples() {
        this(read());
    }

    ApiExamples(Map<String, Map<String, Object>> examples) {
        this.examples = examples;
    }

    @Override
    public void customise(OpenAPI openApi) {
        Map<String, Operation> operations = new HashMap<>();
        if (openApi.getPaths() != null) {
            openApi.getPaths()
                    .values()
                    .forEach(path -> path.readOperations()
                            .forEach(operation -> operations.put(operation.getOperationId(), operation)));
        }
        examples.forEach((operationId, byPart) -> {
            Operation operation = operations.get(operationId);
            if (operation == null) {
                throw new IllegalStateException(RESOURCE + ": no operation " + operationId);
            }
            byPart.forEach((part, example) ->
                    content(operation, operationId, part).values().forEach(media -> media.setExample(example)));
        });
    }

    private static Content content(Operation operation, String operationId, String part) {
        Content content = null;
        if (part.equals("request")) {
            content = operation.getRequestBody() == null
                    ? null
                    : operation.getRequestBody().getContent();
        } else if (operation.getResponses() != null) {
            ApiResponse response = operation.getResponses().get(part);
            content = response == null ? null : response.getContent();
        }
        if (content == null) {
            throw new IllegalStateException(RESOURCE + ": " + operationId + " has no " + part + " body");
        }
        return content;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> read() {
        try (InputStream in = new ClassPathResource(RESOURCE).getInputStream()) {
            return JsonMapper.builder().build().readValue(in, LinkedHashMap.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }
}
