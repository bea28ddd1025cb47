package io.unichannel.common.events;

/** A Kafka record that does not carry a well-formed CloudEvent; consumers dead-letter it. */
public class InvalidCloudEventException extends RuntimeException {

    public InvalidCloudEventException(String message) {
        super(message);
    }
}
