/**
 * The HTTP endpoints: {@code /metrics}, {@code /healthz}, {@code /readyz}. May import config and lifecycle.
 */
package io.vedetta.agent.http;
