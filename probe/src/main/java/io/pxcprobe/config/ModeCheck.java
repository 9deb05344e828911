package io.pxcprobe.config;

/**
 * Whether this process can run a TCP mode ({@code syn} needs raw sockets), asked while the file is
 * read so that a mode it cannot run is refused at its own line, at start and on every reload.
 */
@FunctionalInterface
public interface ModeCheck {
    ModeCheck ANY = mode -> null;

    /** Why {@code mode} cannot run here, or null when it can. */
    String problem(TcpMode mode);
}
