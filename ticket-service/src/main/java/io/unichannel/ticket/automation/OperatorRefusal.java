package io.unichannel.ticket.automation;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * The BSS or OSS said no (a 4xx: unknown customer, a change its own rules forbid). Retrying would
 * get the same answer, so it is never retried and never opens a circuit; the automation hands
 * the ticket to a person with the reason. A 5xx stays an ordinary failure, retried.
 */
public final class OperatorRefusal extends RuntimeException {

    private final int status;

    public OperatorRefusal(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Turns an operator system's 4xx problem into a refusal carrying its detail. */
    public static final class Mapper implements ResponseExceptionMapper<RuntimeException> {

        @Override
        public boolean handles(int status, MultivaluedMap<String, Object> headers) {
            return status >= 400 && status < 500;
        }

        @Override
        public RuntimeException toThrowable(Response response) {
            String detail = "HTTP " + response.getStatus();
            try {
                var body = response.readEntity(java.util.Map.class);
                if (body != null && body.get("detail") != null) {
                    detail = String.valueOf(body.get("detail"));
                }
            } catch (RuntimeException e) {
                // Not a problem body: the status says enough.
            }
            return new OperatorRefusal(response.getStatus(), detail.length() > 300 ? detail.substring(0, 300) : detail);
        }
    }
}
