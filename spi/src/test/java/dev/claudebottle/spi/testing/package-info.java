/**
 * For plugin authors' tests (the spi test-jar): stand-in guests and a probe context, so a plugin's
 * probes and steps run without a backend.
 */
package dev.claudebottle.spi.testing;
