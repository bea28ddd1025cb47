package io.unichannel.ticket.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped rule sets, compiled by Drools as the service compiles them, over facts a customer would bring. */
class RuleSetsTest {

    private static RuleSets rules;

    @BeforeAll
    static void compile() {
        rules = new RuleSets(Automation.RULE_SETS, Optional.empty());
    }

    private static PackageChangeFacts change(String from, String to, boolean known, boolean reachable, long fee,
            long balance, boolean locked) {
        return new PackageChangeFacts(from, to, known, reachable, fee, balance, locked, "2027-06-30", List.of("M-99", "M-129"));
    }

    @Test
    void aReachableAffordableUnlockedChangeIsApprovedByTheApprovalRuleAlone() {
        RuleSets.Decided decided = rules.decide("package-change", change("M-59", "M-99", true, true, 0, 100, false));
        assertThat(decided.findings()).extracting(Finding::getKind).containsExactly("approve");
        assertThat(decided.firedRules()).containsExactly("Approve when no rule refuses");
        assertThat(decided.version()).isEqualTo("2026-12-01.1");
    }

    @Test
    void everyReasonToRefuseIsGivenAndNoApproval() {
        RuleSets.Decided decided = rules.decide("package-change", change("M-99", "M-59", true, true, 1000, 300, true));
        assertThat(decided.all("refuse")).extracting(Finding::getCode).containsExactlyInAnyOrder("balance-short", "contract-locked");
        assertThat(decided.first("approve")).isEmpty();
        assertThat(decided.first("refuse").orElseThrow().getMessage()).isNotBlank();
        assertThat(rules.decide("package-change", change("M-59", "M-59", true, false, 0, 100, false)).all("refuse"))
                .extracting(Finding::getCode).containsExactly("same-package");
        assertThat(rules.decide("package-change", change("M-59", "X-1", false, false, 0, 100, false)).all("refuse"))
                .extracting(Finding::getCode).containsExactly("unknown-target");
        assertThat(rules.decide("package-change", change("M-39", "M-199", true, false, 0, 100, false)).all("refuse"))
                .extracting(Finding::getCode).containsExactly("not-reachable");
    }

    @Test
    void aBillQuestionGetsEveryMatchingAnswerOrGoesToAnAgent() {
        var bill = Map.of("MONTHLY_FEE", 5900L, "ROAMING", 12000L, "VAS", 1500L);
        RuleSets.Decided why = rules.decide("bill-question", new BillQuestionFacts("Why is my bill so much higher this month?",
                bill, 5900, 19400));
        assertThat(why.all("answer")).extracting(Finding::getCode).containsExactlyInAnyOrder("ROAMING", "VAS");
        RuleSets.Decided roaming = rules.decide("bill-question", new BillQuestionFacts("上个月出国漫游扣了多少钱", bill, 5900, 19400));
        assertThat(roaming.all("answer")).extracting(Finding::getCode).contains("ROAMING");
        RuleSets.Decided unknown = rules.decide("bill-question", new BillQuestionFacts("I want an invoice in paper",
                Map.of("MONTHLY_FEE", 5900L), 5900, 5900));
        assertThat(unknown.findings()).extracting(Finding::getKind).containsExactly("refer");
        RuleSets.Decided dispute = rules.decide("bill-question", new BillQuestionFacts("I was billed twice, I want a refund",
                bill, 5900, 19400));
        assertThat(dispute.all("refer")).extracting(Finding::getCode).contains("payment-dispute");
    }

    @Test
    void aRuleFileWithoutItsNameOrVersionIsRefused() {
        assertThatThrownBy(() -> RuleSets.version("package-change", "package x;\n")).hasMessageContaining("rule-set");
        assertThatThrownBy(() -> RuleSets.version("package-change", "// rule-set: package-change\npackage x;\n"))
                .hasMessageContaining("version");
        assertThat(RuleSets.version("package-change", "// rule-set: package-change\n// version: 7\n")).isEqualTo("7");
    }

    @Test
    void aFaultIsClassifiedFromTheLineAndAnOutageExplainsEverythingElse() {
        RuleSets.Decided weak = rules.decide("fault-diagnosis", new FaultFacts("FTTH", -30.5, List.of("ONT_RX_POWER_LOW"), true, false, 0));
        assertThat(weak.all("answer")).extracting(Finding::getCode).containsExactly("line");
        RuleSets.Decided outage = rules.decide("fault-diagnosis", new FaultFacts("FTTH", -30.5, List.of(), false, true, 0));
        assertThat(outage.all("answer")).extracting(Finding::getCode).contains("outage", "line", "customer-config");
        RuleSets.Decided device = rules.decide("fault-diagnosis", new FaultFacts("FTTH", -20.0, List.of("ONT_REBOOTING"), true, false, 0));
        assertThat(device.all("answer")).extracting(Finding::getCode).containsExactly("device");
        RuleSets.Decided config = rules.decide("fault-diagnosis", new FaultFacts("MOBILE", null, List.of(), false, false, 0));
        assertThat(config.all("answer")).extracting(Finding::getCode).containsExactly("customer-config");
        RuleSets.Decided healthy = rules.decide("fault-diagnosis", new FaultFacts("FTTH", -19.0, List.of(), true, false, 1));
        assertThat(healthy.findings()).extracting(Finding::getCode).containsExactly("unknown");
    }
    /** The simulator's mobile catalogue, as the BSS lists it. */
    private static final List<Bss.CatalogPackage> CATALOGUE = List.of(
            new Bss.CatalogPackage("M-39", "4G Basic 39", "MOBILE", 3900, List.of(new Bss.Target("M-59", 0))),
            new Bss.CatalogPackage("M-59", "5G Smart 59", "MOBILE", 5900,
                    List.of(new Bss.Target("M-39", 1000), new Bss.Target("M-99", 0), new Bss.Target("M-129", 0))),
            new Bss.CatalogPackage("M-99", "5G Plus 99", "MOBILE", 9900, List.of(new Bss.Target("M-59", 1000))),
            new Bss.CatalogPackage("M-129", "5G Premium 129", "MOBILE", 12900, List.of(new Bss.Target("M-99", 1000))));

    private static RenewalFacts renewal(String pkg, long balance, boolean locked, double dataGb, int minutes) {
        return new RenewalFacts(new Bss.Account("c-1", "13900000000", pkg, java.time.LocalDate.of(2027, 1, 31), locked, balance, "app"),
                new Bss.Usage(dataGb, minutes), CATALOGUE);
    }

    @Test
    void theRenewalOfferFollowsUseAndOffersOnlyWhatThePackageChangeRulesWouldApprove() {
        RenewalFacts heavy = renewal("M-59", 0, true, 35.5, 400);
        RuleSets.Decided up = rules.decide("renewal-offer", heavy);
        assertThat(heavy.getOfferPackage()).as("the cheapest package up, with no fee").isEqualTo("M-99");
        assertThat(up.first("approve").orElseThrow().getCode()).isEqualTo("upgrade");
        assertThat(up.first("approve").orElseThrow().getMessage()).contains("36 GB").contains("5G Plus 99");

        RenewalFacts light = renewal("M-59", 5000, false, 1.2, 80);
        assertThat(rules.decide("renewal-offer", light).first("approve").orElseThrow().getCode()).isEqualTo("downgrade");
        assertThat(light.getOfferPackage()).isEqualTo("M-39");
        // The same light user on a locked contract, or short of the fee: the change would be refused, so none is offered.
        for (RenewalFacts blocked : List.of(renewal("M-59", 5000, true, 1.2, 80), renewal("M-59", 500, false, 1.2, 80))) {
            RuleSets.Decided renew = rules.decide("renewal-offer", blocked);
            assertThat(blocked.getOfferPackage()).isNull();
            assertThat(renew.findings()).extracting(Finding::getCode).containsExactly("renew");
        }
        RenewalFacts moderate = renewal("M-59", 5000, false, 12, 600);
        assertThat(rules.decide("renewal-offer", moderate).firedRules()).containsExactly("Everyone else is reminded to renew their package");
        assertThat(moderate.getOfferPackage()).isNull();
        // Heavy use with nothing above: a reminder to renew.
        RenewalFacts top = renewal("M-129", 0, false, 80, 2000);
        assertThat(rules.decide("renewal-offer", top).findings()).extracting(Finding::getCode).containsExactly("renew");
    }
}
