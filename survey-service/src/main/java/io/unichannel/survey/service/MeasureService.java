package io.unichannel.survey.service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;
import io.unichannel.survey.Measures;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** CSAT, NPS, FCR and dimension scores over the answers of a period, grouped as asked, within the caller's scope. */
@ApplicationScoped
public class MeasureService {

    /** What answers can be grouped by, and the column or expression that groups them. */
    public static final Map<String, String> GROUPS = Map.of(
            "all", "'all'",
            "agent", "coalesce(agent_id, '-')",
            "serviceType", "service_type",
            "channel", "channel",
            "region", "coalesce(region, '-')",
            "day", "to_char(answered_at AT TIME ZONE $4, 'YYYY-MM-DD')",
            "month", "to_char(answered_at AT TIME ZONE $4, 'YYYY-MM')");

    private final PgPool pool;

    public MeasureService(PgPool pool) {
        this.pool = pool;
    }

    /**
     * @param region  only this region's answers (a supervisor's scope), or null
     * @param agentId only this agent's (an agent's own), or null
     * @param zone    the time zone days and months are counted in
     */
    public Uni<List<Measures>> measures(String groupBy, OffsetDateTime from, OffsetDateTime to, String region, String agentId,
            String zone) {
        String group = GROUPS.get(groupBy);
        return pool.preparedQuery("SELECT " + group + """
                 AS grp, count(*) AS responses,
                    count(csat) AS csat_answers, count(*) FILTER (WHERE csat >= 4) AS satisfied,
                    count(nps) AS nps_answers, count(*) FILTER (WHERE nps >= 9) AS promoters,
                    count(*) FILTER (WHERE nps <= 6) AS detractors,
                    count(fcr) AS fcr_answers, count(*) FILTER (WHERE fcr) AS fcr_yes,
                    avg(efficiency) AS efficiency, avg(quality) AS quality, avg(experience) AS experience,
                    count(follow_up_reason) AS follow_ups, count(fixed) AS verified, count(*) FILTER (WHERE fixed) AS fixed
                FROM survey_response
                WHERE questionnaire_id <> 'verification' AND answered_at >= $1 AND answered_at < $2
                  AND ($3::text IS NULL OR region = $3) AND ($5::text IS NULL OR agent_id = $5) AND $4::text IS NOT NULL
                GROUP BY 1 ORDER BY 1""")
                .execute(Tuple.of(from, to, region, zone, agentId))
                .map(rows -> {
                    List<Measures> result = new ArrayList<>();
                    for (Row r : rows) {
                        result.add(Measures.of(new Measures.Counts(r.getString("grp"), r.getLong("responses"),
                                r.getLong("csat_answers"), r.getLong("satisfied"), r.getLong("nps_answers"), r.getLong("promoters"),
                                r.getLong("detractors"), r.getLong("fcr_answers"), r.getLong("fcr_yes"), r.getDouble("efficiency"),
                                r.getDouble("quality"), r.getDouble("experience"), r.getLong("follow_ups"), r.getLong("verified"),
                                r.getLong("fixed"))));
                    }
                    return result;
                });
    }
}
