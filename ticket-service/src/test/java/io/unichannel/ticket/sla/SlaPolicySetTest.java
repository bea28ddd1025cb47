package io.unichannel.ticket.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Random;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unichannel.ticket.sla.SlaPolicySet.Policy;
import io.unichannel.ticket.sla.SlaPolicySet.Target;
import io.unichannel.ticket.sla.SlaPolicySet.TicketFacts;
import org.junit.jupiter.api.Test;

/** The shipped handbook defaults, refusal of broken policy files (generated), and reloading. */
class SlaPolicySetTest {

    private static final String DAMAGE = "\"{}[],:-9ÿ\u0000";

    static String shipped() throws Exception {
        try (InputStream in = SlaPolicySetTest.class.getResourceAsStream("/sla-policies.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static SlaPolicySet read(String json) {
        return SlaPolicySet.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static Duration target(Policy policy, SlaMetric metric) {
        return policy.targets().stream().filter(t -> t.metric() == metric).map(Target::within).findFirst().orElseThrow();
    }

    @Test
    void theShippedDefaultsAreTheHandbooksFigures() throws Exception {
        SlaPolicySet rules = read(shipped());
        Policy repair = rules.policyFor(new TicketFacts("faultRepair", "minor", "medium", null, "app", "gz-haizhu"));
        assertThat(target(repair, SlaMetric.RESOLUTION)).isEqualTo(Duration.ofHours(4));
        Policy complaint = rules.policyFor(new TicketFacts("complaint", "minor", "medium", null, "web", "gz-haizhu"));
        assertThat(target(complaint, SlaMetric.FIRST_RESPONSE)).isEqualTo(Duration.ofHours(48));
        assertThat(target(complaint, SlaMetric.RESOLUTION)).isEqualTo(Duration.ofHours(72));
        assertThat(complaint.targets()).filteredOn(t -> t.metric() == SlaMetric.FEEDBACK)
                .extracting(Target::withinText).containsExactly("P3D");
        int[] hours = {1, 2};
        String[] grades = {"critical", "major"};
        for (int g = 0; g < 2; g++) {
            Policy grade = rules.policyFor(new TicketFacts("faultRepair", grades[g], "urgent", null, "hotline", "sz-futian"));
            assertThat(target(grade, SlaMetric.FIRST_RESPONSE)).isEqualTo(Duration.ofHours(hours[g]));
            assertThat(grade.responsible()).isNotBlank();
        }
        assertThat(target(repair, SlaMetric.FIRST_RESPONSE)).as("grade 3").isEqualTo(Duration.ofHours(4));
        assertThat(repair.responsible()).isNotBlank();
        assertThat(rules.regulatoryFor(new TicketFacts("complaint", "minor", "medium", null, "web", "x")))
                .extracting(r -> r.id() + "=" + r.within()).containsExactlyInAnyOrder("complaint-reply-15d=PT360H",
                        "service-response-24h=PT24H");
        assertThat(rules.regulatoryFor(new TicketFacts("faultRepair", "minor", "medium", null, "web", "x")))
                .extracting(r -> r.id() + "=" + r.within()).contains("mobile-fault-repair-48h=PT48H");
        BusinessCalendar office = rules.calendarFor("gz-haizhu");
        assertThat(office.shiftsOn(LocalDate.parse("2026-10-01"))).as("National Day").isEmpty();
        assertThat(office.shiftsOn(LocalDate.parse("2026-10-10"))).as("make-up Saturday").isNotEmpty();
    }

    @Test
    void aBrokenFileIsRefusedWholeWithItsReasonWhateverIsWrong() throws Exception {
        String good = shipped();
        assertThatThrownBy(() -> read(good.replace("\"defaultCalendar\": \"cn-office\"", "\"defaultCalendar\": \"mars\"")))
                .hasMessageContaining("defaultCalendar");
        assertThatThrownBy(() -> read(good.replace("\"at\": 1.0, \"action\": \"breach\"", "\"at\": 1.0, \"action\": \"shrug\"")))
                .hasMessageContaining("shrug");
        assertThatThrownBy(() -> read(good.replace("\"within\": \"PT4H\"", "\"within\": \"four hours\"")))
                .hasMessageContaining("four hours");
        assertThatThrownBy(() -> read(good.replace("\"id\": \"default\",\n      \"match\": {}", "\"id\": \"default\",\n      \"match\": {\"channel\": [\"web\"]}")))
                .hasMessageContaining("last policy");
        assertThatThrownBy(() -> read(good.replace("\"08:30-12:00\"", "\"12:00-08:30\""))).hasMessageContaining("cn-office");
        // Generated damage: every mangled file either still reads as valid rules or is refused as
        // IllegalArgumentException, never anything else.
        Random random = new Random(7);
        int refused = 0;
        for (int i = 0; i < 500; i++) {
            StringBuilder text = new StringBuilder(good);
            for (int k = 0; k < 1 + random.nextInt(3); k++) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.deleteCharAt(at);
                    case 1 -> text.insert(at, DAMAGE.charAt(random.nextInt(DAMAGE.length())));
                    default -> text.setCharAt(at, (char) random.nextInt(0x3000));
                }
            }
            try {
                SlaPolicySet rules = read(text.toString());
                assertThat(rules.policies()).isNotEmpty();
            } catch (IllegalArgumentException expected) {
                refused++;
            }
        }
        assertThat(refused).as("most damage is caught").isGreaterThan(250);
    }

    @Test
    void theOperatorsFileIsReadAgainWhenItChangesAndABadEditKeepsTheRulesInForce() throws Exception {
        Path file = Files.createTempFile("sla-policies", ".json");
        String good = shipped();
        Files.writeString(file, good);
        SlaRules rules = new SlaRules(java.util.Optional.of(file.toString()), new SimpleMeterRegistry());
        assertThat(rules.engine().rules().version()).isEqualTo("2026.11-1");

        Files.writeString(file, good.replace("2026.11-1", "2026.12-1").replace("\"version\": \"2026.11-1\"", ""));
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2_000));
        rules.reloadIfChanged();
        assertThat(rules.engine().rules().version()).isEqualTo("2026.12-1");
        assertThat(rules.takeRecalendar()).as("calendars unchanged").isEmpty();

        Files.writeString(file, "{\"version\": \"broken\"");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 4_000));
        rules.reloadIfChanged();
        assertThat(rules.engine().rules().version()).as("a bad edit changes nothing").isEqualTo("2026.12-1");

        Files.writeString(file, good.replace("\"2027-01-01\"", "\"2027-01-01\", \"2026-12-31\""));
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 6_000));
        rules.reloadIfChanged();
        assertThat(rules.takeRecalendar()).as("a new holiday moves live deadlines").isPresent();
        assertThat(rules.takeRecalendar()).isEmpty();
        assertThat(rules.engine().rules().version()).isEqualTo("2026.11-1");
    }
}
