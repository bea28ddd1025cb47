package io.unichannel.gateway.rest;

import java.util.Map;

import io.unichannel.common.validation.CleanText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What a channel front end sends to open a request. Every text is checked against what the
 * ticket store keeps (length, no control characters, valid Unicode) before the request is accepted.
 * {@code urgency} is the customer's own say of how pressing it is: a claim routing may weigh,
 * never the grade. {@code severity} is an agent's assessment and is taken only at the store
 * counter, where an agent vouches for the request.
 */
public record SubmitRequest(
        @NotNull @Pattern(regexp = "complaint|consultation|businessRequest|faultRepair",
                message = "must be complaint, consultation, businessRequest or faultRepair") String requestType,
        @NotBlank @CleanText(max = 4000, multiLine = true) String description,
        @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_-]*", message = "letters, digits, - and _ only") String category,
        @Pattern(regexp = "critical|major|minor", message = "must be critical, major or minor") String severity,
        @Pattern(regexp = "high|normal", message = "must be high or normal") String urgency,
        @Size(max = 20) Map<@NotBlank @CleanText(max = 64) String, @NotNull @CleanText(max = 256) String> attributes) {
}
