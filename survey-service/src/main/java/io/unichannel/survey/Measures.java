package io.unichannel.survey;

/**
 * The survey measures of one group of answers (an agent, a service type, a channel, a region, a
 * period): CSAT, the share of satisfaction answers of 4 or 5; NPS, the share of promoters (9-10)
 * minus the share of detractors (0-6); FCR, the share answering yes to "solved at first contact";
 * the dimension scores (0-100); how many follow-ups were verified fixed. Percentages with one
 * decimal; null where no answer counts. The band grades CSAT as the handbooks do: at least 85
 * excellent, at least 70 qualified, below needs improvement.
 */
public record Measures(String group, long responses, Double csat, Double nps, Double fcr, Double efficiency, Double quality,
        Double experience, long followUps, long verified, long fixed, String band) {

    /** The counts behind a group's measures. */
    public record Counts(String group, long responses, long csatAnswers, long satisfied, long npsAnswers, long promoters,
            long detractors, long fcrAnswers, long fcrYes, Double efficiency, Double quality, Double experience,
            long followUps, long verified, long fixed) {
    }

    public static Measures of(Counts c) {
        Double csat = share(c.satisfied(), c.csatAnswers());
        Double nps = c.npsAnswers() == 0 ? null : round((c.promoters() - c.detractors()) * 100.0 / c.npsAnswers());
        return new Measures(c.group(), c.responses(), csat, nps, share(c.fcrYes(), c.fcrAnswers()), round(c.efficiency()),
                round(c.quality()), round(c.experience()), c.followUps(), c.verified(), c.fixed(), band(csat));
    }

    public static String band(Double score) {
        if (score == null) {
            return null;
        }
        return score >= 85 ? "excellent" : score >= 70 ? "qualified" : "needsImprovement";
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : round(part * 100.0 / whole);
    }

    private static Double round(Double value) {
        return value == null ? null : Math.round(value * 10) / 10.0;
    }
}
