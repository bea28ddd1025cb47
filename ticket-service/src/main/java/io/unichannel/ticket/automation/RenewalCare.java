package io.unichannel.ticket.automation;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Timestamps;
import io.unichannel.common.events.Topics;
import io.unichannel.outbox.OutboxEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Proactive care: every contract that ends in 15 days (by the BSS) gets one renewal reminder with
 * the offer the renewal-offer rules chose from the customer's use. The reminder is a
 * NotificationRequested to the customer on their preferred channel; channel-gateway delivers it
 * there or on one fallback, outside quiet hours, not to anyone who opted out of marketing and not
 * past the per-person contact budget. Accepting it becomes a package change that the automation
 * settles. The decision and the notification commit together; a contract is reminded once, however
 * many replicas run the daily pass and however often it is run again.
 */
@ApplicationScoped
public class RenewalCare {

    /** What one pass did. */
    public record CareRun(LocalDate asOf, LocalDate contractsEndingOn, int contracts, int reminded, int alreadyReminded,
            int failed) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final Set<String> CHANNELS = Set.of("app", "wechat", "sms");

    private final RuleSets rules;
    private final Bss bss;
    private final MeterRegistry metrics;
    private final int daysBefore;
    private final ZoneId zone;
    private final boolean enabled;

    public RenewalCare(RuleSets rules, @RestClient Bss bss, MeterRegistry metrics,
            @ConfigProperty(name = "ticket.automation.care.days-before", defaultValue = "15") int daysBefore,
            @ConfigProperty(name = "ticket.automation.care.zone", defaultValue = "Asia/Shanghai") ZoneId zone,
            @ConfigProperty(name = "ticket.automation.care.enabled", defaultValue = "true") boolean enabled) {
        this.rules = rules;
        this.bss = bss;
        this.metrics = metrics;
        this.daysBefore = daysBefore;
        this.zone = zone;
        this.enabled = enabled;
    }

    /** The daily pass, on every replica; each contract is reminded once whichever replica gets there first. */
    @Scheduled(cron = "${ticket.automation.care.cron:0 0 10 * * ?}", timeZone = "${ticket.automation.care.zone:Asia/Shanghai}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> daily() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return run(LocalDate.now(zone)).invoke(r -> Log.infof("Renewal care for contracts ending %s: %d contracts, %d reminded, "
                + "%d already reminded, %d failed", r.contractsEndingOn(), r.contracts(), r.reminded(), r.alreadyReminded(), r.failed()))
                .onFailure().invoke(e -> Log.warnf("Renewal care pass failed (%s); tomorrow's pass or an operator's run retries",
                        e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Reminds every contract ending {@code daysBefore} days after {@code asOf} that has not been reminded yet. */
    public Uni<CareRun> run(LocalDate asOf) {
        if (!rules.ready()) {
            return Uni.createFrom().failure(new IllegalStateException("the rule sets are still compiling"));
        }
        LocalDate ending = asOf.plusDays(daysBefore);
        return bss.packages().chain(catalogue -> bss.contractsEndingOn(ending).chain(contracts -> Multi.createFrom()
                .iterable(contracts).onItem().transformToUniAndConcatenate(c -> remind(c, catalogue)
                        .onFailure().recoverWithItem(e -> {
                            Log.warnf("Renewal reminder for a contract ending %s not sent (%s); the next pass retries", ending,
                                    e.getMessage());
                            return "failed";
                        }))
                .collect().asList()
                .map(outcomes -> new CareRun(asOf, ending, contracts.size(), count(outcomes, "reminded"),
                        count(outcomes, "already"), count(outcomes, "failed")))));
    }

    private static int count(List<String> outcomes, String outcome) {
        return (int) outcomes.stream().filter(outcome::equals).count();
    }

    private Uni<String> remind(Bss.Contract contract, List<Bss.CatalogPackage> catalogue) {
        return Panache.withSession(() -> CareOffer.count("customerId = ?1 and contractEnd = ?2", contract.customerId(),
                contract.contractEndDate())).chain(n -> n > 0 ? Uni.createFrom().item("already")
                        : bss.account(contract.customerId()).chain(account -> bss.usage(contract.customerId())
                                .map(usage -> new RenewalFacts(account, usage, catalogue)))
                                .chain(facts -> record(contract, facts)));
    }

    private Uni<String> record(Bss.Contract contract, RenewalFacts facts) {
        RuleSets.Decided decided = rules.decide(Automation.RENEWAL_OFFER, facts);
        Finding finding = decided.first("approve").orElseGet(() -> decided.first("answer").orElseThrow());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        String offerId = UUID.randomUUID().toString();
        String channel = CHANNELS.contains(contract.preferredChannel()) ? contract.preferredChannel() : "app";
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("customerId", facts.getCustomerId());
        inputs.put("currentPackage", facts.getCurrentPackage());
        inputs.put("contractEndDate", String.valueOf(facts.getContractEndDate()));
        inputs.put("dataGbPerMonth", facts.getDataGbPerMonth());
        inputs.put("voiceMinutesPerMonth", facts.getVoiceMinutesPerMonth());
        inputs.put("upgradeWithoutFee", facts.getUpgradePackage());
        inputs.put("downgradeWithoutFee", facts.getDowngradePackage());
        String insert = "INSERT INTO care_offer (id, customer_id, contract_end, current_package, offered_package, outcome, "
                + "rule_set_version, inputs, findings, fired_rules, channel, decided_at) "
                + "VALUES (:id, :customer, :end, :current, :offered, :outcome, :version, :inputs, :findings, :fired, :channel, :at) "
                + "ON CONFLICT (customer_id, contract_end) DO NOTHING";
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(insert)
                .setParameter("id", offerId).setParameter("customer", contract.customerId())
                .setParameter("end", contract.contractEndDate()).setParameter("current", facts.getCurrentPackage())
                .setParameter("offered", facts.getOfferPackage()).setParameter("outcome", finding.getCode())
                .setParameter("version", decided.version()).setParameter("inputs", json(inputs))
                .setParameter("findings", json(decided.findings().stream().map(f -> Map.of("kind", f.getKind(), "code", f.getCode(),
                        "message", f.getMessage())).toList()))
                .setParameter("fired", json(decided.firedRules())).setParameter("channel", channel).setParameter("at", now)
                .executeUpdate()
                .chain(rows -> rows == 0 ? Uni.createFrom().item("already")
                        : session.persist(notification(offerId, contract, facts, finding, channel, now)).replaceWith("reminded"))))
                .invoke(outcome -> metrics.counter("ticket.automation.care.reminders", "outcome",
                        "reminded".equals(outcome) ? finding.getCode() : outcome).increment());
    }

    private OutboxEvent notification(String offerId, Bss.Contract contract, RenewalFacts facts, Finding finding, String channel,
            OffsetDateTime now) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("offerId", offerId);
        parameters.put("contractEndDate", contract.contractEndDate().toString());
        parameters.put("currentPackage", facts.getCurrentPackage());
        parameters.put("currentPackageName", facts.getCurrentPackageName());
        parameters.put("message", finding.getMessage());
        if (facts.getOfferPackage() != null) {
            parameters.put("offeredPackage", facts.getOfferPackage());
            parameters.put("offeredPackageName", facts.getOfferPackage().equals(facts.getUpgradePackage())
                    ? facts.getUpgradePackageName() : facts.getDowngradePackageName());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        String notificationId = "care:" + offerId;
        data.put("notificationId", notificationId);
        data.put("customerId", contract.customerId());
        data.put("channel", channel);
        data.put("template", "care-renewal");
        data.put("parameters", parameters);
        data.put("requestedAt", Timestamps.rfc3339(now));
        // Useless once the contract has ended.
        data.put("expiresAt", Timestamps.rfc3339(contract.contractEndDate().atStartOfDay(zone).toOffsetDateTime()));
        return OutboxEvent.of(UUID.randomUUID(), "Notification", contract.customerId(), EventTypes.NOTIFICATION_REQUESTED, now,
                json(data)).to(Topics.NOTIFICATIONS);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
