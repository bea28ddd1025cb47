package io.unichannel.common.security;

/**
 * A response that holds one customer's personal data or ticket: the access audit records whose it
 * was. Lists of such views are recorded with every customer they hold.
 */
public interface AuditedCustomer {

    /** The customer the data belongs to, or null when none is known. */
    String auditedCustomerId();
}
