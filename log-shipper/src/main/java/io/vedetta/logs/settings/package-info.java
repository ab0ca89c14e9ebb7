/**
 * The error a log shipper config record raises for a value it refuses, naming the setting as data. A leaf: imports
 * no other Vedetta package, and every stage's config record may use it.
 */
package io.vedetta.logs.settings;
