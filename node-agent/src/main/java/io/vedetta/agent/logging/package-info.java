/**
 * The agent's own log output (JSON lines or text). May import config.
 */
package io.vedetta.agent.logging;
