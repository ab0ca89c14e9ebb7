package io.vedetta.logs.record;

import com.fasterxml.jackson.core.JsonGenerator;

import io.vedetta.bytes.JsonBytes;
import io.vedetta.bytes.RawJson;
import java.io.IOException;

/**
 * A log document as the sinks need it: something that writes itself as one JSON object. The enrich stage
 * implements it over its own record type, so sinks stream straight into their request bodies without an
 * intermediate tree.
 */
public interface Document {

    void writeTo(JsonGenerator generator) throws IOException;

    /**
     * Appends to {@code out} exactly the bytes {@link #writeTo} writes to a UTF-8 generator, without one; false,
     * with nothing written, when this document cannot, and then {@link #writeTo} is the way.
     */
    default boolean writeUtf8(JsonBytes out) {
        return false;
    }

    /** Where the record belongs, for sinks that route (index per namespace or annotation, daily indices). */
    default RoutingKey routingKey() {
        return RoutingKey.NONE;
    }

    /**
     * A document that is already serialised ({@code json} must hold exactly one JSON object), keeping the routing of
     * the record it was made from.
     */
    static Document ofJson(byte[] json, RoutingKey key) {
        return new Serialised(json, key);
    }

    /**
     * A document already serialised as UTF-8 JSON (what the buffer holds). Sinks that write bytes copy
     * {@link #json()} as it is; decoding it to text only for the generator to encode it again cost a copy and
     * a pass over every byte of every buffered record.
     */
    record Serialised(byte[] json, RoutingKey routingKey) implements Document {

        @Override
        public void writeTo(JsonGenerator generator) throws IOException {
            generator.writeRawValue(new RawJson(json));
        }
    }
}
