package dev.tessera.api;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.Value;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.ReferenceInterpreter;
import dev.tessera.runtime.StoredTensor;
import dev.tessera.runtime.jit.Choice;
import dev.tessera.runtime.jit.CompiledSource;
import dev.tessera.runtime.jit.Jit;
import dev.tessera.runtime.jit.KernelRequest;
import dev.tessera.runtime.jit.Variant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;

/**
 * One kernel of a compiled source, ready to run on tensors of its runtime. Immutable: {@link #bind} and
 * {@link #on} return new views of the same kernel. Runs bind the symbolic dims from the inputs' shapes,
 * pick a device and schedule once per shape bucket (see {@link Tessera}), and return new tensors, which the
 * caller may close early or leave to the runtime.
 */
public final class Kernel {

    /** A device and variant chosen for one shape bucket, compiled (absent for the reference). */
    private record Target(Choice choice, Optional<Jit.Prepared> prepared) {}

    private final Tessera owner;
    private final CompiledSource source;
    private final String text;
    private final GraphKernel graph;
    private final Tessera.Where where;
    private final Map<String, Long> bound;
    /** Targets by shape bucket: each dim's bucket, in the kernel's order of dims. */
    private final Map<List<Long>, Target> targets = new ConcurrentHashMap<>();

    Kernel(Tessera owner, CompiledSource source, String text, String name, Tessera.Where where, Map<String, Long> bound) {
        this.owner = owner;
        this.source = source;
        this.text = text;
        this.graph = source.kernel(name);
        this.where = where;
        this.bound = Collections.unmodifiableMap(new LinkedHashMap<>(bound));
    }

    public String name() {
        return graph.name();
    }

    /** {@code softmax(x: f32[N, D]) -> f32[N, D]}. */
    public String signature() {
        return source.signature(name()) + " -> " + graph.results().stream().map(v -> v.type().toString())
                .collect(Collectors.joining(", "));
    }

    public int inputCount() {
        return graph.params().size();
    }

    public int outputCount() {
        return graph.results().size();
    }

    /** The symbolic dims of the kernel's parameters, in order of first appearance. */
    public Set<String> dims() {
        return new LinkedHashSet<>(graph.symbols());
    }

    /**
     * This kernel with some dims fixed: runs check that the inputs agree, and when every dim is given the
     * kernel is compiled now rather than on its first run.
     *
     * @throws IllegalArgumentException for a dim the kernel does not have or a negative extent
     */
    public Kernel bind(Map<String, Long> dims) {
        owner.enter();
        try {
            Map<String, Long> b = new LinkedHashMap<>(bound);
            for (Map.Entry<String, Long> e : dims.entrySet()) {
                if (!dims().contains(e.getKey())) {
                    throw new IllegalArgumentException("kernel " + signature() + " has no dim " + e.getKey()
                            + "; its dims are " + dims());
                }
                if (e.getValue() == null || e.getValue() < 0) {
                    throw new IllegalArgumentException("dim " + e.getKey() + " must be a non-negative extent, got "
                            + e.getValue());
                }
                b.put(e.getKey(), e.getValue());
            }
            Kernel k = new Kernel(owner, source, text, name(), where, b);
            if (b.keySet().containsAll(dims())) {
                k.target(k.orderedDims(b));
            }
            return k;
        } catch (CompileException e) {
            throw TesseraException.of(e, text);
        } finally {
            owner.exit();
        }
    }

    /**
     * This kernel on a given device: {@code auto}, {@code reference}, a device kind ({@code opencl}) or an id.
     *
     * @throws IllegalArgumentException naming the devices present when there is no such device
     */
    public Kernel on(String device) {
        owner.checkOpen();
        return new Kernel(owner, source, text, name(), owner.resolveDevice(device), bound);
    }

    /** Where, with which schedule and why the kernel runs at these dims (compiling it if it has not yet). */
    public Placement placement(Map<String, Long> dims) {
        owner.enter();
        try {
            Choice c = target(orderedDims(dims)).choice();
            return new Placement(c.deviceName(), c.variant().text(), c.reason());
        } catch (CompileException e) {
            throw TesseraException.of(e, text);
        } finally {
            owner.exit();
        }
    }

    /**
     * Runs the kernel; inputs in the order of its parameters.
     *
     * @return one new tensor per result of the kernel
     * @throws IllegalArgumentException on a wrong number, dtype or shape of inputs, or a tensor of another runtime
     * @throws IllegalStateException when the runtime or an input is closed
     */
    public List<Tensor> run(Tensor... inputs) {
        owner.enter();
        try {
            checkInputs(inputs);
            Map<String, Long> dims = bindDims(inputs);
            Target t = target(dims);
            List<Tensor> result = new ArrayList<>();
            try {
                for (Value v : graph.results()) {
                    result.add(owner.adopt(new Tensor(owner, DType.of(v.type().dtype()), v.type().shape().extents(dims))));
                }
                execute(t, inputs, result);
            } catch (RuntimeException | Error e) {
                result.forEach(Tensor::close);
                throw e;
            }
            return List.copyOf(result);
        } catch (CompileException e) {
            throw TesseraException.of(e, text);
        } finally {
            owner.exit();
        }
    }

    /**
     * Runs the kernel into tensors the caller made, one per result in order, each of that result's dtype and
     * shape. This saves making and freeing result tensors on every run: freeing native memory that several
     * threads may touch costs the JVM tens of microseconds, more than a small kernel takes.
     *
     * @throws IllegalArgumentException as {@link #run} does, and when an output has the wrong count, dtype or
     *     shape, belongs to another runtime, or is also an input (the kernel may read an input after writing)
     * @throws IllegalStateException when the runtime, an input or an output is closed
     */
    public void runInto(List<Tensor> outputs, Tensor... inputs) {
        owner.enter();
        try {
            checkInputs(inputs);
            Map<String, Long> dims = bindDims(inputs);
            Target t = target(dims);
            checkOutputs(outputs, dims, inputs);
            execute(t, inputs, outputs);
        } catch (CompileException e) {
            throw TesseraException.of(e, text);
        } finally {
            owner.exit();
        }
    }

    /** Runs on the target's device in the tensors' own memory (no conversion; on the JVM no copy either). */
    private void execute(Target t, Tensor[] inputs, List<Tensor> outputs) {
        if (t.prepared().isEmpty()) {
            List<HostTensor> hosts = new ArrayList<>(inputs.length);
            for (Tensor in : inputs) {
                hosts.add(in.toHost());
            }
            List<HostTensor> results = ReferenceInterpreter.run(graph, hosts);
            for (int i = 0; i < results.size(); i++) {
                outputs.get(i).storeHost(results.get(i));
            }
            return;
        }
        List<StoredTensor> stored = new ArrayList<>(inputs.length);
        for (Tensor in : inputs) {
            stored.add(in.stored());
        }
        Jit.Prepared p = t.prepared().get();
        p.device().runStored(p.program(), stored, outputs.stream().map(Tensor::segment).toList());
    }

    /**
     * Runs a kernel with exactly one result and returns it.
     *
     * @throws IllegalArgumentException when the kernel has several results (use {@link #run})
     */
    public Tensor runOne(Tensor... inputs) {
        if (outputCount() != 1) {
            throw new IllegalArgumentException("kernel " + signature() + " has " + outputCount()
                    + " results; use run(), which returns all of them");
        }
        return run(inputs).getFirst();
    }

    /** {@link #run} on one of the runtime's threads. The future fails with the exception {@code run} would throw. */
    public CompletableFuture<List<Tensor>> runAsync(Tensor... inputs) {
        owner.checkOpen();
        Tensor[] args = inputs.clone();
        CompletableFuture<List<Tensor>> f = new CompletableFuture<>();
        try {
            owner.executor().execute(() -> {
                try {
                    f.complete(run(args));
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("this Tessera runtime is closed"));
        }
        return f;
    }

    /** {@link #runOne} on one of the runtime's threads. */
    public CompletableFuture<Tensor> runOneAsync(Tensor... inputs) {
        if (outputCount() != 1) {
            throw new IllegalArgumentException("kernel " + signature() + " has " + outputCount()
                    + " results; use runAsync(), which returns all of them");
        }
        return runAsync(inputs).thenApply(List::getFirst);
    }

    /** Checks what the shapes alone do not: the count, the owner, each dtype and rank, and that each is open. */
    private void checkInputs(Tensor[] inputs) {
        Objects.requireNonNull(inputs, "inputs");
        List<Value> params = graph.params();
        if (inputs.length != params.size()) {
            throw new IllegalArgumentException("kernel " + signature() + " takes " + params.size() + " input"
                    + (params.size() == 1 ? "" : "s") + " but " + inputs.length + (inputs.length == 1 ? " was" : " were")
                    + " given");
        }
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            Value p = params.get(i);
            if (t == null || t.owner() != owner || t.dtype().ir() != p.type().dtype() || t.rank() != p.type().rank()) {
                String what = "input " + (i + 1) + " ('" + p.name() + "') of " + name() + " must be " + p.type();
                if (t == null) {
                    throw new IllegalArgumentException(what + " but is null");
                }
                if (t.owner() != owner) {
                    throw new IllegalArgumentException(what + " but the tensor given belongs to another Tessera runtime");
                }
                if (t.dtype().ir() != p.type().dtype()) {
                    throw new IllegalArgumentException(what + " but the tensor given is " + t);
                }
                throw new IllegalArgumentException(what + " (rank " + p.type().rank() + ") but the tensor given is "
                        + t + " (rank " + t.rank() + ")");
            }
            t.checkOpen();
        }
    }

    private void checkOutputs(List<Tensor> outputs, Map<String, Long> dims, Tensor[] inputs) {
        Objects.requireNonNull(outputs, "outputs");
        List<Value> results = graph.results();
        if (outputs.size() != results.size()) {
            throw new IllegalArgumentException("kernel " + signature() + " has " + results.size() + " result"
                    + (results.size() == 1 ? "" : "s") + " but " + outputs.size() + " output tensor"
                    + (outputs.size() == 1 ? " was" : "s were") + " given");
        }
        for (int i = 0; i < outputs.size(); i++) {
            Tensor t = outputs.get(i);
            Value r = results.get(i);
            DType dtype = DType.of(r.type().dtype());
            long[] shape = r.type().shape().extents(dims);
            String problem = t == null ? "is null"
                    : t.owner() != owner ? "the tensor given belongs to another Tessera runtime"
                    : t.dtype() != dtype || !Arrays.equals(t.shape(), shape) ? "the tensor given is " + t
                    : null;
            for (int j = 0; j < inputs.length && problem == null; j++) {
                if (inputs[j] == t) {
                    problem = "the tensor given is also input " + (j + 1)
                            + "; a kernel may read its inputs after writing its outputs, so give a separate tensor";
                }
            }
            for (int j = 0; j < i && problem == null; j++) {
                if (outputs.get(j) == t) {
                    problem = "the tensor given is also output " + (j + 1);
                }
            }
            if (problem != null) {
                String want = dtype.dslName() + Arrays.stream(shape).mapToObj(Long::toString)
                        .collect(Collectors.joining(", ", "[", "]"));
                throw new IllegalArgumentException("output " + (i + 1) + " of " + name() + " must be " + want + " ("
                        + r.type() + ") but " + problem);
            }
            t.checkOpen();
        }
    }

    private Map<String, Long> bindDims(Tensor[] inputs) {
        // The binder's messages name the kernel, the input and its declared type themselves.
        Map<String, Long> dims = source.bind(name(), Arrays.stream(inputs).map(Tensor::shape).toList());
        bound.forEach((d, v) -> {
            if (!dims.get(d).equals(v)) {
                throw new IllegalArgumentException("kernel " + name() + " is bound to " + d + "=" + v
                        + " but the inputs give " + d + "=" + dims.get(d));
            }
        });
        return dims;
    }

    /** {@code dims} in the kernel's order, checked to name each of its dims exactly once. */
    private Map<String, Long> orderedDims(Map<String, Long> dims) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String d : dims()) {
            Long v = dims.get(d);
            if (v == null) {
                throw new IllegalArgumentException("kernel " + signature() + " needs dim " + d + "; given "
                        + dims.keySet() + " (it has " + dims() + ")");
            }
            m.put(d, v);
        }
        if (!dims().containsAll(dims.keySet())) {
            throw new IllegalArgumentException("kernel " + signature() + " has dims " + dims() + ", not " + dims.keySet());
        }
        return m;
    }

    private Target target(Map<String, Long> dims) {
        // Every run looks its target up: a key of plain numbers keeps that cheap.
        List<Long> bucket = new ArrayList<>(dims.size());
        for (long extent : dims.values()) {
            bucket.add(KernelRequest.bucketOf(extent));
        }
        Target known = targets.get(bucket);
        if (known != null) {
            return known;
        }
        KernelRequest r = source.request(name(), dims);
        Jit jit = owner.jit();
        Choice c = switch (where == null ? owner.defaultWhere() : where) {
            case Tessera.Where.Auto a -> jit.choose(source, r, owner.presentDevices());
            case Tessera.Where.Reference ref -> new Choice(Optional.empty(), Variant.of(source.tileProgram(name())),
                    "reference interpreter chosen by the user");
            case Tessera.Where.On on -> jit.chooseOn(source, r, on.device());
        };
        Optional<Jit.Prepared> p = c.device().map(d -> jit.prepare(source, r, d, c.variant()));
        Target t = new Target(c, p);
        Target raced = targets.putIfAbsent(bucket, t);
        return raced != null ? raced : t;
    }

    @Override
    public String toString() {
        return "Kernel " + signature() + (bound.isEmpty() ? "" : " bound to " + bound);
    }
}
