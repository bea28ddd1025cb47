package io.unichannel.common.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint whose use by staff is recorded in the access audit: who (staff id, roles,
 * region), what (action, resource type and id, the customers whose data the answer held), when,
 * and why (the {@code X-Access-Purpose} header the staff console sends). A read whose record
 * cannot be written is refused (503): no personal data leaves unrecorded.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AccessAudited {

    enum Action { READ, CHANGE }

    /** The kind of record, e.g. customer, trouble-ticket. */
    String resource();

    Action action() default Action.READ;

    /** The path parameter holding the record's id; empty for lists and reports. */
    String idParam() default "";

    /** True when that id is a customer id: the customer is recorded even when the answer holds no view. */
    boolean idIsCustomer() default false;
}
