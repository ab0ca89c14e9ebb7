/**
 * Test helpers shared by the tests of several modules: a clock the test moves by hand and the package layering
 * check. Test scope only.
 */
package io.vedetta.testing;
