package io.unichannel.ticket.mapping;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.unichannel.ticket.TicketType;

/**
 * TMF621 TroubleTicketSpecification: one per ticket type the platform handles, naming the
 * characteristics its tickets carry. Read-only: the types are part of the product, not data.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "href", "@type"})
public record TroubleTicketSpecificationDto(String id, String href, @JsonProperty("@type") String type, String name,
        String description, String lifecycleStatus, String version, TimePeriod validFor,
        List<CharacteristicSpecification> specCharacteristic, OffsetDateTime lastUpdate) {

    public static final String VERSION = "1.0";
    public static final String BASE_PATH = TroubleTicketDto.API_ROOT + "/troubleTicketSpecification";
    private static final OffsetDateTime PUBLISHED = OffsetDateTime.parse("2026-12-01T00:00:00Z");

    public record TimePeriod(OffsetDateTime startDateTime) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CharacteristicSpecification(String name, String valueType, String description, Boolean configurable,
            Integer minCardinality, Integer maxCardinality, @JsonProperty("@type") String type) {
        static CharacteristicSpecification of(String name, String valueType, String description, boolean required) {
            return new CharacteristicSpecification(name, valueType, description, false, required ? 1 : 0, 1,
                    "CharacteristicSpecification");
        }
    }

    private static final List<CharacteristicSpecification> CHARACTERISTICS = List.of(
            CharacteristicSpecification.of("region", "string",
                    "The operator's service region of the customer (e.g. gz-tianhe); scopes staff and partners", false),
            CharacteristicSpecification.of("category", "string",
                    "The customer's or the rules' finer classification (e.g. billing, broadband)", false),
            CharacteristicSpecification.of("diagnosis", "string",
                    "What the automatic fault diagnosis found: line, device, outage, customer-config or unknown", false),
            CharacteristicSpecification.of("slaClock", "object",
                    "The ticket's SLA clocks: metric, state, target, time used and left (GET by id only)", false));

    private static final java.util.Map<TicketType, String> DESCRIPTIONS = java.util.Map.of(
            TicketType.CONSULTATION, "A question about a service, bill or offer (咨询); answered within 24 h",
            TicketType.COMPLAINT, "A complaint (投诉); responded to within 48 h, handled within 72 h",
            TicketType.BUSINESS_REQUEST, "A business request such as a package change (业务办理); done within 24 h",
            TicketType.FAULT_REPAIR, "A fault report for broadband or mobile service (故障报修); repaired within 4 h");

    public static List<TroubleTicketSpecificationDto> all() {
        return Arrays.stream(TicketType.values()).map(TroubleTicketSpecificationDto::of).toList();
    }

    public static Optional<TroubleTicketSpecificationDto> find(String id) {
        return TicketType.fromTmfName(id).map(TroubleTicketSpecificationDto::of);
    }

    private static TroubleTicketSpecificationDto of(TicketType type) {
        return new TroubleTicketSpecificationDto(type.tmfName(), BASE_PATH + "/" + type.tmfName(),
                "TroubleTicketSpecification", type.tmfName(), DESCRIPTIONS.get(type), "active", VERSION,
                new TimePeriod(PUBLISHED), CHARACTERISTICS, PUBLISHED);
    }
}
