package io.unichannel.ticket.automation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the package-change rules' facts from what the BSS says, and finds what the same rules would allow instead. */
final class PackageChanges {

    private PackageChanges() {
    }

    static PackageChangeFacts facts(Bss.Account account, List<Bss.CatalogPackage> catalogue, String target) {
        Optional<Bss.CatalogPackage> current = find(catalogue, account.packageId());
        boolean known = find(catalogue, target).isPresent();
        Optional<Bss.Target> route = current.flatMap(c -> c.allowedTargets().stream()
                .filter(t -> t.packageId().equals(target)).findFirst());
        List<String> allowed = current.map(c -> c.allowedTargets().stream().map(Bss.Target::packageId).toList()).orElse(List.of());
        return new PackageChangeFacts(account.packageId(), target, known, route.isPresent(),
                route.map(Bss.Target::feeCents).orElse(0L), account.balanceCents(), account.contractLocked(),
                String.valueOf(account.contractEndDate()), allowed);
    }

    /** What the rules saw, for the decision record. */
    static Map<String, Object> inputs(Bss.Account account, PackageChangeFacts facts) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("customerId", account.customerId());
        inputs.put("currentPackage", facts.getCurrentPackage());
        inputs.put("targetPackage", facts.getTargetPackage());
        inputs.put("targetKnown", facts.isTargetKnown());
        inputs.put("reachable", facts.isReachable());
        inputs.put("feeCents", facts.getFeeCents());
        inputs.put("balanceCents", facts.getBalanceCents());
        inputs.put("contractLocked", facts.isContractLocked());
        inputs.put("contractEndDate", facts.getContractEndDate());
        inputs.put("allowedTargets", facts.getAllowedTargets());
        return inputs;
    }

    /** The packages reachable from the customer's that the same rules approve, described for the customer. */
    static List<String> alternatives(RuleSets rules, Bss.Account account, List<Bss.CatalogPackage> catalogue) {
        List<String> approved = new ArrayList<>();
        find(catalogue, account.packageId()).ifPresent(current -> {
            for (Bss.Target target : current.allowedTargets()) {
                RuleSets.Decided decided = rules.decide(Automation.PACKAGE_CHANGE, facts(account, catalogue, target.packageId()));
                if (decided.first("approve").isPresent()) {
                    approved.add(describe(catalogue, target.packageId()) + ", change fee "
                            + PackageChangeFacts.yuan(target.feeCents()));
                }
            }
        });
        return approved;
    }

    static String describe(List<Bss.CatalogPackage> catalogue, String id) {
        return find(catalogue, id).map(p -> p.id() + " (" + p.name() + ", " + PackageChangeFacts.yuan(p.monthlyFeeCents())
                + " a month)").orElse(id);
    }

    private static Optional<Bss.CatalogPackage> find(List<Bss.CatalogPackage> catalogue, String id) {
        return catalogue.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
