package io.unichannel.ticket;

import java.util.Optional;
import java.util.function.Function;

/** Finds the enum constant whose TMF621 wire name is the given one. */
public final class TmfNames {

    private TmfNames() {
    }

    public static <E extends Enum<E>> Optional<E> find(E[] values, Function<E, String> tmfName, String name) {
        for (E value : values) {
            if (tmfName.apply(value).equals(name)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
