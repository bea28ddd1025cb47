package io.unichannel.gateway.portal;

import io.unichannel.common.security.Roles;
import io.unichannel.gateway.intake.CounterAgents;
import io.unichannel.gateway.intake.Intake;
import io.unichannel.gateway.limits.AbuseLimits;
import io.unichannel.gateway.repository.ProgressRepository;
import io.unichannel.gateway.rest.Caller;
import io.unichannel.gateway.rest.ProgressStreams;
import io.unichannel.gateway.rest.RequestResource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The portal's own calls: the same operations as the app and web API (submit, list, read, follow
 * live), authenticated by the portal's session cookie instead of a bearer token. Changes need the
 * {@code X-Requested-With: portal} header (see {@link PortalCsrfGuard}).
 */
@Path("/portal/api")
@RolesAllowed(Roles.CUSTOMER)
@Tag(name = "Customer portal")
public class PortalApiResource extends RequestResource {

    public PortalApiResource(Intake intake, ProgressRepository repository, Caller caller, ProgressStreams streams,
            AbuseLimits limits, CounterAgents counter) {
        super(intake, repository, caller, streams, limits, counter);
    }
}
