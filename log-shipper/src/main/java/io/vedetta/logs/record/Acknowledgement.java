package io.vedetta.logs.record;

/**
 * Handle that a downstream stage calls once a record is safely delivered (or dead-lettered), so that
 * the source may forget it. Every record handed on must be acknowledged exactly once in the end, including
 * records a stage drops on purpose, or the source's saved position stops moving.
 */
@FunctionalInterface
public interface Acknowledgement {

    void acknowledge();
}
