package org.carnet.apidocs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiExamplesTest {

    @Test
    void examplesGoToTheirOperationsRequestAndResponse() {
        OpenAPI api = anApi();
        new ApiExamples(Map.of("book", Map.of("request", Map.of("slotId", "s"), "201", Map.of("id", "a"))))
                .customise(api);
        Operation book = api.getPaths().get("/book").getPost();
        assertThat(book.getRequestBody().getContent().get("application/json").getExample())
                .isEqualTo(Map.of("slotId", "s"));
        assertThat(book.getResponses()
                        .get("201")
                        .getContent()
                        .get("application/json")
                        .getExample())
                .isEqualTo(Map.of("id", "a"));
    }

    @Test
    void anExampleOfAnOperationOrStatusTheDocumentLacksIsRefused() {
        assertThatThrownBy(() -> new ApiExamples(Map.of("gone", Map.of("201", Map.of()))).customise(anApi()))
                .hasMessageContaining("no operation gone");
        assertThatThrownBy(() -> new ApiExamples(Map.of("book", Map.of("200", Map.of()))).customise(anApi()))
                .hasMessageContaining("book has no 200 body");
    }

    private static OpenAPI anApi() {
        Operation book = new Operation()
                .operationId("book")
                .requestBody(new RequestBody().content(new Content().addMediaType("application/json", new MediaType())))
                .responses(new ApiResponses()
                        .addApiResponse(
                                "201",
                                new ApiResponse()
                                        .content(new Content().addMediaType("application/json", new MediaType()))));
        return new OpenAPI().paths(new Paths().addPathItem("/book", new PathItem().post(book)));
    }
}
