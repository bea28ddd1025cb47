package io.unichannel.ticket.tmf;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** Validates bodies against the TMF621 v5.0.0 schemas (src/test/resources/tmf621, written from the official document). */
final class Tmf621Schemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private Tmf621Schemas() {
    }

    /** The problems with this body as an instance of the named schema (empty when it is valid). */
    static Set<String> problems(String schema, JsonNode body) {
        JsonSchema validator = SCHEMAS.computeIfAbsent(schema, name -> FACTORY.getSchema(
                SchemaLocation.of("classpath:tmf621/tmf621-v5-schemas.json#/$defs/" + name), CONFIG));
        return validator.validate(body).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }

    static void assertValid(String schema, JsonNode body) {
        Set<String> problems = problems(schema, body);
        if (!problems.isEmpty()) {
            throw new AssertionError("not a valid TMF621 v5 " + schema + ": " + problems + "\n" + body);
        }
    }
}
