package io.vedetta.logs.sink;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A log document as the sinks need it: something that writes itself as one JSON object. The enrich stage
 * implements it over its own record type, so sinks stream straight into their request bodies without an
 * intermediate tree.
 */
@FunctionalInterface
public interface Document {

    void writeTo(JsonGenerator generator) throws IOException;

    /** A document that is already serialised: {@code json} must hold exactly one JSON object. */
    static Document ofJson(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8);
        return generator -> generator.writeRawValue(text);
    }
}
