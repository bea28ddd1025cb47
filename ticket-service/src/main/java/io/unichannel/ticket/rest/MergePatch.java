package io.unichannel.ticket.rest;

import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.unichannel.common.problem.Problem;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/**
 * Reads a TMF621 merge-patch (RFC 7386) of a ticket. A typed body cannot tell an attribute set to
 * null (remove it) from one left out (keep it), so the patch is read as a JSON tree first: the
 * attributes the platform sets are refused naming them, a null is allowed only where removing
 * makes sense, and the rest binds strictly (an unknown attribute is refused) and is validated.
 */
final class MergePatch {

    /** Set by the platform: a partner may read them, never write them. */
    static final Set<String> READ_ONLY = Set.of("id", "href", "ticketType", "channel", "creationDate", "lastUpdate",
            "statusChangeDate", "statusChangeHistory", "expectedResolutionDate", "resolutionDate", "externalIdentifier",
            "troubleTicketSpecification", "troubleTicketRelationship");
    /** What null removes. */
    static final Set<String> REMOVABLE = Set.of("name", "requestedResolutionDate", "attachment", "relatedEntity");
    /** Where null simply means nothing to do. */
    static final Set<String> NULL_IS_NOTHING = Set.of("@type", "@baseType", "@schemaLocation", "statusChangeReason", "note");
    /** What the operator's staff change and a partner does not. */
    static final Set<String> STAFF_ONLY = Set.of("status", "statusChangeReason", "relatedParty", "priority", "severity",
            "troubleTicketCharacteristic");

    private MergePatch() {
    }

    static TicketPatch read(JsonNode body, ObjectMapper json, Validator validator) {
        if (body == null || !body.isObject()) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid request", 400,
                    "A merge-patch is a JSON object of the attributes to change.");
        }
        List<Map<String, String>> errors = new ArrayList<>();
        ObjectNode values = ((ObjectNode) body).deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (READ_ONLY.contains(name)) {
                errors.add(Map.of("field", name, "message", "is set by the platform and cannot be changed"));
            } else if (field.getValue().isNull()) {
                if (!REMOVABLE.contains(name) && !NULL_IS_NOTHING.contains(name)) {
                    errors.add(Map.of("field", name, "message", "cannot be removed"));
                }
                values.remove(name);
            }
        }
        if (!errors.isEmpty()) {
            throw refused(ProblemTypes.INVALID_REQUEST, "Invalid request", 400, errors);
        }
        TicketPatch patch;
        try {
            patch = json.readerFor(TicketPatch.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(values);
        } catch (java.io.IOException e) {
            throw MergePatch.<RuntimeException>unchecked(e);
        }
        for (ConstraintViolation<TicketPatch> violation : validator.validate(patch)) {
            errors.add(Map.of("field", violation.getPropertyPath().toString(), "message", violation.getMessage()));
        }
        if (!errors.isEmpty()) {
            errors.sort(java.util.Comparator.comparing(e -> e.get("field")));
            throw refused(ProblemTypes.INVALID_REQUEST, "Invalid request", 400, errors);
        }
        return patch;
    }

    /** Refuses the patch (403) when it names any of these attributes. */
    static void refuse(JsonNode body, Set<String> names, String why) {
        List<Map<String, String>> errors = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (names.contains(name)) {
                errors.add(Map.of("field", name, "message", why));
            }
        });
        if (!errors.isEmpty()) {
            throw refused(ProblemTypes.FORBIDDEN, "Forbidden", 403, errors);
        }
    }

    /** An attribute null removes: null when the patch leaves it out, empty when it removes it. */
    static <T> Optional<T> optional(JsonNode body, String name, T value) {
        if (!body.has(name)) {
            return null;
        }
        return Optional.ofNullable(value);
    }

    /** A list attribute: null when the patch leaves it out, empty when it removes it, else the new list. */
    static <T> List<T> list(JsonNode body, String name, List<T> value) {
        if (!body.has(name)) {
            return null;
        }
        return value == null ? List.of() : value;
    }

    private static ProblemException refused(URI type, String title, int status, List<Map<String, String>> errors) {
        return new ProblemException(new Problem(type, title, status,
                "The change breaks " + errors.size() + " rule(s); see 'errors'.").with("errors", errors));
    }

    /** Rethrows the body's binding failure as it is, for the platform's problem mapper to answer 400 naming the attribute. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E unchecked(Throwable e) throws E {
        throw (E) e;
    }
}
