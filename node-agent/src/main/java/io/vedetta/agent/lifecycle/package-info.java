/**
 * The {@link io.vedetta.agent.lifecycle.Part} each piece of the agent is, so that the assembly starts and stops them
 * alike. A leaf: imports no other agent package.
 */
package io.vedetta.agent.lifecycle;
