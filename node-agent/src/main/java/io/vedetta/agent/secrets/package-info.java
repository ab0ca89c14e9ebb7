/** Secrets read from files (mounted Secrets, projected tokens) and re-read when they change. A leaf. */
package io.vedetta.agent.secrets;
