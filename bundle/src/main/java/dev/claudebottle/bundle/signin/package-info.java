/**
 * The bundle's sign-in keeper: it holds the host's Claude sign-in in memory, refreshes it ahead of
 * expiry under the same locks Claude Code on the host takes, and writes the new pair back to the
 * host's credentials file, so that any number of bottles and the host share one sign-in and none of
 * them ever sends a spent refresh token.
 */
package dev.claudebottle.bundle.signin;
