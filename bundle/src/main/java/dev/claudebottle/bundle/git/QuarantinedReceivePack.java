package dev.claudebottle.bundle.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * A receive-pack that takes one push into its {@link Quarantine} and removes the quarantine when
 * the push ends, however it ends: refused, accepted, over a limit, or cut off by the client.
 */
final class QuarantinedReceivePack extends ReceivePack {
    private final Quarantine quarantine;

    QuarantinedReceivePack(Quarantine quarantine) {
        super(quarantine.repository());
        this.quarantine = quarantine;
    }

    @Override
    public void receive(InputStream input, OutputStream output, OutputStream messages) throws IOException {
        try (quarantine) {
            super.receive(input, output, messages);
        }
    }

    @Override
    public void receiveWithExceptionPropagation(InputStream input, OutputStream output, OutputStream messages)
            throws IOException {
        try (quarantine) {
            super.receiveWithExceptionPropagation(input, output, messages);
        }
    }
}
