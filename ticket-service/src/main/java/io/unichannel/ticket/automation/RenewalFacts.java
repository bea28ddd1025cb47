package io.unichannel.ticket.automation;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the renewal-offer rules see about a contract that ends soon: the customer's package, their
 * average use per month, and the packages the package-change rules would let them move to (the
 * cheapest one up and the dearest one down). The rules set the offer.
 */
public class RenewalFacts {

    private final String customerId;
    private final String currentPackage;
    private final String currentPackageName;
    private final long currentFeeCents;
    private final LocalDate contractEndDate;
    private final double dataGbPerMonth;
    private final int voiceMinutesPerMonth;
    private final Bss.CatalogPackage upgrade;
    private final Bss.CatalogPackage downgrade;
    private String offerPackage;
    private String offerReason;

    public RenewalFacts(Bss.Account account, Bss.Usage usage, List<Bss.CatalogPackage> catalogue) {
        this.customerId = account.customerId();
        this.currentPackage = account.packageId();
        this.contractEndDate = account.contractEndDate();
        this.dataGbPerMonth = usage == null ? 0 : usage.dataGbPerMonth();
        this.voiceMinutesPerMonth = usage == null ? 0 : usage.voiceMinutesPerMonth();
        Optional<Bss.CatalogPackage> current = catalogue.stream().filter(p -> p.id().equals(account.packageId())).findFirst();
        this.currentPackageName = current.map(Bss.CatalogPackage::name).orElse(account.packageId());
        this.currentFeeCents = current.map(Bss.CatalogPackage::monthlyFeeCents).orElse(0L);
        // Only moves the package-change rules would approve: no fee, or a fee the balance covers on an unlocked contract.
        List<Bss.CatalogPackage> moves = current.map(c -> c.allowedTargets().stream()
                .filter(t -> t.feeCents() == 0 || (t.feeCents() <= account.balanceCents() && !account.contractLocked()))
                .map(t -> catalogue.stream().filter(p -> p.id().equals(t.packageId())).findFirst())
                .flatMap(Optional::stream).toList()).orElse(List.of());
        this.upgrade = moves.stream().filter(p -> p.monthlyFeeCents() > currentFeeCents)
                .min(Comparator.comparingLong(Bss.CatalogPackage::monthlyFeeCents)).orElse(null);
        this.downgrade = moves.stream().filter(p -> p.monthlyFeeCents() < currentFeeCents)
                .max(Comparator.comparingLong(Bss.CatalogPackage::monthlyFeeCents)).orElse(null);
    }

    /** Sets the offer (called by the rule that chose it). */
    public void offer(String packageId, String reason) {
        this.offerPackage = packageId;
        this.offerReason = reason;
    }

    public String getCustomerId() {
        return customerId;
    }

    public String getCurrentPackage() {
        return currentPackage;
    }

    public String getCurrentPackageName() {
        return currentPackageName;
    }

    public long getCurrentFeeCents() {
        return currentFeeCents;
    }

    public LocalDate getContractEndDate() {
        return contractEndDate;
    }

    public double getDataGbPerMonth() {
        return dataGbPerMonth;
    }

    public int getVoiceMinutesPerMonth() {
        return voiceMinutesPerMonth;
    }

    public boolean isUpgradeAvailable() {
        return upgrade != null;
    }

    public boolean isDowngradeAvailable() {
        return downgrade != null;
    }

    public String getUpgradePackage() {
        return upgrade == null ? null : upgrade.id();
    }

    public String getUpgradePackageName() {
        return upgrade == null ? null : upgrade.name();
    }

    public long getUpgradeFeeCents() {
        return upgrade == null ? 0 : upgrade.monthlyFeeCents();
    }

    public String getDowngradePackage() {
        return downgrade == null ? null : downgrade.id();
    }

    public String getDowngradePackageName() {
        return downgrade == null ? null : downgrade.name();
    }

    public long getDowngradeFeeCents() {
        return downgrade == null ? 0 : downgrade.monthlyFeeCents();
    }

    public String getOfferPackage() {
        return offerPackage;
    }

    public String getOfferReason() {
        return offerReason;
    }
}
