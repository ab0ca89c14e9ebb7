/**
 * The YAML settings read into immutable records, and the error that names a setting and its fix. May import the log
 * shipper's config records; no other agent package.
 */
package io.vedetta.agent.config;
