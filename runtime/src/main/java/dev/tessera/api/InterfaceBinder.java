package dev.tessera.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Generates, with ASM, a hidden class implementing a user's interface whose methods call kernels directly.
 * Each method loads its {@link Kernel} from a final field (final fields of hidden classes are trusted as
 * constants by the JIT), packs its arguments into an array and makes one virtual call: no reflection, no
 * method handles, no boxing on the call path.
 */
final class InterfaceBinder {

    /** What a method returns, and the {@link Kernel} method that produces it. */
    private enum Returns {
        ONE("runOne", Tensor.class),
        ALL("run", List.class),
        ONE_ASYNC("runOneAsync", CompletableFuture.class),
        ALL_ASYNC("runAsync", CompletableFuture.class);

        final String kernelMethod;
        final Class<?> type;

        Returns(String kernelMethod, Class<?> type) {
            this.kernelMethod = kernelMethod;
            this.type = type;
        }
    }

    private record Binding(Method method, Kernel kernel, Returns returns) {}

    private static final String KERNEL = "dev/tessera/api/Kernel";
    private static final String TENSOR = "dev/tessera/api/Tensor";

    private InterfaceBinder() {}

    static <T> T bind(Class<T> iface, Kernels kernels, MethodHandles.Lookup lookup) {
        List<Binding> bindings = check(iface, kernels);
        MethodHandles.Lookup host;
        if (lookup != null) {
            if (!lookup.hasFullPrivilegeAccess()) {
                throw new IllegalArgumentException("bind(" + iface.getName() + ", lookup): the lookup must have full "
                        + "privilege (MethodHandles.lookup() in the caller)");
            }
            host = lookup;
        } else {
            try {
                host = MethodHandles.privateLookupIn(iface, MethodHandles.lookup());
            } catch (IllegalAccessException e) {
                throw new IllegalArgumentException("cannot define an implementation of " + iface.getName()
                        + " in its package (" + e.getMessage() + "); open the package to Tessera or call "
                        + "bind(" + iface.getSimpleName() + ".class, MethodHandles.lookup())", e);
            }
            if (!host.hasFullPrivilegeAccess()) {
                // Another module (or class loader: the source launcher's, an application server's) than Tessera's.
                throw new IllegalArgumentException(iface.getName() + " is in another module than Tessera, where Tessera "
                        + "cannot define classes by itself; call bind(" + iface.getSimpleName()
                        + ".class, MethodHandles.lookup()) from the interface's package");
            }
        }
        String name = host.lookupClass().getPackageName().replace('.', '/');
        name = (name.isEmpty() ? "" : name + "/") + iface.getSimpleName() + "$TesseraKernels";
        byte[] bytes = generate(name, iface, bindings, kernels.name());
        try {
            MethodHandles.Lookup hidden = host.defineHiddenClass(bytes, true);
            MethodHandle ctor = hidden.findConstructor(hidden.lookupClass(),
                    MethodType.methodType(void.class, Kernel[].class));
            Kernel[] ks = bindings.stream().map(Binding::kernel).toArray(Kernel[]::new);
            return iface.cast(ctor.invoke(ks));
        } catch (IllegalAccessException | LinkageError e) {
            throw new IllegalArgumentException("cannot implement " + iface.getName() + " from "
                    + host.lookupClass().getName() + "'s package: " + e, e);
        } catch (Throwable e) {
            throw new IllegalStateException("generated implementation of " + iface.getName() + " failed: " + e, e);
        }
    }

    /** Checks every abstract method against the kernel of its name; all problems in one message. */
    private static List<Binding> check(Class<?> iface, Kernels kernels) {
        if (!iface.isInterface() || iface.isAnnotation()) {
            throw new IllegalArgumentException(iface.getName() + " is not an interface");
        }
        if (iface.isSealed()) {
            throw new IllegalArgumentException(iface.getName() + " is sealed; Tessera cannot implement it");
        }
        Map<String, Method> abstracts = new LinkedHashMap<>();
        for (Method m : iface.getMethods()) {
            if (Modifier.isAbstract(m.getModifiers()) && !isObjectMethod(m)) {
                abstracts.putIfAbsent(m.getName() + org.objectweb.asm.Type.getMethodDescriptor(m), m);
            }
        }
        List<String> problems = new ArrayList<>();
        List<Binding> bindings = new ArrayList<>();
        for (Method m : abstracts.values()) {
            String where = "method " + m.getName() + " of " + iface.getSimpleName();
            if (!kernels.names().contains(m.getName())) {
                problems.add(where + ": no kernel '" + m.getName() + "' in " + kernels.name() + " (it has: "
                        + String.join(", ", kernels.names()) + ")");
                continue;
            }
            Kernel k = kernels.kernel(m.getName());
            int before = problems.size();
            for (Class<?> p : m.getParameterTypes()) {
                if (p != Tensor.class) {
                    problems.add(where + ": parameter of type " + p.getSimpleName() + "; every parameter must be a Tensor");
                    break;
                }
            }
            if (m.getParameterCount() != k.inputCount()) {
                problems.add(where + " takes " + m.getParameterCount() + " parameter(s) but kernel " + k.signature()
                        + " takes " + k.inputCount());
            }
            Returns r = returns(m.getGenericReturnType());
            if (r == null) {
                problems.add(where + " returns " + m.getGenericReturnType().getTypeName() + "; it must return Tensor, "
                        + "List<Tensor>, CompletableFuture<Tensor> or CompletableFuture<List<Tensor>>");
            } else if ((r == Returns.ONE || r == Returns.ONE_ASYNC) && k.outputCount() != 1) {
                problems.add(where + " returns one Tensor but kernel " + k.signature() + " has " + k.outputCount()
                        + " results; return List<Tensor>");
            }
            if (problems.size() == before) {
                bindings.add(new Binding(m, k, r));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("interface " + iface.getName() + " does not match the kernels of "
                    + kernels.name() + ":\n  " + String.join("\n  ", problems));
        }
        return bindings;
    }

    private static boolean isObjectMethod(Method m) {
        try {
            return Modifier.isPublic(Object.class.getMethod(m.getName(), m.getParameterTypes()).getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static Returns returns(Type t) {
        if (t == Tensor.class) {
            return Returns.ONE;
        }
        if (isListOfTensor(t)) {
            return Returns.ALL;
        }
        if (t instanceof ParameterizedType p && p.getRawType() == CompletableFuture.class) {
            Type arg = p.getActualTypeArguments()[0];
            return arg == Tensor.class ? Returns.ONE_ASYNC : isListOfTensor(arg) ? Returns.ALL_ASYNC : null;
        }
        return null;
    }

    private static boolean isListOfTensor(Type t) {
        return t instanceof ParameterizedType p && p.getRawType() == List.class
                && p.getActualTypeArguments()[0] == Tensor.class;
    }

    private static byte[] generate(String name, Class<?> iface, List<Binding> bindings, String sourceName) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, name, null,
                "java/lang/Object", new String[] {org.objectweb.asm.Type.getInternalName(iface)});
        for (int i = 0; i < bindings.size(); i++) {
            cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "k" + i, "L" + KERNEL + ";", null, null).visitEnd();
        }
        MethodVisitor c = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "([L" + KERNEL + ";)V", null, null);
        c.visitCode();
        c.visitVarInsn(Opcodes.ALOAD, 0);
        c.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        for (int i = 0; i < bindings.size(); i++) {
            c.visitVarInsn(Opcodes.ALOAD, 0);
            c.visitVarInsn(Opcodes.ALOAD, 1);
            c.visitLdcInsn(i);
            c.visitInsn(Opcodes.AALOAD);
            c.visitFieldInsn(Opcodes.PUTFIELD, name, "k" + i, "L" + KERNEL + ";");
        }
        c.visitInsn(Opcodes.RETURN);
        c.visitMaxs(0, 0);
        c.visitEnd();

        for (int i = 0; i < bindings.size(); i++) {
            Binding b = bindings.get(i);
            Method m = b.method();
            MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, m.getName(),
                    org.objectweb.asm.Type.getMethodDescriptor(m), null, null);
            mv.visitCode();
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitFieldInsn(Opcodes.GETFIELD, name, "k" + i, "L" + KERNEL + ";");
            mv.visitLdcInsn(m.getParameterCount());
            mv.visitTypeInsn(Opcodes.ANEWARRAY, TENSOR);
            for (int p = 0; p < m.getParameterCount(); p++) {
                mv.visitInsn(Opcodes.DUP);
                mv.visitLdcInsn(p);
                mv.visitVarInsn(Opcodes.ALOAD, p + 1);
                mv.visitInsn(Opcodes.AASTORE);
            }
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, KERNEL, b.returns().kernelMethod,
                    "([L" + TENSOR + ";)" + org.objectweb.asm.Type.getDescriptor(b.returns().type), false);
            mv.visitInsn(Opcodes.ARETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }

        MethodVisitor ts = cw.visitMethod(Opcodes.ACC_PUBLIC, "toString", "()Ljava/lang/String;", null, null);
        ts.visitCode();
        ts.visitLdcInsn(iface.getSimpleName() + " bound to the kernels of " + sourceName + " by Tessera");
        ts.visitInsn(Opcodes.ARETURN);
        ts.visitMaxs(0, 0);
        ts.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
