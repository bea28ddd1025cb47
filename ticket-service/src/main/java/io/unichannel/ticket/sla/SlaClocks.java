package io.unichannel.ticket.sla;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import jakarta.persistence.AttributeConverter;

/** A ticket's SLA clocks, stored with the ticket as one JSON document. */
public record SlaClocks(List<SlaClock> clocks) {

    public SlaClocks() {
        this(new ArrayList<>());
    }

    @jakarta.persistence.Converter
    public static class Converter implements AttributeConverter<SlaClocks, String> {

        static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

        @Override
        public String convertToDatabaseColumn(SlaClocks clocks) {
            try {
                return JSON.writeValueAsString(clocks == null ? new SlaClocks() : clocks);
            } catch (Exception e) {
                throw new IllegalStateException("SLA clocks could not be written", e);
            }
        }

        @Override
        public SlaClocks convertToEntityAttribute(String json) {
            if (json == null || json.isBlank()) {
                return new SlaClocks();
            }
            try {
                return new SlaClocks(new ArrayList<>(JSON.readValue(json, SlaClocks.class).clocks()));
            } catch (Exception e) {
                throw new IllegalStateException("SLA clocks could not be read", e);
            }
        }
    }
}
