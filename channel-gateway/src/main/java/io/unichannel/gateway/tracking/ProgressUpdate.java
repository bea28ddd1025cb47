package io.unichannel.gateway.tracking;

/** What one record of the platform's topics changes in the progress view. */
public sealed interface ProgressUpdate {

    /** A step of a request made by {@code customerId} (as the record names them; maybe a merged id). */
    record Step(String customerId, Progress progress) implements ProgressUpdate {
    }

    /** A request could never become a ticket: it failed, for the reason given. */
    record Failure(Progress progress) implements ProgressUpdate {
    }

    /** Customer {@code mergedId} is {@code survivorId} from now on. */
    record Merge(String mergedId, String survivorId) implements ProgressUpdate {
    }
}
