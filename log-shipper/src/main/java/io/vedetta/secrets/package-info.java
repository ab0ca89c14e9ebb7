/**
 * Secrets and trust read from files that Kubernetes rotates under the agent (Secret volumes swapped by the kubelet):
 * the current content of a credentials file, and a trust manager that reads its CA bundle again when it changes. A
 * leaf: imports no other Vedetta package.
 */
package io.vedetta.secrets;
