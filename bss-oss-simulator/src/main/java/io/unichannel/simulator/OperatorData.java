package io.unichannel.simulator;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the operator's BSS (accounts, packages, bills) and OSS (lines, devices, outages) know, as
 * the simulator serves it. Seeded deterministically, so every run and every test sees the same
 * customers: about one line in eight has a poor optical power reading, some contracts are locked,
 * some bills carry roaming, value-added or overage charges, and one area has an outage.
 */
final class OperatorData {

    /** A package in the catalogue and the packages a subscriber may change to from it, with the fee. */
    record Package(String id, String name, String technology, long monthlyFeeCents, List<Target> allowedTargets) {
    }

    record Target(String packageId, long feeCents) {
    }

    record BillItem(String code, String name, long amountCents) {
    }

    record Bill(String period, long totalCents, List<BillItem> items) {
    }

    record Line(String lineId, String technology, String area, Double ontRxPowerDbm, List<String> alarms,
            boolean cpeConfigOk, int faultsLast90Days) {
    }

    /** Average use per month over the last three months. */
    record Usage(double dataGbPerMonth, int voiceMinutesPerMonth) {
    }

    record Account(String customerId, String msisdn, String packageId, LocalDate contractEndDate, boolean contractLocked,
            long balanceCents, String preferredChannel, Bill bill, Line line, Usage usage) {

        Account withPackage(String target, long fee) {
            return new Account(customerId, msisdn, target, contractEndDate, contractLocked, balanceCents - fee,
                    preferredChannel, bill, line, usage);
        }
    }

    /** A contract as the renewal reminders list them. */
    record Contract(String customerId, String packageId, LocalDate contractEndDate, String preferredChannel) {
    }

    record Outage(String id, String area, String cause, String since, String expectedRestore) {
    }

    record PackageChange(String changeId, String customerId, String reference, String fromPackageId, String toPackageId,
            long feeCents) {
    }

    static final List<Package> CATALOGUE = List.of(
            new Package("M-39", "4G Basic 39", "MOBILE", 3900, List.of(new Target("M-59", 0), new Target("M-99", 0))),
            new Package("M-59", "5G Smart 59", "MOBILE", 5900,
                    List.of(new Target("M-39", 1000), new Target("M-99", 0), new Target("M-129", 0))),
            new Package("M-99", "5G Plus 99", "MOBILE", 9900,
                    List.of(new Target("M-59", 1000), new Target("M-129", 0), new Target("M-199", 0))),
            new Package("M-129", "5G Premium 129", "MOBILE", 12900, List.of(new Target("M-99", 1000), new Target("M-199", 0))),
            new Package("M-199", "5G Unlimited 199", "MOBILE", 19900, List.of(new Target("M-129", 2000))),
            new Package("B-100", "Fibre 100M", "FTTH", 4900, List.of(new Target("B-300", 0), new Target("B-1000", 0))),
            new Package("B-300", "Fibre 300M", "FTTH", 9900, List.of(new Target("B-100", 1500), new Target("B-1000", 0))),
            new Package("B-1000", "Fibre 1000M", "FTTH", 19900, List.of(new Target("B-300", 3000))));

    static final List<String> AREAS = List.of("GZ-TIANHE-01", "GZ-TIANHE-02", "GZ-YUEXIU-01", "GZ-HAIZHU-01", "GZ-PANYU-03");

    final Map<String, Account> accounts = new ConcurrentHashMap<>();
    /** How many customers the seed made (sim-0001 … sim-N); tests add their own beside them. */
    int seeded;
    final Map<String, Outage> outages = new ConcurrentHashMap<>();
    final Map<String, PackageChange> changesByReference = new ConcurrentHashMap<>();

    static Package pkg(String id) {
        return CATALOGUE.stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
    }

    /** {@code count} customers sim-0001 … with packages, bills and lines drawn from a fixed seed. */
    static OperatorData seeded(int count, LocalDate today) {
        OperatorData data = new OperatorData();
        data.seeded = count;
        Random random = new Random(20261201L);
        for (int i = 1; i <= count; i++) {
            String id = String.format("sim-%04d", i);
            Package p = CATALOGUE.get(random.nextInt(CATALOGUE.size()));
            long balance = random.nextInt(5) == 0 ? random.nextInt(500) : 2000 + random.nextInt(30000);
            LocalDate contractEnd = random.nextInt(6) == 0 ? today.plusDays(15) : today.plusDays(30 + random.nextInt(700));
            boolean locked = random.nextInt(5) == 0;
            List<BillItem> items = new ArrayList<>();
            items.add(new BillItem("MONTHLY_FEE", p.name() + " monthly fee", p.monthlyFeeCents()));
            if (random.nextInt(8) == 0) {
                items.add(new BillItem("ROAMING", "International roaming data", 2000 + random.nextInt(20000)));
            }
            if (random.nextInt(6) == 0) {
                items.add(new BillItem("VAS", "Value-added service: music and video pack", 1500));
            }
            if (random.nextInt(5) == 0) {
                items.add(new BillItem("DATA_OVERAGE", "Data beyond the package allowance", 500 + random.nextInt(6000)));
            }
            if (random.nextInt(20) == 0) {
                items.add(new BillItem("LATE_FEE", "Late payment fee", 500));
            }
            Line line;
            String area = AREAS.get(random.nextInt(AREAS.size()));
            if (p.technology().equals("FTTH")) {
                double power = random.nextInt(8) == 0 ? -28.5 - random.nextInt(40) / 10.0 : -17.0 - random.nextInt(60) / 10.0;
                List<String> alarms = power < -27 ? List.of("ONT_RX_POWER_LOW") : List.of();
                line = new Line("L-" + id, "FTTH", area, power, alarms, random.nextInt(15) != 0, random.nextInt(4));
            } else {
                line = new Line("L-" + id, "MOBILE", area, null, List.of(), random.nextInt(15) != 0, random.nextInt(3));
            }
            String msisdn = "1380013" + String.format("%04d", i);
            String channel = List.of("app", "wechat", "sms").get(random.nextInt(3));
            Usage usage = new Usage(Math.round(random.nextDouble() * 600) / 10.0, 50 + random.nextInt(1500));
            data.accounts.put(id, new Account(id, msisdn, p.id(), contractEnd, locked, balance, channel,
                    new Bill(today.minusMonths(1).toString().substring(0, 7), items.stream().mapToLong(BillItem::amountCents).sum(),
                            List.copyOf(items)), line, usage));
        }
        data.outages.put("OUT-1", new Outage("OUT-1", "GZ-PANYU-03", "Fibre cut on the feeder cable", today + "T06:00:00Z",
                today + "T14:00:00Z"));
        return data;
    }
}
