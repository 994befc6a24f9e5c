package dev.claudebottle.cli;

import dev.claudebottle.kernel.Kernel;
import dev.claudebottle.kernel.KernelPaths;
import dev.claudebottle.spi.HostEnvironment;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What every command needs: output streams, the host env and a kernel created on first use, so
 * {@code --version} and {@code --help} load no plugin.
 */
public final class CliContext implements AutoCloseable {
    private final HostEnvironment env;
    private final Path workingDir;
    private final Optional<Path> bundledPlugins;
    private final PrintWriter out;
    private final PrintWriter err;
    private final EventRenderer events;
    private java.io.InputStream terminalIn = java.io.InputStream.nullInputStream();
    private java.io.OutputStream terminalOut;
    private Kernel kernel;

    /**
     * @param env            the host env
     * @param workingDir     where {@code ./bottle.yaml} and {@code --cwd} point
     * @param bundledPlugins the distribution's plugins folder, if known
     * @param out            standard output
     * @param err            standard error
     */
    public CliContext(HostEnvironment env, Path workingDir, Optional<Path> bundledPlugins, PrintWriter out,
                      PrintWriter err) {
        this.env = env;
        this.workingDir = workingDir;
        this.bundledPlugins = bundledPlugins;
        this.out = out;
        this.err = err;
        this.events = new EventRenderer(err);
    }

    /** The kernel, created on first call. */
    public synchronized Kernel kernel() {
        if (kernel == null) {
            kernel = new Kernel(KernelPaths.from(env, bundledPlugins, workingDir), env, events);
        }
        return kernel;
    }

    /** Releases what the kernel holds, if one was created. */
    @Override
    public synchronized void close() {
        if (kernel != null) {
            kernel.close();
        }
    }

    /** Standard output. */
    public PrintWriter out() {
        return out;
    }

    /** Standard error. */
    public PrintWriter err() {
        return err;
    }

    /** Wires a real terminal: guest programs that own it read and write these bytes directly. */
    public CliContext terminal(java.io.InputStream in, java.io.OutputStream out) {
        this.terminalIn = in;
        this.terminalOut = out;
        return this;
    }

    /** Standard input: what a guest command reads. */
    java.io.InputStream terminalIn() {
        return terminalIn;
    }

    /** Where an interactive guest program writes: the real terminal, or standard output. */
    java.io.OutputStream terminalOut() {
        return terminalOut != null ? terminalOut : new WriterOutputStream(out);
    }

    /** The event renderer, for switching debug output on. */
    public EventRenderer events() {
        return events;
    }

    /** The host env. */
    HostEnvironment env() {
        return env;
    }

    /** The working directory. */
    public Path workingDir() {
        return workingDir;
    }
}
