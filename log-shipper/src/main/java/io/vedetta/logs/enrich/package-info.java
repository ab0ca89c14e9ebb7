/**
 * Log events to documents with pod metadata (fluentd or ECS field names). May import parse, record and the shared
 * primitives ({@code io.vedetta.pods} for the lookup).
 */
package io.vedetta.logs.enrich;
