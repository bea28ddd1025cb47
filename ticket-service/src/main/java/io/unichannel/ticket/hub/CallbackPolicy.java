package io.unichannel.ticket.hub;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;

/**
 * Which callback addresses a partner may register. Outside local runs a callback must be https and
 * must not resolve to a loopback, private, link-local, unique-local, multicast, carrier-grade NAT or
 * unspecified address, so the hub cannot be turned against the operator's own network (SSRF). The
 * check runs when the partner subscribes and again before every delivery, so a name that later
 * resolves inward is caught too.
 */
public final class CallbackPolicy {

    private final boolean allowPrivate;

    public CallbackPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /**
     * The same check without blocking the caller's event loop: the name is resolved on a worker
     * thread and the outcome comes back on the caller's Vert.x context (where a reactive database
     * session can go on). Local runs, which resolve nothing, answer at once.
     */
    public io.smallrye.mutiny.Uni<URI> checkAsync(String callback) {
        URI form = checkForm(callback);
        if (allowPrivate) {
            return io.smallrye.mutiny.Uni.createFrom().item(form);
        }
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        io.smallrye.mutiny.Uni<URI> resolved = io.smallrye.mutiny.Uni.createFrom().item(() -> check(callback))
                .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool());
        return context == null ? resolved : resolved.emitOn(command -> context.runOnContext(v -> command.run()));
    }

    /** The callback's form alone (scheme, host, no credentials or fragment), resolving nothing. */
    public URI checkForm(String callback) {
        URI uri;
        try {
            uri = new URI(callback);
        } catch (Exception e) {
            throw refused("callback is not a URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null
                || !(scheme.equals("https") || allowPrivate && scheme.equals("http"))) {
            throw refused("callback must be an absolute https URL without credentials or fragment.");
        }
        return uri;
    }

    /** The callback as a URI, or a 400 problem saying why it cannot be used. Blocks while the host name resolves. */
    public URI check(String callback) {
        URI uri = checkForm(callback);
        if (!allowPrivate) {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(uri.getHost());
            } catch (UnknownHostException e) {
                throw refused("callback's host does not resolve.");
            }
            for (InetAddress address : addresses) {
                if (isInternal(address)) {
                    throw refused("callback resolves to an internal address; register a public endpoint.");
                }
            }
        }
        return uri;
    }

    /** Whether an address belongs to a range no partner endpoint lives in. */
    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // fc00::/7 unique local
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isInternal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            return false;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 || first == 100 && second >= 64 && second <= 127 // carrier-grade NAT
                || first == 198 && (second == 18 || second == 19) // benchmarking
                || first >= 240; // reserved, broadcast
    }

    private static ProblemException refused(String detail) {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, "Callback refused", 400, detail);
    }
}
