package io.unichannel.ticket.automation;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the fault-diagnosis rules' findings into the cause, what the customer reads and when the repair is expected. */
final class Diagnoses {

    /** When several rules name a cause, the first of these wins: an outage explains everything else. */
    static final List<String> PRECEDENCE = List.of("outage", "line", "device", "customer-config");

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));

    record Diagnosis(String cause, String forCustomer, OffsetDateTime expectedRepair) {
    }

    private Diagnoses() {
    }

    static Diagnosis of(RuleSets.Decided decided, Oss.Line line, List<Oss.Outage> outages, OffsetDateTime now) {
        String cause = PRECEDENCE.stream().filter(c -> decided.all("answer").stream().anyMatch(f -> f.getCode().equals(c)))
                .findFirst().orElse("unknown");
        return switch (cause) {
            case "outage" -> {
                Oss.Outage outage = outages.get(0);
                OffsetDateTime back = parse(outage.expectedRestore(), now.plusHours(4));
                yield new Diagnosis(cause, "There is an outage in your area (" + outage.cause() + "). Engineers are on it and "
                        + "service should be back by " + shown(back) + " Beijing time. You do not need to do anything.", back);
            }
            case "line" -> {
                OffsetDateTime by = now.plusHours(4);
                yield new Diagnosis(cause, "We checked your line: " + (line.ontRxPowerDbm() != null
                        ? "the optical signal reaching your modem is too weak (" + line.ontRxPowerDbm() + " dBm)"
                        : "it has lost its signal") + ", which means a fault on the fibre. A field engineer will contact you; "
                        + "expected repair by " + shown(by) + " Beijing time.", by);
            }
            case "device" -> {
                OffsetDateTime by = now.plusHours(8);
                yield new Diagnosis(cause, "We checked your line: your modem reports a fault. A field engineer will contact you "
                        + "to repair or replace it; expected repair by " + shown(by) + " Beijing time.", by);
            }
            case "customer-config" -> {
                OffsetDateTime by = now.plusHours(2);
                yield new Diagnosis(cause, "We checked your line: it works up to your home, but the settings of your router "
                        + "or phone do not check out. An agent will help you put them right; expected fix by " + shown(by)
                        + " Beijing time.", by);
            }
            default -> {
                OffsetDateTime by = now.plusHours(4);
                yield new Diagnosis("unknown", "We checked your line and the network in your area and found nothing wrong on "
                        + "our side. The fault desk will look into it; expected repair by " + shown(by) + " Beijing time.", by);
            }
        };
    }

    static Map<String, Object> inputs(Oss.Line line, List<Oss.Outage> outages) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("lineId", line.lineId());
        inputs.put("technology", line.technology());
        inputs.put("area", line.area());
        inputs.put("ontRxPowerDbm", line.ontRxPowerDbm());
        inputs.put("alarms", line.alarms());
        inputs.put("cpeConfigOk", line.cpeConfigOk());
        inputs.put("faultsLast90Days", line.faultsLast90Days());
        inputs.put("outages", outages.stream().map(Oss.Outage::id).toList());
        return inputs;
    }

    private static String shown(OffsetDateTime time) {
        return SHOWN.format(time);
    }

    private static OffsetDateTime parse(String text, OffsetDateTime fallback) {
        try {
            return text == null ? fallback : OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }
}
