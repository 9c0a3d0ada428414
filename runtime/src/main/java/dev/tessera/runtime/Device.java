package dev.tessera.runtime;

import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.loop.LoopProgram;
import dev.tessera.passes.tile.Schedules;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A place that can compile and run loop-IR programs: an OpenCL device, a CUDA GPU, or the JVM.
 * Implementations are safe to share between threads, but run one program at a time.
 */
public interface Device extends AutoCloseable {

    /** Stable within a process, e.g. {@code opencl:0:0} (platform 0, device 0) or {@code cuda:0}. */
    String id();

    /** One line for people, e.g. the device's name and driver. */
    String description();

    /** What the device reports about itself, in a fixed order, for {@code tessera devices}. */
    Map<String, String> properties();

    /** Which default schedules suit the device: a GPU's unless it says otherwise. */
    default Schedules.Profile scheduleProfile() {
        return Schedules.Profile.GPU;
    }

    /**
     * Compiles {@code program} for this device; compiling an equal program again returns the cached result.
     *
     * @throws dev.tessera.ir.CompileException when the device's compiler rejects the generated code
     */
    CompiledProgram compile(LoopProgram program);

    /**
     * The device's own binary of a program it compiled (an OpenCL program binary), which {@link #loadBinary}
     * turns back into a program without running the device's compiler; empty where the device has none to
     * give. A binary is only good for the same device with the same driver version, so whoever keeps it must
     * key it by both (the JIT's cache key does).
     */
    default Optional<byte[]> exportBinary(CompiledProgram program) {
        return Optional.empty();
    }

    /**
     * {@code program} built from a binary that {@link #exportBinary} gave for an equal program on this device
     * and driver, as {@link #compile} would have built it but without compiling; like {@code compile} it
     * returns the cached program when an equal one is already built. A binary is checked by the driver only as
     * far as the driver checks it, so callers must make sure it is intact (the JIT keeps its SHA-256).
     *
     * @throws BinaryRejectedException when the device does not load binaries or the driver refuses this one;
     *     nothing of it is kept, and compiling {@code program} from source still works
     */
    default CompiledProgram loadBinary(LoopProgram program, byte[] binary) throws BinaryRejectedException {
        throw new BinaryRejectedException(id() + " does not load program binaries");
    }

    /**
     * Runs {@code program} {@code repeat} times on {@code inputs} (in the order of the program's inputs),
     * binding its symbolic dims from their shapes, and returns the outputs of the last run.
     *
     * @throws IllegalArgumentException when the inputs do not match the program's buffer plan
     */
    Execution run(CompiledProgram program, List<HostTensor> inputs, int repeat);

    /**
     * Runs {@code program} once on {@code inputs}, which are already in storage form, and leaves each output in
     * the segment given for it ({@code outputs}, in the order of the program's outputs, each exactly the
     * output's size, none overlapping an input or another output). Unlike {@link #run}, nothing is converted
     * and outputs are not poisoned first; a device that computes in host memory (the JVM) does not copy at all.
     * This default goes through {@link #run}.
     *
     * @throws IllegalArgumentException when the inputs do not match the program's buffer plan, or an output
     *     segment has the wrong size
     */
    default void runStored(CompiledProgram program, List<StoredTensor> inputs, List<MemorySegment> outputs) {
        List<HostTensor> results = run(program, inputs.stream().map(StoredTensor::decode).toList(), 1).outputs();
        if (results.size() != outputs.size()) {
            throw new IllegalArgumentException(program + " has " + results.size() + " outputs, but "
                    + outputs.size() + " segments were given for them");
        }
        for (int i = 0; i < results.size(); i++) {
            HostTensor r = results.get(i);
            long bytes = StorageCodec.byteSize(r.dtype(), r.size());
            if (outputs.get(i).byteSize() != bytes) {
                throw new IllegalArgumentException("output " + (i + 1) + " of " + program + " is " + r + ", "
                        + bytes + " bytes, but the segment given for it has " + outputs.get(i).byteSize());
            }
            StorageCodec.encode(r, outputs.get(i));
        }
    }

    /** Releases everything the device holds; compiled programs become unusable. */
    @Override
    void close();
}
