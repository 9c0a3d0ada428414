/**
 * A PTX interpreter: parses PTX text (as nvcc or Tessera's PTX emitter writes it) and executes its
 * kernels on simulated device memory, so that emitted PTX can be checked without a GPU.
 *
 * <h2>Public API</h2>
 * <ul>
 *   <li>{@link dev.tessera.ptxsim.PtxModule#parse(String)}: parse and link; unsupported instructions
 *       or modifiers fail here with their line.</li>
 *   <li>{@link dev.tessera.ptxsim.DeviceMemory}: {@code alloc(bytes)} returns a 64-bit device
 *       pointer; {@code write(ptr, byte[])} and {@code read(ptr, len)} copy little-endian bytes, with
 *       float/int/short/double helpers.</li>
 *   <li>{@link dev.tessera.ptxsim.PtxModule#launch(String, int[], int[], java.util.List, DeviceMemory)}:
 *       runs an entry over a grid; arguments are {@code Long} pointers and {@code Integer}/{@code Float}
 *       (etc.) scalars matching the {@code .param} types; returns {@link dev.tessera.ptxsim.LaunchStats}.
 *       An overload takes {@link dev.tessera.ptxsim.LaunchOptions} (dynamic shared memory, runaway
 *       limit).</li>
 *   <li>Every failure is a {@link dev.tessera.ptxsim.PtxException} naming the PTX line, the
 *       instruction and, at run time, the thread.</li>
 * </ul>
 *
 * <h2>Execution model</h2>
 * CTAs run one after another. Inside a CTA each thread is an interpreter state, and a deterministic
 * scheduler runs each thread until it exits or reaches a barrier or a warp collective, then completes
 * the synchronisations whose participants have all arrived. bar.sync waits for all threads of the CTA;
 * a thread that exits while others wait is reported as a deadlock, never a hang (stricter than the
 * ISA, whose barriers skip exited threads: generated code must not depend on that). Warp collectives
 * (shfl.sync, vote.sync, redux.sync, bar.warp.sync, mma.sync, ldmatrix) run once all non-exited lanes
 * of their membermask (all 32 lanes for .aligned ones) wait at the same instruction.
 *
 * <h2>Numerics</h2>
 * IEEE operations honour .rn/.rz/.rm/.rp exactly, .ftz flushes f32 subnormals, .sat clamps to
 * [0, 1] with NaN to +0, f32 NaN results are the canonical 0x7fffffff. Approximate instructions
 * (ex2/lg2/sin/cos/tanh/rsqrt and the .approx forms of rcp/sqrt/div) return the exactly rounded
 * value of the mathematical function, so they are more accurate than hardware: compare with a
 * tolerance. mma sums its products exactly and rounds once.
 *
 * <h2>Memory</h2>
 * Global memory is byte allocations with guard gaps; out-of-bounds and misaligned accesses fail with
 * the address and instruction. .shared is per CTA (static variables, then the dynamic .extern array),
 * .local per thread, .param holds the packed arguments, .const the module's constant bank. Generic
 * addresses map global memory at its own addresses and the other spaces at fixed windows, so
 * cvta and generic ld/st work.
 */
package dev.tessera.ptxsim;
