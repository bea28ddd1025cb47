package io.unichannel.ticket.rest;

import io.unichannel.common.problem.Problem;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.ticket.IllegalTransitionException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Ticket-specific errors as RFC 9457 problems. */
public class TicketProblemMappers {

    @ServerExceptionMapper
    public Response illegalTransition(IllegalTransitionException e, UriInfo uri) {
        return new Problem(ProblemTypes.CONFLICT, "Illegal status transition", 409, e.getMessage())
                .withInstance(uri.getPath())
                .with("currentStatus", e.from().tmfName())
                .with("requestedStatus", e.to().tmfName())
                .toResponse();
    }
}
