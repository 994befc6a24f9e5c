/**
 * The API plugin authors compile against, and only they: the extension points for provisioners
 * ({@link dev.claudebottle.spi.Provisioner}) and backends ({@link dev.claudebottle.spi.Backend}), the
 * launch they take part in (spec, contribution, steps, probes, guest) and what they may inject.
 */
package dev.claudebottle.spi;
