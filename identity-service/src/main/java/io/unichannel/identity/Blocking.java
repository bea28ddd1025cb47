package io.unichannel.identity;

import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs a blocking call (Keycloak's admin API, its token endpoint, password hashing) on a worker
 * thread and hands the result back on the caller's Vert.x context, where the reactive database
 * session lives.
 */
public final class Blocking {

    private Blocking() {
    }

    public static <T> Uni<T> call(Supplier<T> work) {
        Context context = Vertx.currentContext();
        Uni<T> uni = Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return context == null ? uni : uni.emitOn(command -> context.runOnContext(ignored -> command.run()));
    }

    public static Uni<Void> run(Runnable work) {
        return call(() -> {
            work.run();
            return null;
        });
    }
}
