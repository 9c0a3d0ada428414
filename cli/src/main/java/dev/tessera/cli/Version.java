package dev.tessera.cli;

import picocli.CommandLine;

/** The version shown by {@code tessera --version}. */
public final class Version implements CommandLine.IVersionProvider {

    public static final String VERSION = "0.1.0";

    @Override
    public String[] getVersion() {
        return new String[] {"tessera " + VERSION + " (Java " + Runtime.version() + ")"};
    }
}
