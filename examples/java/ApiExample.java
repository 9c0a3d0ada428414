// Runnable example of Tessera's Java API (docs/java-api.md). With the CLI built (./tessera builds it):
//
//   java --enable-native-access=ALL-UNNAMED -cp cli/target/tessera.jar examples/java/ApiExample.java
//
// It compiles examples/softmax.tsr, runs softmax on the device the runtime chooses (synchronously, then
// asynchronously, then through a typed interface), and checks the rows sum to one.

import dev.tessera.api.DType;
import dev.tessera.api.Kernel;
import dev.tessera.api.Kernels;
import dev.tessera.api.Placement;
import dev.tessera.api.Tensor;
import dev.tessera.api.Tessera;
import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Softmax through the Java API: load, bind, run sync and async, and call through a generated interface. */
public class ApiExample {

    /** A typed view of the kernel: Tessera generates the implementation (a hidden class, no reflection per call). */
    public interface Softmax {
        Tensor softmax(Tensor x);
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "examples/softmax.tsr");
        int rows = 4, cols = 1000;
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.01) * 4;
        }
        try (Tessera t = Tessera.create()) {
            Kernels kernels = t.load(file);
            Kernel softmax = kernels.kernel("softmax");
            System.out.println("kernel  " + softmax.signature());
            System.out.println("devices " + t.devices());

            // Binding the dims is optional; with all of them bound, the kernel is compiled now.
            Kernel bound = softmax.bind(Map.of("N", (long) rows, "D", (long) cols));
            Placement where = bound.placement(Map.of("N", (long) rows, "D", (long) cols));
            System.out.println("runs on " + where.device() + " with " + where.schedule() + " (" + where.reason() + ")");

            Tensor in = t.tensor(DType.F32, rows, cols).copyFrom(x);
            List<Tensor> out = bound.run(in);
            float[] y = out.get(0).toFloatArray();
            check(y, rows, cols);

            CompletableFuture<List<Tensor>> later = softmax.runAsync(in);
            check(later.get().get(0).toFloatArray(), rows, cols);

            // The lookup lets Tessera define the implementation next to the interface. An application whose classes
            // share the class path with Tessera's can leave it out: kernels.bind(Softmax.class). The source launcher
            // running this file puts it in a class loader of its own, so here it is needed.
            Softmax typed = kernels.bind(Softmax.class, MethodHandles.lookup());
            check(typed.softmax(in).toFloatArray(), rows, cols);
            System.out.println("row 0 starts " + y[0] + ", " + y[1] + ", " + y[2] + "; every row sums to 1");
        }
        // Closing the runtime freed every tensor's native memory; using `in` now would throw.
    }

    private static void check(float[] y, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += y[r * cols + c];
            }
            if (Math.abs(sum - 1) > 1e-4) {
                throw new AssertionError("row " + r + " sums to " + sum);
            }
        }
    }
}
