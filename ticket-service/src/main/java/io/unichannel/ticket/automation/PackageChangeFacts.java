package io.unichannel.ticket.automation;

import java.util.List;

/** What the package-change rules decide on: the customer's package, the target, the fee, balance and contract. */
public final class PackageChangeFacts {

    private final String currentPackage;
    private final String targetPackage;
    private final boolean targetKnown;
    private final boolean reachable;
    private final long feeCents;
    private final long balanceCents;
    private final boolean contractLocked;
    private final String contractEndDate;
    private final List<String> allowedTargets;

    public PackageChangeFacts(String currentPackage, String targetPackage, boolean targetKnown, boolean reachable,
            long feeCents, long balanceCents, boolean contractLocked, String contractEndDate, List<String> allowedTargets) {
        this.currentPackage = currentPackage;
        this.targetPackage = targetPackage;
        this.targetKnown = targetKnown;
        this.reachable = reachable;
        this.feeCents = feeCents;
        this.balanceCents = balanceCents;
        this.contractLocked = contractLocked;
        this.contractEndDate = contractEndDate;
        this.allowedTargets = List.copyOf(allowedTargets);
    }

    public String getCurrentPackage() {
        return currentPackage;
    }

    public String getTargetPackage() {
        return targetPackage;
    }

    public boolean isTargetKnown() {
        return targetKnown;
    }

    public boolean isReachable() {
        return reachable;
    }

    public long getFeeCents() {
        return feeCents;
    }

    public long getBalanceCents() {
        return balanceCents;
    }

    public boolean isContractLocked() {
        return contractLocked;
    }

    public String getContractEndDate() {
        return contractEndDate;
    }

    public List<String> getAllowedTargets() {
        return allowedTargets;
    }

    /** Yuan with two decimals, as the customer reads money. */
    public static String yuan(long cents) {
        return String.format("¥%d.%02d", cents / 100, Math.abs(cents % 100));
    }
}
