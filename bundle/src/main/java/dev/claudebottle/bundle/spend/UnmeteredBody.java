package dev.claudebottle.bundle.spend;

import io.netty.buffer.ByteBuf;
import java.util.Optional;

/** The meter of a body that cannot carry usage: it reads nothing and finds nothing. */
enum UnmeteredBody implements UsageMeter {
    INSTANCE;

    @Override
    public void feed(ByteBuf chunk) {
        // nothing in this body reports usage
    }

    @Override
    public void feed(byte[] chunk) {
        // nothing in this body reports usage
    }

    @Override
    public Optional<Usage> finish() {
        return Optional.empty();
    }
}
