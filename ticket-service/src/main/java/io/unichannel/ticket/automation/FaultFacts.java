package io.unichannel.ticket.automation;

import java.util.List;

/** What the fault-diagnosis rules decide on: the customer's line and device as the OSS sees them, outages in the area, their fault history. */
public final class FaultFacts {

    private final String technology;
    private final Double opticalPowerDbm;
    private final List<String> alarms;
    private final boolean configOk;
    private final boolean outageInArea;
    private final int faultsLast90Days;

    public FaultFacts(String technology, Double opticalPowerDbm, List<String> alarms, boolean configOk, boolean outageInArea,
            int faultsLast90Days) {
        this.technology = technology;
        this.opticalPowerDbm = opticalPowerDbm;
        this.alarms = alarms == null ? List.of() : List.copyOf(alarms);
        this.configOk = configOk;
        this.outageInArea = outageInArea;
        this.faultsLast90Days = faultsLast90Days;
    }

    public String getTechnology() {
        return technology;
    }

    public boolean isFibre() {
        return "FTTH".equals(technology);
    }

    public boolean isOpticalReading() {
        return opticalPowerDbm != null;
    }

    /** The ONT's received optical power; 0 when there is no reading (mobile lines). */
    public double getOpticalPowerDbm() {
        return opticalPowerDbm == null ? 0 : opticalPowerDbm;
    }

    public boolean hasAlarm(String alarm) {
        return alarms.contains(alarm);
    }

    public boolean isAnyAlarm() {
        return !alarms.isEmpty();
    }

    public boolean isConfigOk() {
        return configOk;
    }

    public boolean isOutageInArea() {
        return outageInArea;
    }

    public int getFaultsLast90Days() {
        return faultsLast90Days;
    }
}
