package io.unichannel.ticket.sla;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One thing an SLA stage told a member of staff (a warning, a breach, an escalation), shown on the
 * agent desk until read. Addressed to a person or duty ({@code recipient}: an agent's id, a queue,
 * {@code supervisors:<region>}, a duty such as {@code incident-manager-grade-1}); supervisors see
 * every notice of their region's tickets as well.
 */
@Entity
@Table(name = "staff_notice")
public class StaffNotice extends PanacheEntityBase {

    @Id
    public String id;
    public String recipient;
    public String region;
    public String ticketId;
    /** The stage's action: warn, breach, raisePriority, reassign, page. */
    public String kind;
    public String metric;
    public OffsetDateTime dueAt;
    public String text;
    public OffsetDateTime createdAt;
    public OffsetDateTime readAt;

    /**
     * The newest notices a member of staff may see (their own; a supervisor's region's too; ops
     * everyone's), unread only unless {@code all}.
     */
    public static io.smallrye.mutiny.Uni<java.util.List<StaffNotice>> visibleTo(io.unichannel.ticket.StaffScope scope, String me,
            boolean supervisor, boolean all, int limit) {
        String unread = all ? "" : " and readAt is null";
        if (scope.everything()) {
            return find("from StaffNotice where 1 = 1" + unread + " order by createdAt desc").page(0, limit).list();
        }
        if (supervisor && scope.region() != null) {
            return find("from StaffNotice where (recipient = ?1 or region = ?2)" + unread + " order by createdAt desc", me,
                    scope.region()).page(0, limit).list();
        }
        return find("from StaffNotice where recipient = ?1" + unread + " order by createdAt desc", me).page(0, limit).list();
    }

    /** Whether this member of staff may see the notice (and so mark it read). */
    public boolean visibleTo(io.unichannel.ticket.StaffScope scope, String me, boolean supervisor) {
        return scope.everything() || recipient.equals(me) || supervisor && scope.region() != null && scope.region().equals(region);
    }
}
