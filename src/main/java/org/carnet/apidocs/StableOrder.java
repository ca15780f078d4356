package org.carnet.apidocs;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Paths;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Paths and schemas in alphabetical order, so that the document reads the same on every start and a
 * committed copy of it changes only where the API does.
 */
@Component
@Order(3)
class StableOrder implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getPaths() != null) {
            Paths sorted = new Paths();
            new TreeMap<>(openApi.getPaths()).forEach(sorted::addPathItem);
            openApi.setPaths(sorted);
        }
        if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
            openApi.getComponents()
                    .setSchemas(new TreeMap<>(openApi.getComponents().getSchemas()));
        }
    }
}
