package io.unichannel.ticket;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.persistence.AttributeConverter;

/**
 * What a partner attaches to a ticket through TMF621 and the platform keeps as given: the entities
 * it concerns (a bill, a line, a product), attachments by reference, the partner's own external
 * identifiers and its links to other tickets. Stored as one JSON document on the ticket.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TicketDetails(List<RelatedEntity> relatedEntity, List<Attachment> attachment,
        List<ExternalIdentifier> externalIdentifier, List<Relationship> relationship) {

    public static final TicketDetails NONE = new TicketDetails(List.of(), List.of(), List.of(), List.of());

    public TicketDetails {
        relatedEntity = relatedEntity == null ? List.of() : List.copyOf(relatedEntity);
        attachment = attachment == null ? List.of() : List.copyOf(attachment);
        externalIdentifier = externalIdentifier == null ? List.of() : List.copyOf(externalIdentifier);
        relationship = relationship == null ? List.of() : List.copyOf(relationship);
    }

    public TicketDetails withRelatedEntity(List<RelatedEntity> entities) {
        return new TicketDetails(entities, attachment, externalIdentifier, relationship);
    }

    public TicketDetails withAttachment(List<Attachment> attachments) {
        return new TicketDetails(relatedEntity, attachments, externalIdentifier, relationship);
    }

    public TicketDetails withExternalIdentifier(List<ExternalIdentifier> identifiers) {
        return new TicketDetails(relatedEntity, attachment, identifiers, relationship);
    }

    public TicketDetails withRelationship(List<Relationship> relationships) {
        return new TicketDetails(relatedEntity, attachment, externalIdentifier, relationships);
    }

    /** An entity the ticket concerns, in a role (TMF621 RelatedEntity with its EntityRef). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RelatedEntity(String role, String id, String href, String name, String referredType) {
    }

    /** A document the partner keeps and the ticket points to (TMF621 AttachmentRef). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attachment(String id, String href, String name, String description, String url, String mimeType,
            String attachmentType) {
    }

    /** The partner's own reference for the ticket. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExternalIdentifier(String id, String externalIdentifierType, String owner) {
    }

    /** A link the partner gave to another ticket (TMF621 TroubleTicketRelationship). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Relationship(String id, String href, String name, String relationshipType) {
    }

    /** Stores the details as JSON text. */
    public static class Converter implements AttributeConverter<TicketDetails, String> {

        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public String convertToDatabaseColumn(TicketDetails details) {
            try {
                return JSON.writeValueAsString(details == null ? NONE : details);
            } catch (Exception e) {
                throw new IllegalStateException("ticket details could not be written", e);
            }
        }

        @Override
        public TicketDetails convertToEntityAttribute(String json) {
            try {
                return json == null || json.isBlank() ? NONE : JSON.readValue(json, TicketDetails.class);
            } catch (Exception e) {
                throw new IllegalStateException("ticket details could not be read", e);
            }
        }
    }
}
