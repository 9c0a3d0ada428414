package dev.tessera.api;

import dev.tessera.runtime.jit.CompiledSource;
import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.Map;

/** The kernels of one compiled source file, by name; also binds Java interfaces to them. */
public final class Kernels {

    private final Tessera owner;
    private final CompiledSource source;
    private final String text;

    Kernels(Tessera owner, CompiledSource source, String text) {
        this.owner = owner;
        this.source = source;
        this.text = text;
    }

    /** The name the source was compiled under (its path, for {@link Tessera#load}). */
    public String name() {
        return source.name();
    }

    /** The kernels' names in source order. */
    public List<String> names() {
        return source.kernelNames();
    }

    /** @throws IllegalArgumentException naming the kernels there are when there is none of that name */
    public Kernel kernel(String name) {
        owner.checkOpen();
        if (!names().contains(name)) {
            throw new IllegalArgumentException("no kernel '" + name + "' in " + source.name() + "; it has: "
                    + String.join(", ", names()));
        }
        return new Kernel(owner, source, text, name, null, Map.of());
    }

    /**
     * An implementation of {@code iface} whose methods call the kernels of the same names directly: a hidden
     * class generated for it, with no reflection on the call path. Each abstract method must be named after a
     * kernel, take one {@link Tensor} per kernel parameter, and return {@code Tensor} (the kernel has one
     * result), {@code List<Tensor>}, {@code CompletableFuture<Tensor>} or {@code CompletableFuture<List<Tensor>>}.
     *
     * <p>The class is defined in the interface's package, which must be open to Tessera (every package on the
     * class path is); from a named module, use {@link #bind(Class, MethodHandles.Lookup)}.
     *
     * @throws IllegalArgumentException when the interface does not match the kernels, saying where
     */
    public <T> T bind(Class<T> iface) {
        owner.checkOpen();
        return InterfaceBinder.bind(iface, this, null);
    }

    /** As {@link #bind(Class)}, defining the class with the caller's lookup (which must have full privilege). */
    public <T> T bind(Class<T> iface, MethodHandles.Lookup lookup) {
        owner.checkOpen();
        return InterfaceBinder.bind(iface, this, lookup);
    }

    CompiledSource source() {
        return source;
    }
}
