package io.unichannel.gateway.rest;

import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What a channel front end sends to open a request. */
public record SubmitRequest(
        @NotNull @Pattern(regexp = "complaint|consultation|businessRequest|faultRepair",
                message = "must be complaint, consultation, businessRequest or faultRepair") String requestType,
        @NotBlank @Size(max = 4000) String description,
        @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_-]*", message = "letters, digits, - and _ only") String category,
        @Pattern(regexp = "critical|major|minor", message = "must be critical, major or minor") String severity,
        @Size(max = 20) Map<@Size(max = 64) String, @Size(max = 256) String> attributes) {
}
