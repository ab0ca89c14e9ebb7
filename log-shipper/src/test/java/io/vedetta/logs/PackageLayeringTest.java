package io.vedetta.logs;

import io.vedetta.testing.Layering;
import org.junit.jupiter.api.Test;

/**
 * The log shipper's packages tell the pipeline's story: shared primitives at the bottom, then the stages in the order
 * a line goes through them, each using only what is below it, and the assembly on top. A new package goes into the
 * layer it belongs to here.
 */
class PackageLayeringTest {

    static final Layering LAYERS = Layering.of("io.vedetta")
            .leaves("io.vedetta.bytes..", "io.vedetta.pods..", "io.vedetta.time..", "io.vedetta.tls..", "io.vedetta.secrets..", "io.vedetta.logs.settings..")
            .layer("record", "io.vedetta.logs.record..")
            .layer("tail", "io.vedetta.logs.tail..")
            .layer("parse", "io.vedetta.logs.parse..")
            .layer("enrich", "io.vedetta.logs.enrich..")
            .layer("route", "io.vedetta.logs.route..")
            .layer("buffer", "io.vedetta.logs.buffer..")
            .layer("sink", "io.vedetta.logs.sink..")
            .layer("pipeline", "io.vedetta.logs.pipeline..");

    @Test
    void dependenciesPointDownTheLayersWithoutCycles() {
        LAYERS.check(LAYERS.mainClasses());
    }
}
