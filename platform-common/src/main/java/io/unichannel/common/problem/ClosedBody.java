package io.unichannel.common.problem;

import java.lang.reflect.Type;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reads a request body whose every attribute is known: an attribute the body type does not declare
 * is refused with a 400 problem naming it, so a misspelt field never vanishes silently. For the
 * standard APIs partners write to (TMF621); use it on a resource method with
 * {@code @CustomDeserialization(ClosedBody.class)}. Events keep the platform's tolerant reading, so
 * an added attribute never breaks an older consumer.
 */
public class ClosedBody implements BiFunction<ObjectMapper, Type, ObjectReader> {

    @Override
    public ObjectReader apply(ObjectMapper mapper, Type type) {
        return mapper.readerFor(mapper.constructType(type)).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
