package io.unichannel.identity.staff;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.vertx.VertxContextSupport;
import io.unichannel.common.security.Roles;
import io.unichannel.identity.Actor;
import io.unichannel.identity.customer.CustomerResource.RegisterRequest;
import io.unichannel.identity.customer.CustomerService;
import io.unichannel.identity.customer.IdentityType;
import io.unichannel.identity.keycloak.KeycloakAccounts;
import io.unichannel.identity.staff.StaffResource.NewStaff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Applies the seed file (deploy/local/seed.json for local runs): staff accounts and demo
 * customers. Idempotent: a staff username or customer MSISDN that already exists is left alone; a
 * demo customer whose account name is already taken in Keycloak (left from an earlier local
 * database) is skipped with a warning instead of keeping identity-service from becoming ready.
 */
@ApplicationScoped
public class SeedLoader {

    /** The seed file's shape. */
    public record Seed(List<NewStaff> staff, List<RegisterRequest> customers) {
    }

    private static final Actor SEEDER = new Actor("seed-file", "seed-file", Set.of(Roles.OPS), null, null, null);

    private final Optional<String> file;
    private final KeycloakAccounts accounts;
    private final CustomerService customers;
    private final ObjectMapper json;

    public SeedLoader(@ConfigProperty(name = "identity.seed.file") Optional<String> file, KeycloakAccounts accounts,
            CustomerService customers, ObjectMapper json) {
        this.file = file;
        this.accounts = accounts;
        this.customers = customers;
        this.json = json;
    }

    /** What one application of a seed file added. */
    public record Applied(int staff, int customers) {
    }

    /** Runs after the realm is provisioned, on the provisioning thread. */
    public void apply() throws Throwable {
        if (file.isPresent() && !file.get().isBlank()) {
            apply(Path.of(file.get()));
        }
    }

    /** Applies a seed file; what already exists (staff username, customer MSISDN) is left alone. */
    @ActivateRequestContext
    public Applied apply(Path path) throws Throwable {
        Seed seed = json.readValue(Files.readString(path), Seed.class);
        int staffAdded = 0;
        int customersAdded = 0;
        for (NewStaff member : seed.staff() == null ? List.<NewStaff>of() : seed.staff()) {
            if (accounts.byUsername(member.username()).isEmpty()) {
                StaffResource.create(accounts, member);
                staffAdded++;
            }
        }
        for (RegisterRequest c : seed.customers() == null ? List.<RegisterRequest>of() : seed.customers()) {
            boolean added = VertxContextSupport.subscribeAndAwait(() -> customers.resolve(IdentityType.MSISDN, c.msisdn())
                    .replaceWith(false)
                    .onFailure().recoverWithUni(e -> customers.register(new CustomerService.Registration(c.name(), c.msisdn(),
                            c.valueTier(), c.region(), c.preferredChannel(), c.appAccount(), c.webAccount(), c.password(),
                            c.wechatOpenId(), c.wechatUnionId(), c.idDocumentNumber(), "store"), SEEDER).replaceWith(true)
                            // An account of that name is left in Keycloak from an earlier database (a local
                            // reset): the demo customer is skipped, the rest of the seed still applies.
                            .onFailure(f -> f instanceof io.unichannel.common.problem.ProblemException p && p.problem().status() == 409)
                            .recoverWithItem(f -> {
                                Log.warnf("Seed customer %s skipped: %s", c.name(), f.getMessage());
                                return false;
                            })));
            customersAdded += added ? 1 : 0;
        }
        Log.infof("Seed %s applied: %d staff and %d customers added", path, staffAdded, customersAdded);
        return new Applied(staffAdded, customersAdded);
    }

}
