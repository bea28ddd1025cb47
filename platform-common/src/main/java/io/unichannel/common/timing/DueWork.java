package io.unichannel.common.timing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When a timer next has work: it looks in the database only when something is due, not on every
 * tick. After each look the timer tells when the earliest work it left is due; code of the same
 * replica that writes work due sooner (a ticket queued, a stage moved) says so with {@link #wake}.
 * Work written by another replica is that replica's timer's to find; this one still looks at
 * least once per safety interval, so nothing waits longer than that if its writer dies.
 *
 * <p>A wake usually comes from inside the transaction that writes the work, before it commits, so
 * a look could start between the wake and the commit and miss it: for a short grace after a wake
 * (two seconds) the timer looks at every tick.
 *
 * <p>The scheduler's one-second tick stays, but a tick with nothing due costs a comparison, not a
 * transaction: at rest a timer's database cost is one look per safety interval.
 */
public final class DueWork {

    private final Clock clock;
    private final long safetyMillis;
    private final AtomicLong nextDue = new AtomicLong(Long.MIN_VALUE);
    private volatile long lastLook = Long.MIN_VALUE;
    /** Until when the timer looks at every tick: a wake's work may not have committed yet. */
    private final AtomicLong wokenUntil = new AtomicLong(Long.MIN_VALUE);
    static final long GRACE_MILLIS = 2_000;

    public DueWork(Duration safetyInterval) {
        this(safetyInterval, Clock.systemUTC());
    }

    public DueWork(Duration safetyInterval, Clock clock) {
        this.safetyMillis = safetyInterval.toMillis();
        this.clock = clock;
    }

    /**
     * True when the timer should look now: work is due, or the safety interval has passed. A true
     * answer starts a look: wakes from now on count for the next one.
     */
    public boolean startLook() {
        long now = clock.millis();
        if (now < nextDue.get() && now - lastLook < safetyMillis && now > wokenUntil.get()) {
            return false;
        }
        lastLook = now;
        nextDue.set(Long.MAX_VALUE);
        return true;
    }

    /** The look found this much work and the earliest work left is due at {@code next} (null: none). */
    public void looked(Instant next) {
        if (next != null) {
            nextDue.accumulateAndGet(next.toEpochMilli(), Math::min);
        }
    }

    /** See {@link #looked(Instant)}. */
    public void looked(OffsetDateTime next) {
        looked(next == null ? null : next.toInstant());
    }

    /** The look failed or left work behind: look again at the next tick. */
    public void again() {
        nextDue.set(Long.MIN_VALUE);
    }

    /** Work due at this time was written here: the timer looks no later than then. */
    public void wake(Instant due) {
        long at = due.toEpochMilli();
        long now = clock.millis();
        nextDue.accumulateAndGet(at, Math::min);
        if (at <= now + GRACE_MILLIS) {
            wokenUntil.accumulateAndGet(now + GRACE_MILLIS, Math::max);
        }
    }

    /** See {@link #wake(Instant)}. */
    public void wake(OffsetDateTime due) {
        if (due != null) {
            wake(due.toInstant());
        }
    }

    /** Work due now was written here. */
    public void wakeNow() {
        wake(clock.instant());
    }

    /** When the timer looks next at the latest, for metrics and tests. */
    public Instant nextLook() {
        long due = nextDue.get();
        long safety = lastLook == Long.MIN_VALUE ? Long.MIN_VALUE : lastLook + safetyMillis;
        long at = Math.min(due, safety);
        return at == Long.MIN_VALUE ? Instant.MIN : Instant.ofEpochMilli(at);
    }
}
