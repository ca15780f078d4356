package org.carnet.apidocs;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Carnet's request and response bodies are records in {@code @NullMarked} packages: a component
 * marked {@code @Nullable} may be {@code null} or absent, every other one is always there. This
 * says so in the schemas, so that clients neither choke on a {@code null} nor guess what is optional.
 */
@Component
class RecordSchemas implements ModelConverter {

    @Override
    @SuppressWarnings("rawtypes")
    public @Nullable Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        if (!chain.hasNext()) {
            return null;
        }
        Schema<?> schema = chain.next().resolve(type, context, chain);
        Class<?> raw = Json.mapper().constructType(type.getType()).getRawClass();
        if (schema == null || !raw.isRecord()) {
            return schema;
        }
        Schema<?> model = schema;
        if (schema.get$ref() != null) {
            model = context.getDefinedModels()
                    .get(schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1));
        }
        if (model != null && model.getProperties() != null) {
            describe(raw, model);
        }
        return schema;
    }

    private static void describe(Class<?> record, Schema<?> model) {
        Map<String, Schema> properties = model.getProperties();
        List<String> required = new ArrayList<>(model.getRequired() == null ? List.of() : model.getRequired());
        for (RecordComponent component : record.getRecordComponents()) {
            String name = jsonName(component);
            Schema<?> property = properties.get(name);
            if (property == null) {
                continue;
            }
            if (component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
                required.remove(name);
                properties.put(name, nullable(property));
            } else if (!required.contains(name)) {
                required.add(name);
            }
        }
        model.setRequired(required.isEmpty() ? null : required.stream().sorted().toList());
    }

    private static Schema<?> nullable(Schema<?> property) {
        if (property.get$ref() != null) {
            if (property.getAnyOf() != null) {
                return property;
            }
            return new JsonSchema().anyOf(List.of(new JsonSchema().$ref(property.get$ref()), nullType()));
        }
        if (property.getAnyOf() != null) {
            return property;
        }
        Set<String> types = new LinkedHashSet<>(property.getTypes() == null ? Set.of() : property.getTypes());
        if (property.getType() != null) {
            types.add(property.getType());
        }
        types.add("null");
        property.setTypes(types);
        return property;
    }

    private static Schema<?> nullType() {
        return new JsonSchema().types(new LinkedHashSet<>(List.of("null")));
    }

    private static String jsonName(RecordComponent component) {
        JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
        if (renamed == null) {
            try {
                renamed = component
                        .getDeclaringRecord()
                        .getDeclaredField(component.getName())
                        .getAnnotation(JsonProperty.class);
            } catch (NoSuchFieldException e) {
                renamed = null;
            }
        }
        return renamed != null && !renamed.value().isEmpty() ? renamed.value() : component.getName();
    }
}
