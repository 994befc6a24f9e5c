/**
 * What the host and the sidecar bundle agree on: the bundle's layout and variables, the files the
 * host writes for it (policy, trust, git gate config), the approval queue both sides write, the
 * record chain and alert marker, and the base every bundle has. For the project's own kernel,
 * bundled plugins, records, CLI and bundle; not an API for third-party plugins, which compile
 * against the SPI alone (decisions 0008 and 0019).
 */
package dev.claudebottle.contract;
