package dev.claudebottle.backend.smolmachines.standin;

/** A runtime error: smolvm prints {@code Error: …} and exits 1. */
final class StandInError extends RuntimeException {
    StandInError(String message) {
        super(message);
    }
}
