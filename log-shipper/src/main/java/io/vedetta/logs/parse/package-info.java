/**
 * Lines to log events: CRI and docker formats, partial-line merging, multiline joining, JSON messages. May import the
 * shared primitives; not the tailer (the pipeline hands it lines) nor any later stage.
 */
package io.vedetta.logs.parse;
