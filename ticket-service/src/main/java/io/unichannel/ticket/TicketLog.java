package io.unichannel.ticket;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import jakarta.persistence.AttributeConverter;

/** A ticket's status history and notes, kept together as one JSON document. */
public record TicketLog(List<StatusChange> statusHistory, List<Note> notes) {

    public TicketLog() {
        this(new ArrayList<>(), new ArrayList<>());
    }

    /** Stores the log as JSON text; reading it back gives mutable lists. */
    @jakarta.persistence.Converter
    public static class Converter implements AttributeConverter<TicketLog, String> {

        private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

        @Override
        public String convertToDatabaseColumn(TicketLog log) {
            try {
                return JSON.writeValueAsString(log);
            } catch (Exception e) {
                throw new IllegalStateException("ticket log could not be written", e);
            }
        }

        @Override
        public TicketLog convertToEntityAttribute(String json) {
            try {
                TicketLog read = JSON.readValue(json, TicketLog.class);
                return new TicketLog(new ArrayList<>(read.statusHistory()), new ArrayList<>(read.notes()));
            } catch (Exception e) {
                throw new IllegalStateException("ticket log could not be read", e);
            }
        }
    }
}
