/**
 * Log shipping as a part of the agent: builds the log shipper's pipeline and sink from the config. May import config,
 * lifecycle and the log shipper.
 */
package io.vedetta.agent.logs;
