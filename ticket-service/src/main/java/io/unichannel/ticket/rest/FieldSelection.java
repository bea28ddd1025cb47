package io.unichannel.ticket.rest;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;

/**
 * TMF630 attribute selection: {@code fields=status,relatedParty} returns only those first-level
 * attributes, plus {@code id}, {@code href} and {@code @type}, which every entity keeps.
 * {@code fields=none} returns just those three.
 */
record FieldSelection(Set<String> fields) {

    static final FieldSelection ALL = new FieldSelection(null);
    private static final Set<String> ALWAYS = Set.of("id", "href", "@type");

    static FieldSelection parse(String fields) {
        if (fields == null || fields.isBlank()) {
            return ALL;
        }
        if (fields.length() > 1000) {
            throw invalid("fields is at most 1000 characters.");
        }
        Set<String> selected = new LinkedHashSet<>(ALWAYS);
        for (String field : fields.split(",")) {
            String name = field.strip();
            if (name.isEmpty() || "none".equals(name)) {
                continue;
            }
            if (!name.matches("@?[A-Za-z][A-Za-z0-9]{0,63}")) {
                throw invalid("fields lists first-level attribute names separated by commas; '"
                        + (name.length() > 40 ? name.substring(0, 40) + "..." : name) + "' is not one.");
            }
            selected.add(name);
        }
        return new FieldSelection(selected);
    }

    /** The entity itself when nothing is selected, otherwise a map of the selected attributes in the entity's order. */
    @SuppressWarnings("unchecked")
    Object apply(Object entity, ObjectMapper json) {
        if (fields == null) {
            return entity;
        }
        Map<String, Object> all = json.convertValue(entity, LinkedHashMap.class);
        Map<String, Object> selected = new LinkedHashMap<>();
        all.forEach((name, value) -> {
            if (fields.contains(name)) {
                selected.put(name, value);
            }
        });
        return selected;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid fields", 400, detail);
    }
}
