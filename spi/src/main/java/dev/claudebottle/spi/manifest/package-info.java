/**
 * The manifest as plugin authors read it: agents and bottles (egress, routes, limits), with their
 * locations for errors, and {@link dev.claudebottle.spi.manifest.ManifestSection}, through which a
 * plugin reads its own section of a bottle.
 */
package dev.claudebottle.spi.manifest;
